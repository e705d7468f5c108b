r"""Shared boilerplate vocabulary, Chinese and English, compiled once at import.

Line patterns are anchored (``^…$`` or a leading keyword) on purpose: a rule
fires only on a line that *is* boilerplate, not on a story sentence that
merely mentions a phone number, a copyright dispute or "相关".

Every pattern is linear on hostile text (a 20 KB run of digits or spaces): one
that starts with a repeated class may start only where that run starts
(``(?<!\d)``, ``(?<![\w.+-])``), counts are bounded, and space runs before
``$`` are possessive (``\s*+``). Otherwise each start inside the run, or each
way to share it between two ``\s*``, rescans it: quadratic.
"""

from __future__ import annotations

import re

# The scripts written without spaces between words (kana, Han and its extensions): each character
# is a word. The one definition used by the cleaners, language detection and the dedup tokens.
CJK_RANGES = (
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0x20000, 0x3134F),  # Extensions B-G
)
CJK_CHARS = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in CJK_RANGES)
CJK = re.compile(f"[{CJK_CHARS}]")
SENTENCE_END = re.compile(r"[。！？!?;；]\s*+[”\"’』」)）]?\s*+$")
# Characters that decorate headings and labels: brackets, bullets, arrows.
DECORATION = r"[\s【】\[\]〖〗《》<>()（）■□◆◇●○▶►▼»«>·•|丨/:：\-—_=*#]*"

# --- contact ads -------------------------------------------------------------
PHONE = re.compile(
    r"(?<!\d)(?:"
    r"(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}"  # mobile
    r"|[48]00[- ]?\d{3,4}[- ]?\d{3,4}"  # 400/800 service numbers
    r"|\(?0\d{2,3}\)?[- ]?\d{7,8}"  # landline with area code
    r"|\+?\d{1,3}[ .-]?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}"  # international / US
    r")(?!\d)"
)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CONTACT_ID = re.compile(r"(?:微信|微信号|weixin|wechat|QQ|qq群|QQ群)\s*(?:号)?\s*[:：]?\s*[A-Za-z][-_A-Za-z0-9]{5,19}|QQ\s*[:：]?\s*\d{5,11}", re.I)
CONTACT_LABEL = re.compile(
    r"电话|手机|热线|微信|联系|咨询|客服|传真|邮箱|QQ|Tel|Phone|Fax|E-?mail|Contact|Call|WhatsApp", re.I
)
CONTACT_CALL = re.compile(
    r"(?:扫一扫|扫码|扫描二维码|长按(?:识别|复制)?)[^。]{0,12}?(?:关注|添加|加|识别|二维码|微信|公众号|下载)"
    r"|关注(?:我们的)?(?:微信)?公众号|微信公众号[:：]|加.{0,8}微信号?$"
    r"|请说明您的需求|以便快速帮您|欢迎(?:来电)?咨询|^.{0,10}微信号?$"
    r"|scan the QR code|follow us on (?:wechat|twitter|facebook|instagram)",
    re.I,
)

# --- copyright and reprint notices ------------------------------------------
COPYRIGHT = re.compile(
    r"^\W*(?:版权声明|免责声明|版权所有|特别声明|声明|版權聲明|免責聲明|版權所有|特別聲明|聲明)\s*[:：]"
    # reprint disclaimers, simplified and traditional: "凡注明来源为…", "不代表本网观点", "仅代表作者本人观点"
    r"|^\W*(?:[①②③④⑤]\W*)?凡(?:本[网網站])?(?:注明|標注|标注|註明)"
    r"|(?:不|并不|並不)(?:代表|意味着|意味著|表明)本[网網站](?:赞同|讚同|同意)?(?:其)?(?:观点|觀點|立场|立場)"
    r"|(?:本文|此文|文章|以上|上述)[^。，]{0,10}[仅僅]代表作者(?:本人)?(?:个人|個人)?(?:观点|觀點)"
    r"|出[于於](?:传递|傳遞)更多信息之?目的"
    r"|this copy is for your personal,? non-commercial use only"
    r"|转载请注明(?:出处|来源)|未经(?:授权|许可)[,，]?\s*(?:不得|禁止|严禁)(?:转载|复制)"
    r"|如有(?:侵权|不妥)(?:之处)?[,，]?\s*请?(?:与我们)?联系(?:我们)?(?:予以|进行)?删除"
    r"|本文(?:由.{1,30})?(?:来源于|转载自|系转载)"
    r"|^\W*(?:©|\(c\)|copyright\b)"
    r"|all rights reserved",
    re.I,
)

# --- related / recommended lists ---------------------------------------------
RELATED_WORDS = (
    r"相关(?:文章|阅读|新闻|推荐|报道|链接|内容|资讯)|推荐阅读|热门(?:推荐|文章|阅读|新闻|资讯)|延伸阅读|扩展阅读"
    r"|猜你喜欢|热点推荐|精彩推荐|更多(?:精彩|新闻|阅读)|今日推荐|最新文章|大家都在看|看了本文的人还看了"
    r"|related (?:stories|articles|posts|content|coverage|reading|news|links)|read (?:more|next|also)"
    r"|you (?:may|might) also like|more (?:stories|from [\w .&'-]{1,30}|on this story|to read)"
    r"|recommended(?: for you| stories| reading)?|most (?:read|popular|viewed)|trending(?: now)?|see also"
    r"|also read|what to read next|further reading"
)
RELATED_HEADING = re.compile(rf"^{DECORATION}(?:{RELATED_WORDS}){DECORATION}$", re.I)
RELATED_LINK_LINE = re.compile(
    rf"^{DECORATION}(?:{RELATED_WORDS}|related)\s*[:：>»|].{{1,150}}$", re.I
)
INLINE_RELATED = re.compile(rf"[\[【〖](?:{RELATED_WORDS})\s*[:：][^\]】〗]{{1,80}}[\]】〗]", re.I)

# --- share widgets, breadcrumbs, post-meta ------------------------------------
SHARE = re.compile(
    r"^\W*(?:分享(?:给朋友|到|至|本文|这篇文章)?|一键分享|转发到|share(?: this| on| via)?(?: article| story| page| post)?|tweet|email this)"
    r"\W*(?:(?:微信|微博|朋友圈|QQ空间|QQ|新浪微博|腾讯微博|豆瓣|facebook|twitter|linkedin|whatsapp|reddit|email|pinterest|copy link)\W*)*$",
    re.I,
)
BREADCRUMB = re.compile(
    r"^\W*(?:(?:当前|您的|你的|您现在的|你现在的)位置\s*[:：]"
    r"|(?:首页|主页|网站首页|home)\s*(?:[>›»/＞]|&gt;).{0,80}(?:[>›»/＞]|&gt;))",
    re.I,
)
# No real "N units ago" count has more than six digits.
RELATIVE_TIME = re.compile(
    r"(?<!\d)(?P<num>\d{1,6})\s*(?P<unit>秒|分钟|小时|天|日|周|星期|个月|月|年)前"
    r"|(?P<day>今天|昨天|前天)\s*(?P<hm>\d{1,2}:\d{2})?"
    r"|(?P<enum>(?<!\d)\d{1,6}|an?|one)\s+(?P<eunit>second|minute|hour|day|week|month|year)s?\s+ago"
    r"|(?P<eday>today|yesterday)",
    re.I,
)
# Dates: the one set of patterns for the date cleaner, the post-meta line rule and list-page dates.
NUMERIC_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[T\s]*(?P<H>\d{1,2})[:时](?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2}(?!\d))?)?"
)
MONTH_NAME = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
ENGLISH_DATE = re.compile(
    rf"\b(?:(?P<mon1>{MONTH_NAME})\.? (?P<d1>\d{{1,2}}),? (?P<y1>(?:19|20)\d{{2}})"
    rf"|(?P<d2>\d{{1,2}}) (?P<mon2>{MONTH_NAME})\.? (?P<y2>(?:19|20)\d{{2}}))\b",
    re.I,
)
MONTH_DAY = re.compile(r"(?<!\d)(?P<m>\d{1,2})\s*[-/月]\s*(?P<d>\d{1,2})日?(?![\d:])")
# A clock time standing alone (a meta line's "17:05"), and one to read the hour and minute from.
CLOCK_TIME = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?![\d:])")
TIME = re.compile(r"(?<!\d)(?P<H>\d{1,2}):(?P<M>\d{2})(?!\d)")
DATE_EXPR = re.compile(rf"{NUMERIC_DATE.pattern}|{CLOCK_TIME.pattern}|{ENGLISH_DATE.pattern}", re.I)
META_LABEL = re.compile(
    r"作者|来源|编辑|发布(?:时间|日期)?|时间|日期|阅读(?:量|数)?|浏览(?:量|次数)?|点击(?:量|数)?|评论"
    r"|\bby\b|posted|published|updated|min(?:ute)?s? read|views?|comments?|reads?",
    re.I,
)

# --- placeholders, footers, editor/source lines --------------------------------
IMAGE_PLACEHOLDER = re.compile(
    r"^\s*[(（\[【]\s*(?:相关资料图|资料图片?|配图|图文无关|图片来源\s*[:：].{0,40}|图源\s*[:：].{0,40}"
    r"|图片由.{1,30}提供|摄影\s*[:：].{0,30}|(?:photo|image|picture)s?(?: credit)?\s*[:：].{0,60})\s*[)）\]】]\s*$",
    re.I,
)
KEYWORD_FOOTER = re.compile(r"^\W*(?:关键词|关键字|标签|tags?|keywords?|topics?)\s*[:：]", re.I)
EDITOR = re.compile(r"^\W*(?:责任编辑|责编|编辑|编审|审核|校对)\s*[:：]\s*(?P<value>[^)）\]】]{1,30}?)\s*+[)）\]】]?\s*+$")
SOURCE = re.compile(r"^\W*(?:来源|稿件来源|文章来源|信息来源|source)\s*[:：]\s*(?P<value>[^)）\]】]{1,40}?)\s*+[)）\]】]?\s*+$", re.I)
ORIGINAL_TITLE = re.compile(r"^\W*原标题\s*[:：]\s*(?P<value>.{2,100}?)\s*+$")

# --- ads, newsletters, cookies --------------------------------------------------
AD_SLOT = re.compile(
    r"^\W*(?:advertisement|advertising|sponsored(?: content)?|ad|广告|推广|赞助内容|story continues below(?: advertisement)?)\W*$"
    r"|^\W*(?:subscribe to|sign up for|get) (?:our|the) [\w' -]{0,40}newsletter"
    r"|^\W*(?:we use cookies|this (?:web)?site uses cookies|by continuing to (?:use|browse))"
    r"|^\W*(?:点击(?:这里|此处)?(?:关注|订阅|下载)|下载.{0,10}客户端|打开.{0,10}APP)",
    re.I,
)

# --- titles ------------------------------------------------------------------
CLICKBAIT_WORDS = "全球|环球|天天|今日|每日|焦点|热议|热点|快看|即时|头条|速递|快讯|最新|实时|看点|热门|要闻|关注|资讯|播报|聚焦|快报|观察|消息|看|点|讯"
CLICKBAIT_PREFIX = re.compile(rf"^\s*(?:{CLICKBAIT_WORDS}){{2,5}}\s*[!！丨|｜:：]\s*")
