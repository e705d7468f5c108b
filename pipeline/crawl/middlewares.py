"""Downloader middlewares: Scrapy's own, taught the crawl's sites, plus the seen-articles skip.

Each subclass overrides only what it must: the offsite policy is per site
(``should_follow``) and counted per site; robots.txt refusals, decompression
bombs and redirect limits are re-raised as typed exceptions
(:mod:`.failures`) so failures are classified by type. Requests carry their
site's name in ``meta["site"]``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from scrapy import signals
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured

from pipeline.core import counters
from pipeline.core.kinds import ErrorKind, SkipKind
from pipeline.core.urls import host_allowed
from pipeline.crawl.failures import AlreadyStored, DecompressedTooLarge, RobotsForbidden, TooManyRedirects
from pipeline.crawl.sites import site_rules
from pipeline.store import connect, queries


def _site(request) -> str:
    return request.meta.get("site", "?")


class SiteOffsiteMiddleware(OffsiteMiddleware):
    """Each site's requests stay on its own ``allowed_hosts`` (and their subdomains)."""

    @classmethod
    def from_crawler(cls, crawler):
        mw = super().from_crawler(crawler)
        mw.sites = site_rules(crawler.settings)
        return mw

    def should_follow(self, request, spider) -> bool:
        site = self.sites.get(request.meta.get("site"))
        if site is None:  # robots.txt and other requests of Scrapy's own
            return super().should_follow(request, spider)
        return host_allowed(request.url, site.allowed_hosts)

    def process_request(self, request, spider=None):
        try:
            return super().process_request(request)
        except IgnoreRequest:
            if request.meta.get("redirect_urls"):
                counters.count_error(self.crawler.stats, _site(request), ErrorKind.OFFSITE_REDIRECT)
            else:
                counters.count(self.crawler.stats, _site(request), SkipKind.OFFSITE)
            raise


class SiteRobotsTxtMiddleware(RobotsTxtMiddleware):
    """robots.txt refusals as :class:`RobotsForbidden` (Scrapy still counts ``robotstxt/forbidden``)."""

    def process_request_2(self, rp, request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            raise RobotsForbidden(f"Forbidden by robots.txt: {request.url}") from None


class SizeCappedCompressionMiddleware(HttpCompressionMiddleware):
    """Decompression past DOWNLOAD_MAXSIZE (the only IgnoreRequest this middleware raises) as a typed fault."""

    def process_response(self, request, response, spider=None):
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:
            raise DecompressedTooLarge(str(exc)) from None


class CountedRedirectMiddleware(RedirectMiddleware):
    """REDIRECT_MAX_TIMES reached as a typed fault; a redirect loop cut by the dupefilter counted."""

    @classmethod
    def from_crawler(cls, crawler):
        mw = super().from_crawler(crawler)
        crawler.signals.connect(mw.request_dropped, signal=signals.request_dropped)
        return mw

    def process_response(self, request, response, spider=None):
        try:
            return super().process_response(request, response)
        except IgnoreRequest:  # raised only when REDIRECT_MAX_TIMES is reached
            raise TooManyRedirects(f"more than {self.max_redirect_times} redirects: {request.url}") from None

    def request_dropped(self, request, spider=None):
        # The dupefilter drops a redirect back to a URL of the chain: that is a loop, and no errback sees it.
        if request.url in request.meta.get("redirect_urls", ()):
            counters.count_error(self.crawler.stats, _site(request), ErrorKind.REDIRECT_LOOP)


class SiteBudgetMiddleware:
    """At most ``max_pages`` distinct URLs per site per run (redirect targets and retries not counted again)."""

    def __init__(self, crawler, sites):
        self.crawler = crawler
        self.sites = sites
        self.seen: dict[str, set[str]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        sites = {name: s for name, s in site_rules(crawler.settings).items() if s.max_pages}
        if not sites:
            raise NotConfigured
        return cls(crawler, sites)

    def process_request(self, request, spider=None):
        site = self.sites.get(request.meta.get("site"))
        if site is None or request.meta.get("redirect_urls"):
            return None
        seen = self.seen.setdefault(site.name, set())
        if request.url in seen:
            return None
        if len(seen) >= site.max_pages:
            counters.count(self.crawler.stats, site.name, SkipKind.OVER_BUDGET)
            raise IgnoreRequest(f"{site.name}: over max_pages ({site.max_pages})")
        seen.add(request.url)
        return None


class SeenArticlesMiddleware:
    """Skip article pages already in the database.

    Like deltafetch, but the memory is newsrake's own tables, so it survives
    across nights and follows URL canonicalisation: an article URL already stored
    (or recorded as a duplicate) is not fetched again, except articles published
    within NEWSRAKE_RECHECK_DAYS, which are re-fetched to pick up corrections.
    """

    def __init__(self, crawler, db_path: Path, recheck_days: float):
        self.crawler = crawler
        self.db_path = db_path
        self.recheck_days = recheck_days
        self.conn = None

    @classmethod
    def from_crawler(cls, crawler):
        db = crawler.settings.get("NEWSRAKE_DB")
        if not db:
            raise NotConfigured
        mw = cls(crawler, Path(db), crawler.settings.getfloat("NEWSRAKE_RECHECK_DAYS"))
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_closed(self, spider):
        if self.conn is not None:
            self.conn.close()

    def _known(self, url: str):
        if self.conn is None:
            if not self.db_path.exists():
                return False, None
            self.conn = connect(self.db_path, readonly=True)
        return queries.known_article(self.conn, url)

    def _recent(self, when: str | None) -> bool:
        """Published within the recheck window (undated articles are not re-fetched)."""
        if not when or self.recheck_days <= 0:
            return False
        try:
            moment = datetime.fromisoformat(when)
        except ValueError:
            return False
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return datetime.now(timezone.utc) - moment <= timedelta(days=self.recheck_days)

    def process_request(self, request, spider=None):
        if request.meta.get("kind") != "article":
            return None
        known, when = self._known(request.url)
        if not known:
            return None
        if self._recent(when):
            self.crawler.stats.inc_value("newsrake/rechecked")
            return None
        self.crawler.stats.inc_value("newsrake/skipped_known")
        raise AlreadyStored(f"already stored: {request.url}")
