"""The one generic news spider, driven by the site config.

Discovery: list pages (with pagination, via ``follow_pattern``), RSS/Atom
feeds and sitemaps (indexes, gzip, ``Sitemap:`` lines in robots.txt). Every
link is canonicalised before it is scheduled, so tracking-parameter disguises
of one article become one request. What the spider yields is the raw article
page; extraction, cleaning, dedup and storage are item pipelines.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timezone
from urllib.parse import urldefrag

import scrapy
from scrapy import signals
from scrapy.http import TextResponse
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from cleaners.patterns import NUMERIC_DATETIME
from pipeline import stats
from pipeline.config import SiteConfig, load_config
from pipeline.decode import decode_html
from pipeline.errors import classify_failure, classify_skip
from pipeline.urls import TrackingParams, canonical_url, host_allowed

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_ENTRY_LINKS = 3


class NewsSpider(scrapy.Spider):
    """Crawl every site in ``config`` (a TOML path, ``-a config=...``)."""

    name = "news"

    def __init__(self, config: str | None = None, sites: list[SiteConfig] | None = None, **kwargs):
        super().__init__(**kwargs)
        if sites is None:
            if not config:
                raise ValueError("NewsSpider needs a site config: scrapy crawl news -a config=sites.toml")
            sites = load_config(config)
        self.config_path = config
        self.sites = {s.name: s for s in sites}
        self.allowed_domains = sorted({h for s in sites for h in s.allowed_hosts})
        self.requests_per_site: Counter[str] = Counter()
        self.scheduled: set[str] = set()  # URLs requested in this run (each counts once against max_pages)
        self.url_aliases: dict[str, set[tuple[str, str]]] = defaultdict(set)  # article URL -> (site, disguise)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.tracking = TrackingParams(crawler.settings.getlist("NEWSRAKE_TRACKING_PARAMS"))
        # A site's download_delay applies to all its hosts: its requests share one slot named after it.
        slots = {s.name: {"delay": s.download_delay} for s in spider.sites.values() if s.download_delay is not None}
        if slots:
            crawler.settings.set("DOWNLOAD_SLOTS", {**crawler.settings.getdict("DOWNLOAD_SLOTS"), **slots},
                                 priority="spider")
        crawler.signals.connect(spider._redirect_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(spider._redirect_dropped, signal=signals.request_dropped)
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
        """A request for ``url`` on behalf of ``site``, or None when off-host, already
        requested in this run, or over budget. Article URLs carrying tracking
        parameters are noted as aliases of their canonical form."""
        try:
            target = url if kind == "sitemap" else canonical_url(url, self.tracking if kind == "article" else None)
            if not host_allowed(target, site.allowed_hosts):
                stats.count(self.crawler.stats, site.name, "offsite_links")
                return None
            if kind == "article" and canonical_url(url) != target:  # tracking parameters were removed
                self.url_aliases[target].add((site.name, urldefrag(url)[0]))
        except ValueError:  # a bad port, an unclosed IPv6 bracket: skip the link, keep the page
            stats.count(self.crawler.stats, site.name, "bad_links")
            return None
        if target in self.scheduled:
            return None
        if site.max_pages and self.requests_per_site[site.name] >= site.max_pages:
            stats.count(self.crawler.stats, site.name, "over_budget")
            return None
        self.scheduled.add(target)
        self.requests_per_site[site.name] += 1
        meta = {"site": site.name, "kind": kind, "date_hint": date_hint}
        if site.download_delay is not None:  # a fixed delay: AutoThrottle must not lower it
            meta.update(download_slot=site.name, autothrottle_dont_adjust_delay=True)
        if kind == "article":
            meta["newsrake_article"] = True
        return scrapy.Request(target, callback=callback, errback=self.on_error, meta=meta)

    def _discovered(self, site: SiteConfig, response, href: str, date_hint: str | None = None, anchor=None):
        """Schedule a link found on ``response``: as an article, as a list page to follow, or not at all.

        For an article linked from a list page (``anchor``), the date printed
        next to the link is its date hint.
        """
        try:
            url = response.urljoin(href.strip())
        except ValueError:
            stats.count(self.crawler.stats, site.name, "bad_links")
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
        if kind is None:  # filtered on purpose (robots.txt, already stored)
            if skip := classify_skip(failure):
                stats.count(self.crawler.stats, site, skip)
            return
        stats.count(self.crawler.stats, site, f"errors/{kind}")
        self.logger.warning("%s: %s failed: %s", site, request.url, kind)

    # Redirects the scheduler drops never reach on_error: count them here.
    def _redirect_scheduled(self, request, spider=None):
        if request.meta.get("redirect_urls") and not host_allowed(request.url, self.allowed_domains):
            # OffsiteMiddleware drops it (same rule: allowed_domains)
            stats.count(self.crawler.stats, request.meta.get("site", "?"), "errors/offsite_redirect")

    def _redirect_dropped(self, request, spider=None):
        if request.url in request.meta.get("redirect_urls", ()):  # the dupefilter ended a redirect loop
            stats.count(self.crawler.stats, request.meta.get("site", "?"), "errors/redirect_loop")

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
            if match := NUMERIC_DATETIME.search(text):
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
            except _DecompressionMaxSizeExceeded:
                stats.count(self.crawler.stats, site.name, "errors/too_large")
                return
            except (OSError, EOFError, ValueError):  # truncated or corrupt gzip
                stats.count(self.crawler.stats, site.name, "errors/bad_sitemap")
                return
        try:
            sitemap = Sitemap(body)
        except Exception:  # lxml raises XMLSyntaxError and friends on garbage
            stats.count(self.crawler.stats, site.name, "errors/bad_sitemap")
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
            stats.count(self.crawler.stats, site.name, "errors/not_html")
            return
        if not response.body.strip():
            stats.count(self.crawler.stats, site.name, "errors/empty_page")
            return
        yield {
            "site": site.name,
            "url": canonical_url(response.url, self.tracking),
            "redirected_from": [canonical_url(u, self.tracking) for u in response.meta.get("redirect_urls", [])],
            "body": response.body,
            "content_type": content_type or None,
            "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "date_hint": response.meta.get("date_hint"),
        }

    def _count_fetch(self, site: SiteConfig, response) -> None:
        stats.count(self.crawler.stats, site.name, "fetched")
        if response.meta.get("retry_times"):  # fetched after RetryMiddleware retried it (5xx, lost connection)
            stats.count(self.crawler.stats, site.name, "retried")

