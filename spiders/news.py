"""The one generic news spider, driven by the site config.

Discovery only: list pages (with pagination, via ``follow_pattern``), RSS/Atom
feeds and sitemaps (indexes, gzip, ``Sitemap:`` lines in robots.txt). Every
link is canonicalised before it is scheduled, so tracking-parameter disguises
of one article become one request. What the spider yields is the fetched
article page (:class:`PageItem`); extraction, cleaning, dedup and storage are
item pipelines, the per-site host, robots.txt and budget rules downloader
middlewares (pipeline/crawl/).
"""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urldefrag

import scrapy
from scrapy.http import TextResponse
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from cleaners.patterns import NUMERIC_DATE
from pipeline.core import counters
from pipeline.core.config import SiteConfig, load_config
from pipeline.core.items import PageItem
from pipeline.core.kinds import ErrorKind, SkipKind
from pipeline.crawl.failures import classify_failure, classify_skip
from pipeline.crawl.signals import article_alias
from pipeline.crawl.sites import allowed_domains, site_rules, url_rules
from pipeline.extract.decode import decode_html

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_ENTRY_LINKS = 3


class NewsSpider(scrapy.Spider):
    """Crawl every site of the config: ``NEWSRAKE_SITES`` (set by ``newsrake crawl``) or ``-a config=FILE``."""

    name = "news"

    def __init__(self, config: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.config = config

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        if spider.config:  # scrapy crawl news -a config=sites.toml: the components read it from the settings
            settings.set("NEWSRAKE_CONFIG", spider.config, priority="spider")
            settings.set("NEWSRAKE_SITES", load_config(spider.config), priority="spider")
        spider.sites = site_rules(settings)
        if not spider.sites:
            raise ValueError("NewsSpider needs a site config: scrapy crawl news -a config=sites.toml")
        spider.urls = url_rules(settings)
        spider.allowed_domains = allowed_domains(settings)
        # A site's download_delay applies to all its hosts: its requests share one slot named after it.
        slots = {s.name: {"delay": s.download_delay} for s in spider.sites.values() if s.download_delay is not None}
        if slots:
            settings.set("DOWNLOAD_SLOTS", {**settings.getdict("DOWNLOAD_SLOTS"), **slots}, priority="spider")
        return spider

    async def start(self):
        for site in self.sites.values():
            for url in site.start_urls:
                if req := self._request(site, url, self.parse_listing, kind="list"):
                    yield req
            for url in site.feeds:
                if req := self._request(site, url, self.parse_feed, kind="feed"):
                    yield req
            for url in site.sitemaps:
                if req := self._request(site, url, self.parse_sitemap, kind="sitemap"):
                    yield req

    # -- scheduling -------------------------------------------------------

    def _request(self, site: SiteConfig, url: str, callback, kind: str, date_hint: str | None = None):
        """A request for ``url`` on behalf of ``site`` (None for a malformed URL).

        Off-host URLs, repeats and requests over the site's budget are dropped
        by Scrapy's scheduler and middlewares. Article URLs carrying tracking
        parameters are announced as aliases of their canonical form."""
        try:
            if kind == "sitemap":
                target = url
            elif kind == "article":
                target = self.urls.article(url)
                if self.urls.page(url) != target:  # tracking parameters were removed
                    self.crawler.signals.send_catch_log(article_alias, canonical=target, site=site.name,
                                                        url=urldefrag(url)[0])
            else:
                target = self.urls.page(url)
        except ValueError:  # a bad port, an unclosed IPv6 bracket: skip the link, keep the page
            counters.count(self.crawler.stats, site.name, SkipKind.BAD_LINK)
            return None
        meta = {"site": site.name, "kind": kind, "date_hint": date_hint}
        if site.download_delay is not None:  # a fixed delay: AutoThrottle must not lower it
            meta.update(download_slot=site.name, autothrottle_dont_adjust_delay=True)
        return scrapy.Request(target, callback=callback, errback=self.on_error, meta=meta)

    def _discovered(self, site: SiteConfig, response, href: str, date_hint: str | None = None, anchor=None):
        """Schedule a link found on ``response``: as an article, as a list page to follow, or not at all.

        For an article linked from a list page (``anchor``), the date printed
        next to the link is its date hint.
        """
        try:
            url = response.urljoin(href.strip())
        except ValueError:
            counters.count(self.crawler.stats, site.name, SkipKind.BAD_LINK)
            return None
        if site.is_article(url):
            if anchor is not None:
                date_hint = self._list_date(anchor)
            return self._request(site, url, self.parse_article, kind="article", date_hint=date_hint)
        if site.is_followable(url):
            return self._request(site, url, self.parse_listing, kind="list")
        return None

    def on_error(self, failure):
        request = failure.request
        site = request.meta.get("site", "?")
        kind = classify_failure(failure)
        if kind is None:  # dropped on purpose (robots.txt, already stored)
            if skip := classify_skip(failure):
                counters.count(self.crawler.stats, site, skip)
            return
        counters.count_error(self.crawler.stats, site, kind)
        self.logger.warning("%s: %s failed: %s (%s)", site, request.url, kind, type(failure.value).__name__)

    # -- discovery ---------------------------------------------------------

    def parse_listing(self, response):
        site = self.sites[response.meta["site"]]
        self._count_fetch(site, response)
        if not isinstance(response, TextResponse):
            return
        for anchor in response.xpath("//a[@href]"):
            href = anchor.attrib["href"].strip()
            if href.startswith(("javascript:", "mailto:", "#")):
                continue
            if req := self._discovered(site, response, href, anchor=anchor):
                yield req

    @staticmethod
    def _list_date(anchor) -> str | None:
        """The date printed next to a link on a list page (same entry, up to 3 levels up).

        The climb stops at a list or at an element holding more than
        MAX_ENTRY_LINKS links: past that it is the list, not the entry (and
        reading its text for every link would be quadratic).
        """
        node = anchor
        for _ in range(3):
            node = node.xpath("..")
            if not node:
                return None
            node = node[0]
            if node.root.tag in ("ul", "ol", "body", "table", "tbody") or \
                    float(node.xpath("count(.//a)").get()) > MAX_ENTRY_LINKS:
                return None
            text = " ".join(node.xpath(".//text()").getall())
            if match := NUMERIC_DATE.search(text):
                return match.group(0)
        return None

    def parse_feed(self, response):
        site = self.sites[response.meta["site"]]
        self._count_fetch(site, response)
        text, _ = decode_html(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
        selector = scrapy.Selector(text=text, type="xml")
        selector.remove_namespaces()
        for item in selector.xpath("//item"):
            link = item.xpath("link/text()").get() or item.xpath("guid/text()").get()
            if link:
                hint = item.xpath("pubDate/text()").get() or item.xpath("date/text()").get()
                if req := self._discovered(site, response, link, hint):
                    yield req
        for entry in selector.xpath("//entry"):
            link = (entry.xpath("link[@rel='alternate']/@href").get()
                    or entry.xpath("link[not(@rel)]/@href").get() or entry.xpath("link/@href").get())
            if link:
                hint = entry.xpath("published/text()").get() or entry.xpath("updated/text()").get()
                if req := self._discovered(site, response, link, hint):
                    yield req

    def parse_sitemap(self, response):
        site = self.sites[response.meta["site"]]
        self._count_fetch(site, response)
        if response.url.endswith("/robots.txt"):
            for url in sitemap_urls_from_robots(response.body, base_url=response.url):
                if req := self._request(site, url, self.parse_sitemap, kind="sitemap"):
                    yield req
            return
        body = response.body
        if gzip_magic_number(response):
            try:
                body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
            except ValueError:  # gunzip's (private) error for passing max_size
                counters.count_error(self.crawler.stats, site.name, ErrorKind.TOO_LARGE)
                return
            except (OSError, EOFError):  # truncated or corrupt gzip
                counters.count_error(self.crawler.stats, site.name, ErrorKind.BAD_SITEMAP)
                return
        try:
            sitemap = Sitemap(body)
        except Exception:  # lxml raises XMLSyntaxError and friends on garbage
            counters.count_error(self.crawler.stats, site.name, ErrorKind.BAD_SITEMAP)
            return
        for entry in sitemap:
            loc = entry.get("loc", "").strip()
            if not loc:
                continue
            if sitemap.type == "sitemapindex":
                req = self._request(site, loc, self.parse_sitemap, kind="sitemap")
            else:
                hint = entry.get("publication_date") or entry.get("lastmod")
                req = self._discovered(site, response, loc, hint)
            if req:
                yield req

    # -- articles ------------------------------------------------------------

    def parse_article(self, response):
        site = self.sites[response.meta["site"]]
        self._count_fetch(site, response)
        content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if content_type and not content_type.startswith(HTML_TYPES):
            counters.count_error(self.crawler.stats, site.name, ErrorKind.NOT_HTML)
            return
        if not response.body.strip():
            counters.count_error(self.crawler.stats, site.name, ErrorKind.EMPTY_PAGE)
            return
        yield PageItem(
            site=site.name,
            url=self.urls.article(response.url),
            body=response.body,
            fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            content_type=content_type or None,
            date_hint=response.meta.get("date_hint"),
            redirected_from=tuple(self.urls.article(u) for u in response.meta.get("redirect_urls", ())),
        )

    def _count_fetch(self, site: SiteConfig, response) -> None:
        counters.count(self.crawler.stats, site.name, "fetched")
        if response.meta.get("retry_times"):  # fetched after RetryMiddleware retried it (5xx, lost connection)
            counters.count(self.crawler.stats, site.name, SkipKind.RETRIED)
