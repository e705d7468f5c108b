"""zh-agg (天津产业网): a Chinese aggregator in UTF-8, modelled on seed 004.

Articles are wrapped in heavy boilerplate: menu, breadcrumb, a post-meta line
with only a relative date ("admin9个月前 (02-02)…"), a contact advert with phone
and WeChat lines, a copyright notice, a share bar, prev/next links, "相关文章"
with excerpts of other stories, and an ICP footer. The full date appears only
on the paginated list pages ``/list/N.html``.
"""

from __future__ import annotations

from demo.catalog import Article, site_articles
from demo.page import Page, esc, excerpt, html_page

SITE = "zh-agg"
SITE_NAME = "天津产业网"
PER_LIST_PAGE = 4

CONTACT = [
    "项目合作咨询热线:400 0123 021",
    "招商专员手机:13391219793(微信同号)",
    "长按复制手机号,打开微信添加招商专员的微信号",
    "扫一扫关注公众号,每日推送天津最新产业资讯",
]
COPYRIGHT = f"版权声明:本文由{SITE_NAME}发布,如需转载请注明出处。本站部分内容来源于网络,如有不妥之处请联系我们删除。"
SHARE = "分享给朋友:"
RELATED = "相关文章"
FOOTER = [
    "关于我们 | 联系我们 | 免责声明 | 网站地图",
    f"Copyright © 2021-2023 {SITE_NAME} 版权所有 津ICP备2021004512号-1",
]
SIDEBAR = ["热门标签", "招商引资 重点项目 产业园区 交通 科技"]
MENU = ["首页", "天津产业信息", "交通出行", "科技前沿", "民生关注", "招商政策", "联系我们"]


def _neighbours(article: Article) -> tuple[Article | None, Article | None, list[Article]]:
    articles = site_articles(SITE)
    i = articles.index(article)
    prev = articles[i - 1] if i > 0 else None
    nxt = articles[i + 1] if i + 1 < len(articles) else None
    related = [articles[(i + k) % len(articles)] for k in (2, 4, 7)]
    return prev, nxt, related


def chrome(article: Article) -> dict:
    """Every boilerplate string the article page prints, by role."""
    cat, views = article.extra["category"], article.extra["views"]
    prev, nxt, related = _neighbours(article)
    return {
        "breadcrumb": f"当前位置:首页 > {cat} > 正文内容",
        "post_meta": f"admin9个月前 ({article.published_at[5:]}){cat}{views}",
        "contact": CONTACT,
        "copyright": COPYRIGHT,
        "share": SHARE,
        "prev": f"上一篇:{prev.title}" if prev else "上一篇:没有了",
        "next": f"下一篇:{nxt.title}" if nxt else "下一篇:没有了",
        "related": [RELATED] + [t for r in related for t in (r.title, excerpt(r.paragraphs[0], 60))],
        "sidebar": SIDEBAR,
        "footer": FOOTER,
    }


def _layout(title: str, main: str) -> str:
    menu = "".join(f'<li><a href="/list/1.html">{m}</a></li>' for m in MENU)
    footer = "".join(f"<p>{esc(f)}</p>" for f in FOOTER)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{esc(title)} - {SITE_NAME}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/style.css">
</head><body>
<header class="site-header"><div class="logo"><a href="/">{SITE_NAME}</a></div>
<nav class="menu"><ul>{menu}</ul></nav>
<form class="search" action="/search"><input name="q" placeholder="搜索"><button>搜索</button></form></header>
{main}
<footer class="site-footer">{footer}</footer>
</body></html>
"""


def _article(article: Article) -> str:
    c = chrome(article)
    cat, views = article.extra["category"], article.extra["views"]
    prev, nxt, related = _neighbours(article)
    body = "\n".join(f"<p>\u3000\u3000{esc(p)}</p>" for p in article.paragraphs)
    contact = "".join(f"<p>{esc(line)}</p>" for line in CONTACT)
    rel = "".join(
        f'<li><a href="{r.path}">{esc(r.title)}</a><p class="excerpt">{esc(excerpt(r.paragraphs[0], 60))}</p></li>'
        for r in related
    )
    prev_link = f'<a href="{prev.path}">{esc(c["prev"])}</a>' if prev else esc(c["prev"])
    next_link = f'<a href="{nxt.path}">{esc(c["next"])}</a>' if nxt else esc(c["next"])
    main = f"""<div class="container"><main class="post">
<div class="breadcrumb">当前位置:<a href="/">首页</a> &gt; <a href="/list/1.html">{esc(cat)}</a> &gt; 正文内容</div>
<h1 class="post-title">{esc(article.title)}</h1>
<div class="post-meta"><span class="author">admin</span><span class="time">9个月前 ({article.published_at[5:]})</span><span class="cat"><a href="/list/1.html">{esc(cat)}</a></span><span class="views">{views}</span></div>
<article class="post-content">
{body}
</article>
<div class="contact-ad">{contact}<img src="/static/qrcode.png" alt="二维码"></div>
<div class="copyright-notice">{esc(COPYRIGHT)}</div>
<div class="share-bar">{SHARE}<a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a></div>
<div class="post-nav"><p>{prev_link}</p><p>{next_link}</p></div>
<section class="related"><h3>{RELATED}</h3><ul>{rel}</ul></section>
</main>
<aside class="sidebar"><h3>{SIDEBAR[0]}</h3><p>{SIDEBAR[1]}</p></aside></div>"""
    return _layout(article.title, main)


def _list_page(n: int, chunks: list[list[Article]]) -> str:
    items = "".join(
        f'<li><h2><a href="{a.path}">{esc(a.title)}</a></h2><span class="date">{a.published_at}</span>'
        f'<p>{esc(excerpt(a.paragraphs[0], 80))}</p></li>'
        for a in chunks[n - 1]
    )
    nav = "".join(f'<a href="/list/{i}.html">{i}</a>' if i != n else f"<b>{i}</b>" for i in range(1, len(chunks) + 1))
    if n > 1:
        nav = f'<a href="/list/{n - 1}.html">上一页</a>' + nav
    if n < len(chunks):
        nav += f'<a href="/list/{n + 1}.html">下一页</a>'
    main = f'<main class="list"><h1>最新资讯</h1><ul class="news-list">{items}</ul><div class="pagination">{nav}</div></main>'
    return _layout(f"最新资讯 第{n}页", main)


def pages(base: str) -> dict[str, Page]:
    articles = site_articles(SITE)
    newest = sorted(articles, key=lambda a: a.published_at, reverse=True)
    chunks = [newest[i : i + PER_LIST_PAGE] for i in range(0, len(newest), PER_LIST_PAGE)]
    out = {a.path: html_page(_article(a)) for a in articles}
    for n in range(1, len(chunks) + 1):
        out[f"/list/{n}.html"] = html_page(_list_page(n, chunks))
    out["/"] = out["/list/1.html"]
    return out
