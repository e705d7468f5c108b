"""en-wire (Example Wire): an English news site in UTF-8 found through robots.txt.

robots.txt names a sitemap index (two news sitemaps with <lastmod>) and
disallows ``/private/``; the homepage still links ``/private/secret.html`` and
the server serves it, so a test can prove the crawler obeyed robots.txt. An
Atom feed lists the newest articles only, so some are reachable via sitemaps
alone. Article boilerplate: cookie banner, ADVERTISEMENT slots, "Read more:"
lines, share bar, newsletter box, "Related stories" with excerpts, footer.
"""

from __future__ import annotations

from datetime import datetime

from demo.catalog import Article, site_articles
from demo.page import Page, esc, excerpt, html_page

SITE = "en-wire"
SITE_NAME = "Example Wire"
FEED_SIZE = 6
COOKIES = "We use cookies to improve your experience on our site. By continuing to browse you agree to our use of cookies."
ACCEPT = "Accept all cookies"
AD = "ADVERTISEMENT"
SHARE = "Share this article"
NEWSLETTER = ["Subscribe to our newsletter", "Get the day's top stories in your inbox every morning.", "Sign up"]
RELATED = "Related stories"
FOOTER = [f"© 2023 {SITE_NAME}. All rights reserved.", "Terms of use | Privacy policy | Contact us"]
MENU = ["Home", "World", "Business", "Science", "Weather", "Transport", "Culture"]


def _others(article: Article) -> list[Article]:
    articles = site_articles(SITE)
    i = articles.index(article)
    return [articles[(i + k) % len(articles)] for k in (1, 3, 5)]


def _shown_date(article: Article) -> str:
    when = datetime.fromisoformat(article.published_at)
    return f"{when:%B} {when.day}, {when:%Y}"


def chrome(article: Article) -> dict:
    """Every boilerplate string the article page prints, by role."""
    read_more, *related = _others(article)
    return {
        "cookies": [COOKIES, ACCEPT],
        "byline": f"By {article.extra['author']}",
        "ads": AD,
        "read_more": f"Read more: {read_more.title}",
        "share": SHARE,
        "newsletter": NEWSLETTER,
        "related": [RELATED] + [t for r in related for t in (r.title, excerpt(r.paragraphs[0], 110))],
        "footer": FOOTER,
    }


def _layout(title: str, main: str, head: str = "") -> str:
    menu = "".join(f'<a href="/">{m}</a>' for m in MENU)
    footer = "".join(f"<p>{esc(f)}</p>" for f in FOOTER)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>{head}</head>
<body>
<div id="cookie-banner" class="cookie-consent"><p>{esc(COOKIES)}</p><button>{ACCEPT}</button></div>
<header><a class="brand" href="/">{SITE_NAME}</a><nav>{menu}</nav></header>
{main}
<footer>{footer}</footer>
</body></html>
"""


def _article(base: str, article: Article) -> str:
    c = chrome(article)
    read_more, *related = _others(article)
    paras = [f"<p>{esc(p)}</p>" for p in article.paragraphs]
    paras.insert(3, f'<p class="read-more"><strong>Read more:</strong> <a href="{read_more.path}">{esc(read_more.title)}</a></p>')
    paras.insert(2, f'<div class="ad-slot"><span>{AD}</span><div class="ad" data-slot="mid"></div></div>')
    rel = "".join(
        f'<li><a href="{r.path}">{esc(r.title)}</a><p>{esc(excerpt(r.paragraphs[0], 110))}</p></li>' for r in related
    )
    head = f"""
<link rel="canonical" href="{base}{article.path}">
<meta property="og:title" content="{esc(article.title)}">
<meta property="article:published_time" content="{article.published_at}">
<meta name="author" content="{esc(article.extra['author'])}">"""
    main = f"""<div class="ad-slot top"><span>{AD}</span></div>
<main><article>
<p class="section">{esc(article.extra['section'])}</p>
<h1>{esc(article.title)}</h1>
<div class="byline"><span class="author">{esc(c['byline'])}</span> <time datetime="{article.published_at}">{_shown_date(article)}</time></div>
<div class="share"><span>{SHARE}</span><a href="#">Facebook</a><a href="#">Twitter</a><a href="#">LinkedIn</a><a href="#">Email</a></div>
<div class="article-body">
{chr(10).join(paras)}
</div>
</article>
<aside class="newsletter"><h3>{NEWSLETTER[0]}</h3><p>{NEWSLETTER[1]}</p><form><input type="email"><button>{NEWSLETTER[2]}</button></form></aside>
<section class="related"><h2>{RELATED}</h2><ul>{rel}</ul></section>
</main>"""
    return _layout(f"{article.title} | {SITE_NAME}", main, head)


def _home(articles: list[Article]) -> str:
    items = "".join(
        f'<li><a href="{a.path}">{esc(a.title)}</a> <time datetime="{a.published_at}">{_shown_date(a)}</time></li>'
        for a in articles
    )
    main = f"""<main><h1>Latest news</h1><ul class="latest">{items}</ul>
<p class="staff"><a href="/private/secret.html">Staff area</a></p></main>"""
    return _layout(SITE_NAME, main, '<link rel="alternate" type="application/atom+xml" href="/atom.xml">')


def _xml(text: str, content_type: str) -> Page:
    return Page(('<?xml version="1.0" encoding="UTF-8"?>\n' + text).encode("utf-8"), content_type)


def _sitemaps(base: str, chunks: list[list[Article]]) -> dict[str, Page]:
    out = {}
    entries = []
    for n, chunk in enumerate(chunks, 1):
        urls = "".join(f"<url><loc>{base}{a.path}</loc><lastmod>{a.published_at}</lastmod></url>\n" for a in chunk)
        out[f"/sitemaps/news-{n}.xml"] = _xml(
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n', "application/xml"
        )
        entries.append(f"<sitemap><loc>{base}/sitemaps/news-{n}.xml</loc><lastmod>{chunk[-1].published_at}</lastmod></sitemap>\n")
    out["/sitemap_index.xml"] = _xml(
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{"".join(entries)}</sitemapindex>\n',
        "application/xml",
    )
    return out


def _atom(base: str, articles: list[Article]) -> Page:
    entries = "".join(
        f"""<entry><title>{esc(a.title)}</title><link href="{base}{a.path}"/><id>{base}{a.path}</id>
<updated>{a.published_at}</updated><published>{a.published_at}</published>
<author><name>{esc(a.extra['author'])}</name></author><summary>{esc(excerpt(a.paragraphs[0], 160))}</summary></entry>
"""
        for a in articles
    )
    return _xml(
        f"""<feed xmlns="http://www.w3.org/2005/Atom"><title>{SITE_NAME}</title>
<link href="{base}/atom.xml" rel="self"/><link href="{base}/"/><id>{base}/</id><updated>{articles[0].published_at}</updated>
{entries}</feed>
""",
        "application/atom+xml",
    )


def _secret() -> str:
    main = "<main><h1>Staff only</h1><p>Internal planning notes. Crawlers must not fetch this page.</p></main>"
    return _layout(f"Staff area | {SITE_NAME}", main)


def pages(base: str) -> dict[str, Page]:
    articles = site_articles(SITE)
    oldest = sorted(articles, key=lambda a: a.published_at)
    half = len(oldest) // 2
    out = {a.path: html_page(_article(base, a)) for a in articles}
    out.update(_sitemaps(base, [oldest[:half], oldest[half:]]))
    out["/atom.xml"] = _atom(base, oldest[::-1][:FEED_SIZE])
    out["/"] = out["/index.html"] = html_page(_home(oldest[::-1]))
    out["/private/secret.html"] = html_page(_secret())
    out["/robots.txt"] = Page(
        f"User-agent: *\nDisallow: /private/\n\nSitemap: {base}/sitemap_index.xml\n".encode(), "text/plain; charset=utf-8"
    )
    return out
