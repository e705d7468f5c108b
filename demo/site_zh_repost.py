"""zh-repost (资讯转载站): a Chinese republisher in UTF-8, modelled on seed 000.

It reposts stories from zh-agg and gbk-news: one verbatim, two edited (clickbait
title prefix, a rewritten sentence, re-split paragraphs, a "(相关资料图)"
placeholder, a 关键词 footer and a reporter line), and it links its own story
``/p/123.html`` three ways (plain, with tracking parameters, with a fragment).
Every page carries ``<link rel="canonical">`` to its own clean URL.
"""

from __future__ import annotations

from demo.catalog import Article, site_articles
from demo.page import Page, esc, html_page

SITE = "zh-repost"
SITE_NAME = "资讯转载站"
PER_LIST_PAGE = 4
PHOTO = "(相关资料图)"
REPORTER = "(来源:今晚报 记者 李明 通讯员 赵阳)"
STATEMENT = "声明:本文转载自网络,版权归原作者所有。文章内容仅代表作者观点,不代表本站立场,如有侵权请联系删除。"
HOT = "热门推荐"
COMMENTS = ["网友评论", "暂无评论"]
FOOTER = f"{SITE_NAME} © 2023 京ICP备2022098765号-2 联系邮箱:service@repost.example"
SOURCES = {"zh-agg": "天津产业网", "gbk-news": "津沽新闻网", "zh-repost": SITE_NAME}


def _pages_of_site() -> list[Article]:
    """One entry per served page (URL aliases share the page of their target)."""
    return [a for a in site_articles(SITE) if a.duplicate_kind != "url"]


def _target(article: Article) -> Article:
    if article.duplicate_kind == "url":
        return next(a for a in site_articles(SITE) if a.key == article.duplicate_of)
    return article


def _hot(article: Article) -> list[Article]:
    return [a for a in _pages_of_site() if a.story != article.story][:3]


def _source(article: Article) -> str:
    origin = article.duplicate_of.split(":", 1)[0] if article.duplicate_kind in ("exact", "near") else SITE
    return f"来源:{SOURCES[origin]}"


def chrome(article: Article) -> dict:
    """Every boilerplate string the article page prints, by role."""
    article = _target(article)
    c = {
        "dateline": f"{article.published_at[:10]} {article.published_at[11:16]} {_source(article)}",
        "statement": STATEMENT,
        "comments": COMMENTS,
        "hot": [HOT] + [a.shown_title for a in _hot(article)],
        "footer": FOOTER,
    }
    if article.duplicate_kind == "near":
        c.update(photo=PHOTO, keywords=f"关键词: {article.extra['keywords']}", reporter=REPORTER)
    return c


def _article(base: str, article: Article) -> str:
    c = chrome(article)
    paras = [f"<p>{esc(p)}</p>" for p in article.paragraphs]
    if article.duplicate_kind == "near":
        paras.insert(2, f'<p style="text-align:center"><img src="/img/{article.story}.jpg"></p><p>{PHOTO}</p>')
        paras += [f"<p>{esc(c['keywords'])}</p>", f"<p>{REPORTER}</p>"]
    hot = "".join(f'<li><a href="{a.path}">{esc(a.shown_title)}</a></li>' for a in _hot(article))
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>{esc(article.shown_title)}_{SITE_NAME}</title>
<link rel="canonical" href="{base}{article.path}">
<meta property="article:published_time" content="{article.published_at}">
</head><body>
<div class="nav"><a href="/index.html">首页</a> | 财经 | 科技 | 本地 | 社会</div>
<div class="wrap"><div class="left">
<h1>{esc(article.shown_title)}</h1>
<div class="meta"><span>{article.published_at[:10]} {article.published_at[11:16]}</span> <span>{_source(article)}</span></div>
<div class="content">
{chr(10).join(paras)}
</div>
<div class="statement">{STATEMENT}</div>
<div id="comments" class="comments"><h3>{COMMENTS[0]}</h3><p>{COMMENTS[1]}</p></div>
</div>
<div class="right"><h3>{HOT}</h3><ul>{hot}</ul></div></div>
<div class="footer">{esc(FOOTER)}</div>
</body></html>
"""


def _list_path(n: int) -> str:
    return "/index.html" if n == 1 else f"/index_{n}.html"


def _list_page(n: int, chunks: list[list[Article]]) -> str:
    items = "".join(
        f'<li><a href="{a.path}">{esc(a.shown_title)}</a><span>{a.published_at[:10]}</span></li>' for a in chunks[n - 1]
    )
    nav = "".join(f'<a href="{_list_path(i)}">{i}</a>' for i in range(1, len(chunks) + 1))
    if n > 1:
        nav = f'<a href="{_list_path(n - 1)}">上一页</a>' + nav
    if n < len(chunks):
        nav += f'<a href="{_list_path(n + 1)}">下一页</a>'
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{SITE_NAME} - 第{n}页</title></head><body>
<div class="nav"><a href="/index.html">首页</a> | 财经 | 科技 | 本地 | 社会</div>
<ul class="list">{items}</ul><div class="pages">{nav}</div>
<div class="footer">{esc(FOOTER)}</div></body></html>
"""


def pages(base: str) -> dict[str, Page]:
    linked = site_articles(SITE)
    chunks = [linked[i : i + PER_LIST_PAGE] for i in range(0, len(linked), PER_LIST_PAGE)]
    out = {a.path: html_page(_article(base, a)) for a in _pages_of_site()}
    for n in range(1, len(chunks) + 1):
        out[_list_path(n)] = html_page(_list_page(n, chunks))
    out["/"] = out["/index.html"]
    return out
