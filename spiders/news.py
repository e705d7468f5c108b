"""The one generic news spider, driven by the site config.

Discovery only: list pages (with pagination, via ``follow_pattern``), RSS/Atom
feeds and sitemaps (indexes, gzip, ``Sitemap:`` lines in robots.txt). Every
link is canonicalised before it is scheduled, so tracking-parameter disguises
of one article become one request. What the spider yields is the fetched
article page (:class:`PageItem`); extraction, cleaning, dedup and storage are
item pipelines, the per-site host and robots.txt rules downloader middlewares,
the budget and the seen-articles skip spider middlewares (pipeline/crawl/).

Discovery is bounded (:class:`DiscoveryLimits`): links read per page and URLs
per feed or sitemap are capped, list pages are followed NEWSRAKE_FOLLOW_DEPTH
steps, sitemap indexes NEWSRAKE_SITEMAP_DEPTH levels, list pages no further
once they stop bringing articles (:class:`~pipeline.crawl.list_yield.ListYield`), and a link longer than
URLLENGTH_LIMIT never reaches a site's regexes; what is cut is counted per site.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import islice
from urllib.parse import urldefrag

import scrapy
from scrapy import signals
from scrapy.http import TextResponse
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from cleaners.patterns import NUMERIC_DATE
from pipeline.core import counters
from pipeline.core.config import SiteConfig, load_config
from pipeline.core.items import PageItem
from pipeline.core.kinds import ErrorKind, SkipKind
from pipeline.crawl.failures import classify_failure, classify_skip
from pipeline.crawl.signals import article_alias, budget_spent
from pipeline.crawl.sites import ARTICLE, FOLLOW, allowed_domains, link_rule, site_rules, url_rules
from pipeline.extract.decode import decode_html
from spiders.feeds import feed_entries

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_ENTRY_LINKS = 3
LIST_TAGS = ("ul", "ol", "body", "table", "tbody")  # the list-date climb stops at these
DISCOVERY_KINDS = ("list", "feed", "sitemap")  # requests for pages read for links, counted as list_pages
# Articles are fetched before more list, feed or sitemap pages: the scheduler then holds about one page's
# links, not every article link of a pagination chain it raced down (its memory grew with the site's size).
ARTICLE_PRIORITY = 1


@dataclass(frozen=True)
class DiscoveryLimits:
    """The bounds of discovery, from the settings (0 means no limit for the depths)."""

    links_per_page: int
    urls_per_feed: int
    follow_depth: int
    sitemap_depth: int
    url_length: int

    @classmethod
    def from_settings(cls, settings) -> DiscoveryLimits:
        return cls(settings.getint("NEWSRAKE_MAX_LINKS_PER_PAGE"), settings.getint("NEWSRAKE_MAX_URLS_PER_FEED"),
                   settings.getint("NEWSRAKE_FOLLOW_DEPTH"), settings.getint("NEWSRAKE_SITEMAP_DEPTH"),
                   settings.getint("URLLENGTH_LIMIT"))

    @staticmethod
    def within(depth: int, limit: int) -> bool:
        return not limit or depth <= limit


def crowded_elements(root) -> set:
    """The elements of ``root`` holding more than MAX_ENTRY_LINKS ``<a>`` elements: lists, not entries.

    One pass over the links, each climbing its ancestors only until one is
    already known to be crowded (its ancestors then are too), so every element
    is counted at most MAX_ENTRY_LINKS + 1 times: linear, where ``count(.//a)``
    per link and ancestor was quadratic on a page of 30,000 links in one <div>.
    """
    counts: dict = {}
    for anchor in root.iter("a"):
        node = anchor.getparent()
        while node is not None and counts.get(node, 0) <= MAX_ENTRY_LINKS:
            counts[node] = counts.get(node, 0) + 1
            node = node.getparent()
    return {node for node, n in counts.items() if n > MAX_ENTRY_LINKS}


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
        spider.limits = DiscoveryLimits.from_settings(settings)
        spider.list_yield = build_from_crawler(load_object(settings["NEWSRAKE_LIST_YIELD"]), crawler)
        spider.allowed_domains = allowed_domains(settings)
        crawler.signals.connect(spider._count_request, signal=signals.request_reached_downloader)
        spider.spent = set()  # sites whose page budget is spent (SiteBudgetMiddleware)
        crawler.signals.connect(spider._budget_spent, signal=budget_spent)
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

    def _request(self, site: SiteConfig, url: str, callback, kind: str, date_hint: str | None = None,
                 depth: int = 0):
        """A request for ``url`` on behalf of ``site`` (None for a malformed URL).

        Off-host URLs, repeats and requests over the site's budget are dropped
        by Scrapy's scheduler and middlewares. Article URLs carrying tracking
        parameters are announced as aliases of their canonical form. ``depth``:
        follow steps from a start URL (list pages), sitemap indexes above (sitemaps)."""
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
        meta = {"site": site.name, "kind": kind, "date_hint": date_hint, "newsrake_depth": depth}
        if site.download_delay is not None:  # a fixed delay: AutoThrottle must not lower it
            meta.update(download_slot=site.name, autothrottle_dont_adjust_delay=True)
        return scrapy.Request(target, callback=callback, errback=self.on_error, meta=meta,
                              priority=ARTICLE_PRIORITY if kind == "article" else 0)

    def _discovered(self, site: SiteConfig, response, href: str, date_hint: str | None = None, anchor=None,
                    crowded: set = frozenset()):
        """Decide a link found on ``response`` (:func:`~pipeline.crawl.sites.link_rule`) and schedule it (:meth:`_schedule`).

        For an article linked from a list page (``anchor``), the date printed
        next to the link is its date hint.
        """
        try:
            url = response.urljoin(href.strip())
        except ValueError:
            url = None
        kind, rule = link_rule(site, url, self.limits.url_length)
        if kind == ARTICLE and anchor is not None:
            date_hint = self._list_date(anchor, crowded)
        return self._schedule(site, response, url, kind, rule, date_hint)

    def _schedule(self, site: SiteConfig, response, url: str | None, kind: str, rule: str, date_hint: str | None):
        """The request for a decided link: an article, a list page to follow (within NEWSRAKE_FOLLOW_DEPTH), or none."""
        if kind == ARTICLE:
            return self._request(site, url, self.parse_article, kind="article", date_hint=date_hint)
        if kind == FOLLOW:
            depth = response.meta.get("newsrake_depth", 0) + 1
            if not self.limits.within(depth, self.limits.follow_depth):
                counters.count(self.crawler.stats, site.name, SkipKind.FOLLOW_TOO_DEEP)
                return None
            return self._request(site, url, self.parse_listing, kind="list", depth=depth)
        if rule == SkipKind.BAD_LINK:
            counters.count(self.crawler.stats, site.name, SkipKind.BAD_LINK)
        return None

    def _capped(self, site: SiteConfig, entries, cap: int):
        """The first ``cap`` of ``entries``; the rest are counted as links_over_cap, not scheduled."""
        entries = iter(entries)
        yield from islice(entries, cap)
        if over := sum(1 for _ in entries):
            counters.count(self.crawler.stats, site.name, SkipKind.LINKS_OVER_CAP, over)

    def _unspent(self, site: SiteConfig, entries):
        """``entries`` of a sitemap or feed while ``site`` has budget left; the rest are counted as over_budget.

        Each would be dropped by the budget middleware anyway, after being
        canonicalised, looked up and built into a request (about 0.3 ms each:
        45,000 of a 150k-URL sitemap every night). Known articles among them are
        counted over_budget too, and not as known or new links: they are not read.
        """
        entries = iter(entries)
        for entry in entries:
            if site.name in self.spent:
                counters.count(self.crawler.stats, site.name, SkipKind.OVER_BUDGET, 1 + sum(1 for _ in entries))
                return
            yield entry

    def _sitemap_request(self, site: SiteConfig, response, url: str, depth: int):
        """A request for a sitemap named on ``response`` (robots.txt or a sitemap index), within NEWSRAKE_SITEMAP_DEPTH."""
        if not self.limits.within(depth, self.limits.sitemap_depth):
            counters.count(self.crawler.stats, site.name, SkipKind.SITEMAP_TOO_DEEP)
            return None
        return self._request(site, url, self.parse_sitemap, kind="sitemap", depth=depth)

    def on_error(self, failure):
        request = failure.request
        site = request.meta.get("site", "?")
        kind = classify_failure(failure)
        if kind is None:  # dropped on purpose (robots.txt)
            if skip := classify_skip(failure):
                counters.count(self.crawler.stats, site, skip)
            return
        counters.count_error(self.crawler.stats, site, kind)
        self.logger.warning("%s: %s failed: %s (%s)", site, request.url, kind, type(failure.value).__name__)

    # -- discovery ---------------------------------------------------------

    def parse_listing(self, response):
        """Schedule the page's articles, then its list pages unless the site's list pages have gone thin."""
        site = self.sites[response.meta["site"]]
        self._count_fetch(site, response)
        if not isinstance(response, TextResponse):
            return
        root = response.selector.root
        crowded = crowded_elements(root)
        follows, new_links = [], 0
        for anchor in self._capped(site, root.xpath("//a[@href]"), self.limits.links_per_page):
            href = anchor.get("href").strip()
            if href.startswith(("javascript:", "mailto:", "#")):
                continue
            req = self._discovered(site, response, href, anchor=anchor, crowded=crowded)
            if req is None:
                continue
            if req.meta["kind"] == "list":
                follows.append(req)
                continue
            new_links += self.list_yield.first_seen(site.name, req.url)
            yield req
        if self.list_yield.is_thin(site.name, new_links):
            if follows:
                counters.count(self.crawler.stats, site.name, SkipKind.THIN_LISTS, len(follows))
            return
        yield from follows

    @staticmethod
    def _list_date(anchor, crowded: set) -> str | None:
        """The date printed next to a link on a list page (same entry, up to 3 levels up).

        The climb stops at a list or at a ``crowded`` element (more than
        MAX_ENTRY_LINKS links): past that it is the list, not the entry (and
        reading its text for every link would be quadratic).
        """
        node = anchor
        for _ in range(3):
            node = node.getparent()
            if node is None or node.tag in LIST_TAGS or node in crowded:
                return None
            if match := NUMERIC_DATE.search(" ".join(node.xpath(".//text()"))):
                return match.group(0)
        return None

    def parse_feed(self, response):
        site = self.sites[response.meta["site"]]
        self._count_fetch(site, response)
        text, _ = decode_html(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
        entries = feed_entries(text.strip().replace("\x00", "").encode("utf-8"))
        for link, hint in self._unspent(site, self._capped(site, entries, self.limits.urls_per_feed)):
            if req := self._discovered(site, response, link, hint):
                yield req

    def parse_sitemap(self, response):
        site = self.sites[response.meta["site"]]
        self._count_fetch(site, response)
        depth = response.meta.get("newsrake_depth", 0)
        cap = self.limits.urls_per_feed
        if response.url.endswith("/robots.txt"):  # its Sitemap: lines are top-level sitemaps
            sitemaps = sitemap_urls_from_robots(response.body, base_url=response.url)
            for url in self._unspent(site, self._capped(site, sitemaps, cap)):
                if req := self._sitemap_request(site, response, url, depth):
                    yield req
            return
        body = response.body
        if gzip_magic_number(response):
            try:
                body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
            except ValueError:  # gunzip's (private) error for passing max_size
                self._page_error(site, response, ErrorKind.TOO_LARGE)
                return
            except (OSError, EOFError):  # truncated or corrupt gzip
                self._page_error(site, response, ErrorKind.BAD_SITEMAP)
                return
        try:
            sitemap = Sitemap(body)
        except Exception:  # lxml raises XMLSyntaxError and friends on garbage
            self._page_error(site, response, ErrorKind.BAD_SITEMAP)
            return
        for entry in self._unspent(site, self._capped(site, sitemap, cap)):  # Sitemap streams (iterparse)
            loc = entry.get("loc", "").strip()
            if not loc:
                continue
            if sitemap.type == "sitemapindex":
                req = self._sitemap_request(site, response, loc, depth + 1)
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
            self._page_error(site, response, ErrorKind.NOT_HTML)
            return
        if not response.body.strip():
            self._page_error(site, response, ErrorKind.EMPTY_PAGE)
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

    def closed(self, reason: str) -> None:
        if reason == "closespider_timeout":  # the run-wide time limit cut every site's remaining work
            for site in self.sites:
                counters.count(self.crawler.stats, site, SkipKind.TIME_LIMIT)

    def _budget_spent(self, site: str) -> None:
        self.spent.add(site)

    def _count_request(self, request, spider=None) -> None:
        """A request of a site sent to its server (retries and redirects too; robots.txt has no site)."""
        if site := request.meta.get("site"):
            counters.count(self.crawler.stats, site, "requests")

    def _page_error(self, site: SiteConfig, response, kind: str) -> None:
        """A page fetched but unusable (not HTML, empty, a broken sitemap): counted for its site."""
        counters.count_error(self.crawler.stats, site.name, kind)

    def _count_fetch(self, site: SiteConfig, response) -> None:
        counters.count(self.crawler.stats, site.name, "fetched")
        if response.meta.get("kind") in DISCOVERY_KINDS:
            counters.count(self.crawler.stats, site.name, "list_pages")
        if response.meta.get("retry_times"):  # fetched after RetryMiddleware retried it (5xx, lost connection)
            counters.count(self.crawler.stats, site.name, SkipKind.RETRIED)
