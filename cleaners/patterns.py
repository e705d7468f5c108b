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

import functools
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
# Traditional forms of the characters the Chinese vocabulary below uses, one for one: a line is
# folded with fold_traditional() before it is matched, so each rule is written once, in simplified
# characters (a table, not a converter: matching needs only these characters, and spans stay aligned).
_TRADITIONAL = "關閱讀聞薦報鏈內資訊熱門擴歡點還責聲別網註標觀場轉載來經權許嚴複製聯係繫刪傳遞於僅個進給發間騰當現頁鐘時週編輯佈數瀏覽擊評論圖無攝鍵詞簽籤審對廣贊這裡處訂戶開掃碼維長識眾號請說幫電詢話機線郵記題護贈錄憑臺導寫齊區專絲團讚並歸體調擇窗謝兩榜層頁應閉盤"
_SIMPLIFIED = "关阅读闻荐报链内资讯热门扩欢点还责声别网注标观场转载来经权许严复制联系系删传递于仅个进给发间腾当现页钟时周编辑布数浏览击评论图无摄键词签签审对广赞这里处订户开扫码维长识众号请说帮电询话机线邮记题护赠录凭台导写齐区专丝团赞并归体调择窗谢两榜层页应闭盘"
_FOLD = str.maketrans(_TRADITIONAL, _SIMPLIFIED)
_HAS_TRADITIONAL = re.compile(f"[{_TRADITIONAL}]")


FOLD_CACHE_LINES, FOLD_CACHE_CHARS = 1024, 2000  # a page's lines; only lines this short are cached


def fold_traditional(text: str) -> str:
    """``text`` with the vocabulary's traditional characters in their simplified form (same length)."""
    # Each of the dozen line rules folds every line again: short lines are folded once and remembered;
    # long ones are folded each time, so a hostile page's text never stays in the cache.
    return _fold_cached(text) if len(text) <= FOLD_CACHE_CHARS else _fold(text)


def _fold(text: str) -> str:
    # Most lines hold none: the regex scan costs a tenth of translate()'s per-character lookups.
    return text.translate(_FOLD) if _HAS_TRADITIONAL.search(text) else text


_fold_cached = functools.lru_cache(maxsize=FOLD_CACHE_LINES)(_fold)


# Characters that decorate headings and labels: brackets, bullets, arrows.
DECORATION = r"[\s※【】\[\]〖〗《》<>()（）■□◆◇●○▶►▼»«>·•|丨/:：\-—_=*#]*"

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
    r"|爆料[^。]{0,12}?(?:1[3-9]\d{9}|热线)"
    r"|scan the QR code|follow us on (?:wechat|twitter|facebook|instagram)",
    re.I,
)

# --- copyright and reprint notices ------------------------------------------
COPYRIGHT = re.compile(
    r"^\W*(?:版权声明|免责声明|版权所有|特别声明|声明)\s*[:：]|^\W*(?:版权声明|免责声明)\W*$"
    # a disclaimer block's heading: "新华网版权与免责声明:"
    r"|^\W*[^\s，。]{0,12}版权(?:与|和|及)?免责声明\W*$"
    # reprint disclaimers: "凡注明来源为…", "不代表本网观点", "仅代表作者本人观点"
    r"|^\W*(?:[①②③④⑤]|\d{1,2}\s*[、.．])?\W*凡(?:本[网站])?(?:注明|标注)"
    r"|(?:不|并不)(?:代表|意味着|意味著|表明)本[网站](?:赞同|同意)?(?:其)?(?:观点|立场)"
    r"|(?:本文|此文|文章|以上|上述)[^。，]{0,10}仅代表作者(?:本人)?(?:个人)?观点"
    r"|出于传递更多信息之?目的"
    r"|仅供(?:投资者|读者)?参考[,，]\s*(?:并)?不构成(?:任何)?投资建议|据此操作[,，]\s*风险自担"
    r"|this copy is for your personal,? non-commercial use only"
    r"|未经[^，。]{0,10}?(?:授权|许可|同意)[,，]?[^。]{0,16}?(?:不得|禁止|严禁|请勿)[^。]{0,20}?(?:转载|复制|转帖|摘编)"
    r"|如有(?:侵权|不妥)(?:之处)?[,，]?\s*请?(?:与我们)?联系(?:我们)?(?:予以|进行)?删除"
    r"|本文(?:由.{1,30})?(?:来源于|转载自|系转载)"
    r"|^\W*(?:©|\(c\)|copyright\b)"
    r"|all rights reserved",
    re.I,
)

# The reprint-notice family, as a line or a line's tail: "本文来源:XX网 转载请保留链接",
# "(转载请注明出处)". It starts the line or follows a sentence end, a bracket or a space, so
# a story sentence that mentions 转载 or 来源 in passing ("…未经许可转载了…") stays.
REPRINT_NOTICE = re.compile(
    r"(?:^|(?<=[。！？!?.\s)）\]】]))[(（\[【]?\s*(?:"
    r"(?:本文|原文|文章)(?:来源|出处)\s*[:：]?[^。！？]{0,40}?转载[^。！？]{0,30}"
    r"|(?:如需|如要|若需|欢迎)?转载[,，]?\s*(?:请|须|务必|请务必)(?:注明|保留|标明|附上)[^。！？]{0,30}?"
    r"(?:出处|链接|来源|作者|原文)[^。！？]{0,20}"
    r")[。！!.]?\s*+$"
)

# --- related / recommended lists ---------------------------------------------
RELATED_WORDS = (
    r"相关(?:文章|阅读|新闻|推荐|报道|链接|内容|资讯)|推荐阅读|热门(?:推荐|文章|阅读|新闻|资讯)|延伸阅读|扩展阅读"
    r"|猜你喜欢|热点推荐|精彩推荐|推荐内容|更多(?:精彩|阅读)|今日推荐|最新文章|大家都在看|看了本文的人还看了"
    r"|(?:更多|其他|其它)[^\s，。]{0,6}?(?:新闻|文章|报道|资讯)|[^\s，。]{0,6}(?:排行榜|最多浏览)"
    r"|related (?:stories|articles|posts|content|coverage|reading|news|links)|read (?:more|next|also)"
    r"|you (?:may|might) also like|more (?:stories|from [\w .&'-]{1,30}|on this story|to read)"
    r"|recommended(?: for you| stories| reading)?|most (?:read|popular|viewed)|trending(?: now)?|see also"
    r"|also read|what to read next|further reading|popular on [\w .&'-]{1,30}|see more"
)
RELATED_HEADING = re.compile(rf"^{DECORATION}(?:{RELATED_WORDS}){DECORATION}[.…!]*+$", re.I)
RELATED_LINK_LINE = re.compile(
    rf"^{DECORATION}(?:{RELATED_WORDS}|related)\s*[:：>»|<].{{1,150}}$", re.I
)
# An entry of a most-read / most-commented list: a headline and its count ("…误读 评论5478条").
# A teaser list entry cut short: "- 被爆食材劣等 燒肉店擬提..".
TRUNCATED_TEASER = re.compile(r"^[-•·]\s.{2,40}?(?:\.\.+|…+)$")
RANKED_LINK_LINE = re.compile(r"^\W*[^。！？]{4,60}?\s+(?:评论|跟帖|点击|阅读)\s*\d{1,9}\s*(?:条|次|人)?\s*+$")
INLINE_RELATED = re.compile(rf"[\[【〖](?:{RELATED_WORDS})\s*[:：][^\]】〗]{{1,80}}[\]】〗]", re.I)

# --- share widgets, breadcrumbs, post-meta ------------------------------------
SHARE = re.compile(
    r"^\W*(?:分享(?:给朋友|到|至|本文|这篇文章)?|一键分享|转发到|share(?: this| on| via)?(?: article| story| page| post)?|tweet|email this)"
    r"\W*(?:(?:微信|微博|朋友圈|QQ空间|QQ|新浪微博|腾讯微博|豆瓣|facebook|twitter|linkedin|whatsapp|reddit|email|pinterest|copy link)\W*)*$",
    re.I,
)
BREADCRUMB = re.compile(
    r"^\W*(?:(?:当前|您的|你的|您现在的|你现在的)位置\s*[:：]"
    r"|(?:首页|主页|网站首页)\s*(?:[>›»/＞]|&gt;).{0,80}(?:[>›»/＞]|&gt;)"
    # "Home / News /": a "/" between spaces only, so a path ("/home/user/src/") is no trail
    r"|home\s*(?:[>›»＞]|&gt;|\s/\s).{0,80}(?:[>›»＞]|&gt;|\s/\s))",
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
# A date in a URL's path: "/2023/02/03/", "/2017/7/12/", "-2019-10-16-". Not htmldate's pattern, which
# also reads "/2023/10/3-questions" (a slug starting with a number) as the 3rd.
URL_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?:/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/|$)"
                      r"|(?P<sep>[-_])(?P<m2>\d{1,2})(?P=sep)(?P<d2>\d{1,2})(?!\d))")
# The RFC 2822 form ("Fri, 03 Feb 2023 10:20:00 +0800") that email.utils reads; it also reads "November 8,
# 2023, 11:15 PM" as 11:15, so it is given only this form.
RFC_2822_DATE = re.compile(r"^\s*(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}", re.I)
# A digit run this long is no part of a date line's date ("Kritiker201006.11.2023": a user name glued on).
GLUED_DIGITS = re.compile(r"\d{5,}")
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
# Where a date line goes on to a date that is not the publication's ("Updated …", a user card's "Joined …").
OTHER_DATE_LABEL = re.compile(
    r"updated|modified|edited|last changed|joined|member since|registered"
    r"|aktualisiert|geändert|bearbeitet|mitglied seit|dabei seit|registriert"
    r"|mis à jour|modifié|actualizado|aggiornato|更新|修改",
    re.I,
)
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
# A tag cloud without its label: six or more short terms with spaced separators ("蔡英文 、 民進黨 、 …").
TAG_LIST = re.compile(r"^(?:[^\s、，。|]{1,12}\s+[、|]\s+){5,}[^\s、，。|]{1,12}\s*+$")
EDITOR = re.compile(r"^\W*(?:责任编辑|责编|编辑|编审|审核|校对)\s*[:：]\s*(?P<value>[^)）\]】]{1,30}?)\s*+[)）\]】]?\s*+$")
SOURCE = re.compile(r"^\W*(?:来源|稿件来源|文章来源|信息来源|source)\s*[:：]\s*(?P<value>[^)）\]】]{1,40}?)\s*+[)）\]】]?\s*+$", re.I)
ORIGINAL_TITLE = re.compile(r"^\W*原标题\s*[:：]\s*(?P<value>.{2,100}?)\s*+$")

# --- page tools: print, close, font size, pagination --------------------------------
PAGE_TOOL = (
    r"(?:打印(?:本页|本文章?|此文)?|关闭(?:窗口|本页)?|收藏(?:本文|此文)?|发给好友|推荐给(?:朋友|好友)"
    r"|(?:调整|选择)?(?:字号|字体|文字大小)(?:\s*[:：︰]?\s*(?:[【\[]?\s*[大中小]\s*[】\]]?\s*){1,3})?"
    r"|T\s*\|\s*T|进入论坛|我要纠错|纠错|返回顶部|写进博客|发起话题|提问作者|支持键盘翻页\s*←左\s*右→"
    r"|上一页|下一页|首页|尾页|本文共分?\s*\d{1,3}\s*页(?:\s*当前是第\s*\d{1,3}\s*页)?)"
)
PAGE_TOOLS = re.compile(rf"^(?:{DECORATION}︰?{PAGE_TOOL})+{DECORATION}︰?$|^\W*(?:\d{{1,3}}\s+)+\d{{1,3}}\W*$")
# The same tools as a line's tail, after a space or a bracket: "( 编辑: 张三 ) 【字号 大 中 小】【打印】".
PAGE_TOOLS_TAIL = re.compile(rf"(?<=[\s)）\]】])(?:{DECORATION}{PAGE_TOOL})+{DECORATION}$")

# --- ads, newsletters, cookies --------------------------------------------------
AD_SLOT = re.compile(
    r"^\W*(?:advertisement|advertising|sponsored(?: content)?|ad|广告|推广|赞助内容|story continues below(?: advertisement)?"
    r"|comments?|tags|print(?: article)?|order reprints|reprints(?: (?:&|and) permissions)?|don'?t miss"
    r"|我要评论|查看评论|发表评论|网友评论|手机看新闻|手机免费访问|正文|loading)\W*$"
    r"|^\W*下载地址\s*[:：]\s*https?://\S+$|^\S{0,24}\s*用?手机(?:随时随地)?看新闻\W*$"
    r"|^\W*(?:subscribe to|sign up for|get) (?:our|the) [\w' -]{0,40}newsletter"
    r"|\bsubscrib(?:e|ing) to (?:our|the) [\w' -]{0,40}(?:newsletters?|channel)\b|\bsign up (?:for|to|here)\b.{0,80}\bnewsletters?\b|^\W*subscribe to [\w' .-]{1,40} on youtube\b"
    r"|^\W*click here to (?:subscribe|sign up)|^\W*(?:click here to )?get the [\w' -]{1,30} app\W*$"
    r"|^\W*follow (?:us|[\w' .&@-]{1,40}) on (?:twitter|facebook|instagram|youtube)\b"
    r"|^\W*like this (?:story|article)\?|^\W*tell us what you think"
    r"|^\W*(?:we use cookies|this (?:web)?site uses cookies|by continuing to (?:use|browse))"
    r"|^\W*(?:点击(?:这里|此处)?(?:关注|订阅|下载)|下载.{0,10}客户端|打开.{0,10}APP)"
    # text-message subscriptions: 移动用户发送"KX"到10658000
    r"|发送?(?:到)?\s*[\"“]?[A-Za-z0-9]{1,12}[\"”]?\s*(?:到|至)\s*\d{5,}"
    # social-page calls: "Like我们的专页", "加入…粉丝团"
    r"|like\s*我们的?(?:专页|粉丝团|粉丝页)|按此\s*like|(?:加入|按赞|赞一个)[^。]{0,20}粉丝团|粉丝团[^。]{0,12}陪你",
    re.I,
)

# --- titles ------------------------------------------------------------------
CLICKBAIT_WORDS = "全球|环球|天天|今日|每日|焦点|热议|热点|快看|即时|头条|速递|快讯|最新|实时|看点|热门|要闻|关注|资讯|播报|聚焦|快报|观察|消息|看|点|讯"
CLICKBAIT_PREFIX = re.compile(rf"^\s*(?:{CLICKBAIT_WORDS}){{2,5}}\s*[!！丨|｜:：]\s*")
