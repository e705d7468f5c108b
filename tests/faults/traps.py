"""Crawler traps and big inputs on loopback, for the bounds tests (tests/crawl/test_bounds.py).

``TrapWeb`` serves, next to small articles under ``/news/``:

- ``/page/N.html``: endless pagination (two articles and a link to page N+1, for ever);
- ``/cal/YYYY-MM-DD.html``: a calendar (links to the day, month and year before and after, for ever);
- ``/sitemap/N.xml``: a chain of sitemap indexes (index N lists ``/urls/N.xml`` and index N+1, for ever);
- ``/big/list.html``: ``big_links`` links in one ``<div>``; ``/big/sitemap.xml``: ``big_urls`` URLs;
  ``/big/feed.xml``: ``big_items`` RSS items;
- ``/long.html``: a list page with one article link longer than any URL length limit;
- ``/robots.txt``: allows everything and lists ``robots_sitemaps`` ``Sitemap:`` lines.

Every response is finite (the traps are endless only in their links), big
bodies are built once, and every request is counted in ``hits``.
"""

from __future__ import annotations

import functools
import time
import zlib
from datetime import date, timedelta

from .server import PathWeb, article_html

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _page(links: list[str]) -> bytes:
    return ("<html><body><ul>" + "".join(f"<li><a href='{u}'>{u}</a></li>" for u in links)
            + "</ul></body></html>").encode()


def _urlset(locs) -> bytes:
    return (f"<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='{SITEMAP_NS}'>"
            + "".join(f"<url><loc>{loc}</loc><lastmod>2024-05-01</lastmod></url>" for loc in locs)
            + "</urlset>").encode()


@functools.cache
def big_list(base: str, n: int) -> bytes:
    links = "".join(f"<a href='{base}/news/big-{i}.html'>Story {i}</a> " for i in range(n))
    return f"<html><body><div class='all'>{links}</div></body></html>".encode()


@functools.cache
def big_sitemap(base: str, n: int) -> bytes:
    return _urlset(f"{base}/news/map-{i}.html" for i in range(n))


@functools.cache
def big_feed(base: str, n: int) -> bytes:
    items = "".join(f"<item><title>Story {i}</title><link>{base}/news/feed-{i}.html</link>"
                    f"<pubDate>Wed, 01 May 2024 08:00:00 +0000</pubDate></item>" for i in range(n))
    return (f"<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>Big</title>{items}"
            f"</channel></rss>").encode()


class TrapWeb(PathWeb):
    """The trap site; ``article_delay`` slows every article response (so a crawl is surely mid-way)."""

    def __init__(self, host: str = "127.0.0.1", big_links: int = 30_000, big_urls: int = 150_000,
                 big_items: int = 100_000, robots_sitemaps: int = 0, article_delay: float = 0.0):
        self.big_links, self.big_urls, self.big_items = big_links, big_urls, big_items
        self.robots_sitemaps = robots_sitemaps
        self.article_delay = article_delay
        super().__init__(host)

    def _serve(self, path: str) -> tuple[int, bytes, str]:
        status, ctype, body = self._route(path)
        return status, body, ctype

    def _route(self, path: str) -> tuple[int, str, bytes]:
        html, xml = "text/html; charset=utf-8", "application/xml"
        base = self.base
        if path == "/robots.txt":
            lines = [f"Sitemap: {base}/urls/{i}.xml" for i in range(self.robots_sitemaps)]
            return 200, "text/plain", "\n".join(["User-agent: *", "Allow: /", *lines, ""]).encode()
        if path.startswith("/news/"):
            if self.article_delay:
                time.sleep(self.article_delay)
            return 200, html, article_html(zlib.crc32(path.encode()), title=f"Story {path}").encode()
        if path.startswith("/page/"):
            n = int(path[len("/page/"):-len(".html")])
            return 200, html, _page([f"/news/page-{n}-{k}.html" for k in (1, 2)] + [f"/page/{n + 1}.html"])
        if path.startswith("/cal/"):
            day = date.fromisoformat(path[len("/cal/"):-len(".html")])
            others = [day + timedelta(days=d) for d in (-1, 1, -30, 30, -365, 365)]
            return 200, html, _page([f"/news/cal-{day}.html"] + [f"/cal/{d}.html" for d in others])
        if path.startswith("/sitemap/"):
            n = int(path[len("/sitemap/"):-len(".xml")])
            return 200, xml, (f"<?xml version='1.0' encoding='UTF-8'?><sitemapindex xmlns='{SITEMAP_NS}'>"
                              f"<sitemap><loc>{base}/urls/{n}.xml</loc></sitemap>"
                              f"<sitemap><loc>{base}/sitemap/{n + 1}.xml</loc></sitemap></sitemapindex>").encode()
        if path.startswith("/urls/"):
            n = int(path[len("/urls/"):-len(".xml")])
            return 200, xml, _urlset([f"{base}/news/level-{n}.html"])
        if path == "/big/list.html":
            return 200, html, big_list(base, self.big_links)
        if path == "/big/sitemap.xml":
            return 200, xml, big_sitemap(base, self.big_urls)
        if path == "/big/feed.xml":
            return 200, "application/rss+xml", big_feed(base, self.big_items)
        if path == "/long.html":
            return 200, html, _page(["/news/" + "a" * 5000 + ".html", "/news/short.html"])
        return 404, html, b"no such page"
