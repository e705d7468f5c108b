"""gbk-news (津沽新闻网): a Chinese news site encoded in GBK.

The HTTP header says only ``Content-Type: text/html`` (no charset). Pages
declare the charset in ``<meta charset="gbk">`` or an http-equiv meta naming
gb2312 (those pages are encoded as strict GB2312), and one page declares
nothing at all, so the crawler must sniff it. An RSS 2.0 feed in GBK lists the
articles with RFC 822 dates. Boilerplate: 责任编辑/来源 lines, image credits,
a 关键词 footer and a 热点推荐 box.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime

from demo.catalog import Article, site_articles
from demo.page import Page, esc, excerpt

SITE = "gbk-news"
SITE_NAME = "津沽新闻网"
SOURCE = "来源:新华网"
PHOTO_CREDIT = "(图片来源:视觉中国)"
HOT = "热点推荐"
FOOTER = f"{SITE_NAME}版权所有 未经书面授权禁止转载 违法和不良信息举报电话:022-12345678"
CHANNELS = ["首页", "城市", "民生", "经济", "房产", "三农"]
EDITORS = ["张三", "李四"]
KEYWORDS = {
    "haihe-greenway": "海河 绿道 骑行",
    "wuqing-jobfair": "招聘会 就业 技能人才",
    "land-daily-0307": "土地市场 成交 住宅用地",
    "land-daily-0308": "土地市场 成交 住宅用地",
    "nangang-ethylene": "南港工业区 乙烯 重大项目",
    "ninghe-spring": "春耕 农机 水稻",
}
CHARSET_DECL = {
    "meta": ('<meta charset="gbk">', "gbk"),
    "http-equiv": ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gb2312"),
    None: ("", "gbk"),
}


def _editor(article: Article) -> str:
    return f"责任编辑:{EDITORS[site_articles(SITE).index(article) % len(EDITORS)]}"


def _hot(article: Article) -> list[Article]:
    return [a for a in site_articles(SITE) if a is not article][:4]


def chrome(article: Article) -> dict:
    """Every boilerplate string the article page prints, by role."""
    return {
        "top_nav": " | ".join([SITE_NAME, *CHANNELS]),
        "breadcrumb": f"您的位置:{SITE_NAME} > {article.extra['channel']} > 正文",
        "dateline": f"{article.published_at[:10]} {article.published_at[11:16]} {SOURCE}",
        "source": SOURCE,
        "photo_credit": PHOTO_CREDIT,
        "keywords": f"关键词:{KEYWORDS[article.story]}",
        "editor": _editor(article),
        "hot": [HOT] + [a.title for a in _hot(article)],
        "footer": FOOTER,
    }


def _article(article: Article) -> Page:
    decl, encoding = CHARSET_DECL[article.extra["charset"]]
    c = chrome(article)
    paras = [f"<p>{esc(p)}</p>" for p in article.paragraphs]
    paras.insert(1, f'<p class="pic"><img src="/img/{article.story}.jpg" alt=""></p><p class="pic-note">{PHOTO_CREDIT}</p>')
    hot = "".join(f'<li><a href="{a.path}">{esc(a.title)}</a></li>' for a in _hot(article))
    text = f"""<html>
<head>
{decl}
<title>{esc(article.title)}_{SITE_NAME}</title>
<meta name="keywords" content="{esc(KEYWORDS[article.story])}">
<meta property="article:published_time" content="{article.published_at}">
</head>
<body>
<div class="top"><a href="/">{SITE_NAME}</a> | <a href="/index.html">{CHANNELS[0]}</a> | {" | ".join(CHANNELS[1:])}</div>
<div class="crumb">您的位置:<a href="/">{SITE_NAME}</a> &gt; {esc(article.extra['channel'])} &gt; 正文</div>
<div class="main">
<h1>{esc(article.title)}</h1>
<div class="info"><span>{c['dateline'].removesuffix(' ' + SOURCE)}</span> <span>{SOURCE}</span></div>
<div class="article-content">
{chr(10).join(paras)}
<p class="keywords">{esc(c['keywords'])}</p>
<div class="editor">{esc(c['editor'])}</div>
</div>
</div>
<div class="hot"><h3>{HOT}</h3><ul>{hot}</ul></div>
<div class="footer">{esc(FOOTER)}</div>
</body>
</html>
"""
    return Page(text.encode(encoding), "text/html")


def _home(articles: list[Article]) -> Page:
    items = "".join(
        f'<li><a href="{a.path}">{esc(a.title)}</a> <span>{a.published_at[:10]}</span></li>' for a in articles
    )
    text = f"""<html><head><meta charset="gbk"><title>{SITE_NAME}</title>
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME}" href="/rss.xml"></head>
<body><div class="top">{SITE_NAME}</div><h2>最新新闻</h2><ul>{items}</ul>
<div class="footer">{esc(FOOTER)}</div></body></html>
"""
    return Page(text.encode("gbk"), "text/html")


def _rss(base: str, articles: list[Article]) -> Page:
    items = "".join(
        f"""<item><title>{esc(a.title)}</title><link>{base}{a.path}</link><guid>{base}{a.path}</guid>
<description>{esc(excerpt(a.paragraphs[0], 70))}</description>
<pubDate>{format_datetime(datetime.fromisoformat(a.published_at))}</pubDate></item>
"""
        for a in articles
    )
    text = f"""<?xml version="1.0" encoding="gbk"?>
<rss version="2.0"><channel><title>{SITE_NAME}</title><link>{base}/</link>
<description>{SITE_NAME}最新新闻</description><language>zh-cn</language>
{items}</channel></rss>
"""
    return Page(text.encode("gbk"), "application/rss+xml")


def pages(base: str) -> dict[str, Page]:
    articles = site_articles(SITE)
    newest = sorted(articles, key=lambda a: a.published_at, reverse=True)
    out = {a.path: _article(a) for a in articles}
    out["/"] = out["/index.html"] = _home(newest)
    out["/rss.xml"] = _rss(base, newest)
    return out
