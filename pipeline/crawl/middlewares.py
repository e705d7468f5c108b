"""Downloader middlewares (Scrapy's own, taught the crawl's sites) and the spider middlewares that drop links.

The per-site budget and the seen-articles skip are spider middlewares: they
drop a link as the spider yields it, which costs microseconds, where a drop in
the downloader costs a trip through Scrapy's engine.

Each subclass overrides only what it must: the offsite policy is per site
(``should_follow``) and counted per site; robots.txt answers are read as
RFC 9309 says (errors, size cap); robots.txt refusals, decompression
bombs and redirect limits are re-raised as typed exceptions
(:mod:`.failures`) so failures are classified by type. Requests carry their
site's name in ``meta["site"]``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path

from scrapy import signals
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares import robotstxt
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured, StopDownload
from scrapy.http.request import NO_CALLBACK
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from scrapy.utils.httpobj import urlparse_cached

from pipeline.core import counters
from pipeline.core.kinds import ErrorKind, SkipKind
from pipeline.core.urls import host_allowed
from pipeline.crawl.failures import DecompressedTooLarge, RobotsForbidden, RobotsUnavailable, TooManyRedirects
from pipeline.crawl.signals import budget_spent
from pipeline.crawl.sites import site_rules
from pipeline.store import connect, queries

logger = logging.getLogger(__name__)


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
    """robots.txt per RFC 9309 (section 2.3), refusals as :class:`RobotsForbidden`.

    Scrapy fetches robots.txt (retries, redirects) but parses whatever comes
    back and allows everything when nothing does. Here a 4xx allows
    everything; a 5xx or 429 left after the retries, or no answer at all
    (timeout, refused, DNS), puts the whole host off limits for this run,
    counted once per site as ``robots_unavailable``; and only the first
    NEWSRAKE_ROBOTSTXT_MAXSIZE bytes are downloaded and parsed. (Scrapy's
    ``_parse_robots`` and ``_robots_error`` are the only hooks that see the
    answer, so those two are overridden.)
    """

    def __init__(self, crawler):
        super().__init__(crawler)
        self.max_size = crawler.settings.getint("NEWSRAKE_ROBOTSTXT_MAXSIZE")
        self.unavailable: dict[str, str] = {}  # netloc -> why its robots.txt could not be had
        self.counted: set[tuple[str, str]] = set()  # (site, netloc) already counted as robots_unavailable
        crawler.signals.connect(self.bytes_received, signal=signals.bytes_received)
        # Scrapy logs a failed robots.txt download as an error with its traceback; the one-line
        # warning of process_request_2 says what it means for the site instead.
        logging.getLogger(robotstxt.__name__).addFilter(lambda record: record.levelno < logging.ERROR)

    def bytes_received(self, data: bytes, request, spider=None) -> None:
        """Stop downloading a robots.txt at the cap; what was received is the response."""
        if not (request.callback is NO_CALLBACK and request.meta.get("dont_obey_robotstxt")) or not self.max_size:
            return
        request.meta["robotstxt_bytes"] = received = request.meta.get("robotstxt_bytes", 0) + len(data)
        if received >= self.max_size:
            raise StopDownload(fail=False)

    async def _parse_robots(self, response, netloc, request) -> None:
        if response.status >= 500 or response.status == 429:  # "unreachable": disallow all
            self.unavailable[netloc] = f"HTTP {response.status}"
        ok = 200 <= response.status < 300  # a 4xx (or an unfollowed 3xx) is "unavailable": allow all
        body = _first_lines(response.body, self.max_size) if ok else b""
        await super()._parse_robots(response.replace(body=body), netloc, request)

    def _robots_error(self, exc, netloc) -> None:
        if not isinstance(exc, IgnoreRequest):  # no answer at all; a middleware's refusal allows all, as in Scrapy
            self.unavailable[netloc] = type(exc).__name__
        super()._robots_error(exc, netloc)

    def process_request_2(self, rp, request) -> None:
        netloc = urlparse_cached(request).netloc
        if netloc in self.unavailable:
            site = _site(request)
            if (site, netloc) not in self.counted:
                self.counted.add((site, netloc))
                counters.count_error(self.crawler.stats, site, ErrorKind.ROBOTS_UNAVAILABLE)
                logger.warning("%s: robots.txt of %s unavailable (%s): none of its pages is fetched this run",
                               site, netloc, self.unavailable[netloc])
            raise RobotsUnavailable(f"robots.txt unavailable: {request.url}")
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            raise RobotsForbidden(f"Forbidden by robots.txt: {request.url}") from None


def _first_lines(body: bytes, max_size: int) -> bytes:
    """``body`` cut at the last line end within ``max_size`` bytes (0: whole): no rule is cut in half."""
    if not max_size or len(body) <= max_size:
        return body
    return body[:body.rfind(b"\n", 0, max_size) + 1]


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


class SiteBudgetMiddleware(BaseSpiderMiddleware):
    """At most ``max_pages`` distinct URLs per site per run, counted as the spider schedules them.

    A spider middleware, as Scrapy's DepthMiddleware: a link over the budget is
    dropped where it is yielded, for the cost of a set lookup, instead of
    travelling through the scheduler, the downloader middlewares and the
    errback (about 2 ms a link: 45,000 of a 50,000-URL sitemap, every night).
    Redirect targets and retries are scheduled by the downloader side and never
    pass here, so they are not counted again; an off-site link passes
    uncounted (the offsite middleware drops and counts it). A site without
    ``max_pages`` gets NEWSRAKE_MAX_PAGES, so a crawler trap ends by itself.
    When the budget is spent, the ``budget_spent`` signal tells the spider, which
    then counts the rest of a sitemap or feed without building its requests.
    The admitted-URL set is behind :meth:`_admit`, the one override point (a fleet shares it in Redis).
    """

    def __init__(self, crawler, budgets: dict[str, int]):
        super().__init__(crawler)
        self.budgets = budgets  # site -> max distinct URLs
        self.sites = site_rules(crawler.settings)
        self.seen: dict[str, set[str]] = {}
        self.spent: set[str] = set()  # sites whose full budget the spider has been told of

    @classmethod
    def from_crawler(cls, crawler):
        default = crawler.settings.getint("NEWSRAKE_MAX_PAGES")
        budgets = {name: s.max_pages or default for name, s in site_rules(crawler.settings).items()}
        budgets = {name: n for name, n in budgets.items() if n > 0}
        if not budgets:
            raise NotConfigured
        return cls(crawler, budgets)

    def get_processed_request(self, request, response):
        site = request.meta.get("site")
        budget = self.budgets.get(site)
        if budget is None or not host_allowed(request.url, self.sites[site].allowed_hosts):
            return request
        admitted, full = self._admit(site, request.url, budget)
        if full and site not in self.spent:  # the spider reads no further sitemap or feed entry for the site
            self.spent.add(site)
            self.crawler.signals.send_catch_log(budget_spent, site=site)
        if not admitted:
            counters.count(self.crawler.stats, site, SkipKind.OVER_BUDGET)
            return None
        return request

    def _admit(self, site: str, url: str, budget: int) -> tuple[bool, bool]:
        """Check ``url`` against the site's admitted URLs and add it while there is budget: whether it
        passes (a repeat passes: Scrapy's dupefilter drops it) and whether the budget is full now."""
        seen = self.seen.setdefault(site, set())
        if url not in seen and len(seen) < budget:
            seen.add(url)
        return url in seen, len(seen) >= budget


class SeenArticlesMiddleware(BaseSpiderMiddleware):
    """Skip article links already in the database, as the spider yields them.

    Like deltafetch, but the memory is newsrake's own tables, so it survives
    across nights and follows URL canonicalisation: an article URL already fetched
    and stored (or recorded as a duplicate) is not fetched again, except articles
    published within NEWSRAKE_RECHECK_DAYS, which are re-fetched to pick up
    corrections. A URL only named by another page's rel=canonical is fetched.
    A spider middleware, so a known link (most of a big archive's sitemap, every
    night) costs one indexed lookup, not a trip through Scrapy's engine.

    Each article link on the site's own hosts is counted once per run as
    ``article_links`` and as ``new_links`` or ``known_links`` (already in the
    database), the figures the site's health is judged by (pipeline/store/health.py).
    """

    def __init__(self, crawler, db_path: Path, recheck_days: float):
        super().__init__(crawler)
        self.db_path = db_path
        self.recheck_days = recheck_days
        self.sites = site_rules(crawler.settings)
        self.links: dict[str, set[str]] = {}  # site -> article links counted this run
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

    def _count_link(self, site: str, url: str, known: bool) -> None:
        seen = self.links.setdefault(site, set())
        if url in seen or not host_allowed(url, self.sites[site].allowed_hosts):  # off-site: the offsite rule counts it
            return
        seen.add(url)
        counters.count(self.crawler.stats, site, "article_links")
        counters.count(self.crawler.stats, site, "known_links" if known else "new_links")

    def get_processed_request(self, request, response):
        if request.meta.get("kind") != "article":
            return request
        known, when = self._known(request.url)
        self._count_link(request.meta["site"], request.url, known)
        if not known:
            return request
        if self._recent(when):
            self.crawler.stats.inc_value("newsrake/rechecked")
            return request
        self.crawler.stats.inc_value("newsrake/skipped_known")
        return None
