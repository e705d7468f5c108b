"""End-to-end: extract_article on pages shaped like real republisher and news pages."""

import re
from datetime import datetime, timezone

from pipeline.core.config import SiteConfig
from pipeline.core.items import Article
from pipeline.extract.article import extract_article

FETCHED = datetime(2024, 6, 20, 12, 0, tzinfo=timezone.utc)

STORY_ZH = [
    "春节后开工首周,河西区各街道纷纷行动起来,重点项目集中签约,党政主要负责人带队走访企业,以实际行动拉开新一年工作的序幕。",
    "“抓项目就是抓发展,谋项目就是谋未来。”区委负责人在会上说,全区要围绕主导产业精准招商,确保项目早落地、早投产。",
    "据介绍,本次集中签约的项目共计18个,总投资86亿元,涵盖智能制造、医养健康、现代物流等领域,项目引领性和成长性强。",
    "2月2日,区里举行2023年头部季度招商引资项目集中签约仪式,并为蕞佳招商合伙人奖获得企业颁奖。",
    "企业负责人表示,遇到问题可拨打区营商环境服务热线022-12345678反映,相关部门承诺在24小时内答复,这让企业吃了定心丸。",
    "一家企业曾因版权纠纷与相关单位对簿公堂,区里主动协调,帮助双方达成和解,企业随后追加投资3亿元。",
    "下一步,河西区将继续优化营商环境,持续开展“暖企助企”行动,推动更多优质项目签约落地。",
]
BOILERPLATE_ZH = [
    "张经理微信号",
    "产业招商/厂房土地租售:400 0123 021",
    "或微信/手机:13391219793",
    "请说明您的需求、用途、税收、公司、联系人、手机号,以便快速帮您对接资源。",
    "长按/扫一扫加张经理的微信号",
    "扫一扫关注公众号",
    "版权声明:本文由示例厂房网发布,如需转载请注明出处。部份内容收集于网络,如有不妥之处请联系我们删除 400-0123-021",
    "分享给朋友:",
]
RELATED_ZH = [
    ("北辰区商住地块集中推介", "原标题:北辰区商住地块集中推介 乐居买房讯 在上周的房博会上,北辰区携大量待招商经营性用地信息亮相。"),
    ("河东区赴珠三角招商签约58亿元", "3月2日,河东区在深圳市举办区域招商推介会。[延伸阅读:2009芜湖国有土地使用权出让情况一览]"),
    ("西青区土地招商推介会举办", "推介会上,将梅江南片区、大学城片区等40宗地块向房地产开发企业作了集中推介。"),
]


def republisher_page() -> str:
    story = "".join(f"<p>\u3000\u3000{p}</p>" for p in STORY_ZH)
    ad = "".join(f"<p>{line}</p>" for line in BOILERPLATE_ZH)
    related = "".join(f"<li><h3><a href='/n/{i}.html'>{t}</a></h3><p>{t}</p><p>\u3000\u3000{e}...</p></li>"
                      for i, (t, e) in enumerate(RELATED_ZH))
    return f"""<html><head><meta charset="utf-8">
<title>全球即时看!河西区抢跑“春天里”:重点项目集中签约 - 示例厂房网</title>
<link rel="canonical" href="/news/123.html"></head><body>
<div class="nav"><a href="/">首页</a><a href="/a">产业信息</a><a href="/b">厂房出租</a><a href="/c">土地出让</a></div>
<div class="position">当前位置:<a href="/">首页</a> &gt; <a href="/a">产业信息</a> &gt; 正文内容</div>
<div class="article">
<h1>全球即时看!河西区抢跑“春天里”:重点项目集中签约</h1>
<div class="info">admin9个月前 (09-30)产业信息64</div>
<div class="content">{story}<p>(相关资料图)</p>{ad}</div>
<div class="share">分享给朋友:<a>微信</a><a>微博</a></div>
<div class="related"><h2>相关文章</h2><ul>{related}</ul></div>
</div>
<div class="footer">关于我们 | 联系我们 | Copyright © 2024 示例厂房网 All rights reserved</div>
</body></html>"""


def test_republisher_page_keeps_story_and_drops_every_boilerplate_line():
    article = extract_article(republisher_page(), "https://example.cn/news/123.html", fetched_at=FETCHED)
    text = article.text
    for paragraph in STORY_ZH:
        assert paragraph in text.splitlines()
    for line in BOILERPLATE_ZH:
        assert line not in text
    for title, excerpt in RELATED_ZH:
        assert title not in text and excerpt[:20] not in text
    for fragment in ("相关文章", "当前位置", "(相关资料图)", "微信", "2009芜湖", "admin", "Copyright"):
        assert fragment not in text
    assert article.title == "河西区抢跑“春天里”:重点项目集中签约"
    assert article.published_at == "2023-09-30"
    assert article.canonical_url == "https://example.cn/news/123.html"
    assert article.lang == "zh"
    assert "original_title" not in article.meta  # the related excerpt's "原标题" is not ours
    cleaners = {r.cleaner for r in article.removals}
    assert {"contact_ads", "copyright_notices", "title_prefix", "title_suffix"} <= cleaners
    assert all(r.text for r in article.removals if r.cleaner != "hidden")


def test_date_hint_beats_relative_date_line():
    article = extract_article(republisher_page(), "https://example.cn/news/123.html", fetched_at=FETCHED,
                              date_hint="2023-09-30 14:05")
    assert article.published_at == "2023-09-30T14:05:00"


def test_unrelated_old_year_in_related_list_is_not_the_date():
    page = republisher_page().replace("admin9个月前 (09-30)", "admin")
    article = extract_article(page, "https://example.cn/news/123.html", fetched_at=FETCHED)
    assert article.published_at is None


STORY_EN = [
    "The city council voted on Tuesday to approve a new budget that raises spending on public transport by a fifth.",
    "Residents who want to comment can call the council on 555-0100 before Friday, the mayor said at a press conference.",
    "Critics said the plan had been rushed, and a copyright dispute over the consultants' report remains unresolved.",
    "The budget takes effect in July, and related measures on housing will be debated next month.",
]


def english_page() -> str:
    story = "".join(f"<p>{p}</p>" for p in STORY_EN)
    links = "".join(f"<li><a href='/s/{i}'>Another headline number {i}</a></li>" for i in range(6))
    return f"""<html lang="en"><head><title>Council approves transport budget | The Example Times</title>
<meta property="og:title" content="Council approves transport budget">
<meta property="og:url" content="https://example.com/politics/budget">
<meta property="article:published_time" content="2024-05-02T09:30:00-04:00">
<meta name="author" content="Jane Doe"></head><body>
<nav><a href="/">Home</a><a href="/politics">Politics</a><a href="/business">Business</a></nav>
<article><h1>Council approves transport budget</h1>
<p class="byline">By Jane Doe · 2 hours ago · Politics</p>
{story}
<p>ADVERTISEMENT</p>
<p>Read more: Why the council is short of money</p>
<div class="social-share">Share this article <a>Facebook</a> <a>Twitter</a></div>
<div id="comments"><p>Great news! -- Bob</p><p>Nonsense -- Alice</p></div>
<h2>You may also like</h2><ul>{links}</ul>
<p>Subscribe to our newsletter for the best stories every morning.</p>
<p>© 2024 The Example Times. All rights reserved.</p>
</article></body></html>"""


def test_english_page():
    article = extract_article(english_page(), "https://example.com/politics/budget?utm=x", fetched_at=FETCHED)
    lines = article.text.splitlines()
    for paragraph in STORY_EN:
        assert paragraph in lines
    for fragment in ("ADVERTISEMENT", "Read more", "Share this", "Bob", "Another headline", "newsletter",
                     "All rights reserved", "2 hours ago"):
        assert fragment not in article.text
    assert article.title == "Council approves transport budget"
    assert article.published_at == "2024-05-02T09:30:00-04:00"
    assert article.author == "Jane Doe"
    assert article.canonical_url == "https://example.com/politics/budget"
    assert article.lang == "en"


def test_site_rules_apply():
    site = SiteConfig(name="t", drop_selectors=["div.share"], drop_patterns=[re.compile(r"区里主动协调")])
    article = extract_article(republisher_page(), "https://example.cn/news/123.html", site=site, fetched_at=FETCHED)
    assert "区里主动协调" not in article.text
    assert {"site_selectors", "site_patterns"} <= {r.cleaner for r in article.removals}


def test_editor_and_source_lines_move_to_meta():
    story = "".join(f"<p>{p}</p>" for p in STORY_ZH)
    page = f"<html><body><h1>标题</h1><div>{story}<p>来源:大众日报</p><p>(责任编辑:张弘)</p></div></body></html>"
    article = extract_article(page, "https://example.cn/1.html", fetched_at=FETCHED)
    assert article.meta == {"source": "大众日报", "editor": "张弘"}
    assert "大众日报" not in article.text and "张弘" not in article.text


def test_empty_and_broken_input():
    assert extract_article("", "https://example.com/") == Article()
    assert extract_article("not html at all", "https://example.com/").text in ("", "not html at all")
