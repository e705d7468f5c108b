"""The ``check`` spider: what a crawl would make of a site, without crawling it (``newsrake check``).

It is the ``news`` spider with another scheduling: it reads the sites' start
pages, feeds and sitemaps (those robots.txt or a sitemap index names too, as
deep as NEWSRAKE_SITEMAP_DEPTH, which the runner sets to one index level),
decides every link found with the crawl's own :func:`~pipeline.crawl.sites.link_rule`,
then as the downloader would (an off-site link or one robots.txt disallows is
ignored), and announces each page's links with the ``page_read`` signal. List
pages to follow are not followed; the first ``limit`` article links of each
site are fetched as samples and yielded as :class:`PageItem`. A page that
cannot be had is announced with ``page_failed``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import signals
from scrapy.utils.httpobj import urlparse_cached

from pipeline.core.config import SiteConfig
from pipeline.core.kinds import SkipKind
from pipeline.core.urls import host_allowed
from pipeline.crawl.failures import failure_kind
from pipeline.crawl.signals import page_failed, page_read
from pipeline.crawl.sites import ARTICLE, FOLLOW, IGNORED, SITEMAP
from spiders.news import NewsSpider

LINKS = "newsrake_links"  # response.meta: the links decided on that page, (url, kind, rule)


class CheckSpider(NewsSpider):
    name = "check"

    def __init__(self, limit=3, **kwargs):
        super().__init__(**kwargs)
        self.limit = int(limit)  # sample articles per site
        self.sampled: dict[str, set[str]] = {}  # site -> sample URLs requested
        self.robots: dict[str, object] = {}  # netloc -> its robots.txt rules, as the robots middleware parsed them

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.robots_agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get("USER_AGENT")
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        return spider

    def robots_parsed(self, robotparser, request) -> None:
        self.robots[urlparse_cached(request).netloc] = robotparser

    # -- the pages read: each announced with its links once its callback is done ----------

    def parse_listing(self, response):
        return self._read(response, super().parse_listing(response))

    def parse_feed(self, response):
        return self._read(response, super().parse_feed(response))

    def parse_sitemap(self, response):
        return self._read(response, super().parse_sitemap(response))

    def _read(self, response, requests):
        links = response.meta[LINKS] = []
        yield from requests
        self.crawler.signals.send_catch_log(page_read, site=response.meta["site"], url=response.url,
                                            kind=response.meta["kind"], links=links)

    # -- links: recorded as decided; only the samples are requested -------------------------

    def _schedule(self, site: SiteConfig, response, url: str | None, kind: str, rule: str, date_hint: str | None):
        if kind != IGNORED:
            kind, rule = self._downloadable(site, url, kind, rule)
        response.meta[LINKS].append((url, kind, rule))
        sampled = self.sampled.setdefault(site.name, set())
        if kind != ARTICLE or len(sampled) >= self.limit:
            return None
        req = super()._schedule(site, response, url, kind, rule, date_hint)
        if req is None or req.url in sampled:
            return None
        sampled.add(req.url)
        return req

    def _sitemap_request(self, site: SiteConfig, response, url: str, depth: int):
        kind, rule = self._downloadable(site, url, FOLLOW, SITEMAP)
        req = super()._sitemap_request(site, response, url, depth) if kind == FOLLOW else None
        if kind == FOLLOW and req is None:
            kind, rule = IGNORED, SkipKind.SITEMAP_TOO_DEEP
        response.meta[LINKS].append((url, kind, rule))
        return req

    def _downloadable(self, site: SiteConfig, url: str, kind: str, rule: str) -> tuple[str, str]:
        """``(kind, rule)`` once the downloader has had its say: off-site and robots.txt-disallowed links are
        ignored (robots.txt as far as it is known: the rules of the hosts whose pages were requested)."""
        if not host_allowed(url, site.allowed_hosts):
            return IGNORED, SkipKind.OFFSITE
        robots = self.robots.get(urlsplit(url).netloc)
        if robots is not None and not robots.allowed(url, self.robots_agent):
            return IGNORED, SkipKind.ROBOTS
        return kind, rule

    # -- pages that could not be had ------------------------------------------------------

    def on_error(self, failure):
        super().on_error(failure)
        self.crawler.signals.send_catch_log(page_failed, site=failure.request.meta["site"], url=failure.request.url,
                                            kind=failure_kind(failure))

    def _page_error(self, site: SiteConfig, response, kind: str) -> None:
        super()._page_error(site, response, kind)
        self.crawler.signals.send_catch_log(page_failed, site=site.name, url=response.url, kind=kind)
