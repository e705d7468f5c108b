"""Drop each site's per-visit query parameters (session IDs) from its requests before they are fetched.

The parameters are those recorded in the database (read when the spider
opens, so a later night drops them before its first fetch) and those the
store pipeline finds during the run (the ``session_param_found`` signal; how
they are recognised: pipeline/dedup/session_params.py). A request carrying one
is replaced by the same request without it. The middleware is both a spider
middleware, so the seen-articles skip and the budget (spider middlewares after
it) see the URL the article is known by, and a downloader middleware, for the
requests already scheduled when a parameter is found: Scrapy schedules the
replacement again, so its dupefilter drops the repeats.
"""

from __future__ import annotations

from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from pipeline.core import counters
from pipeline.core.kinds import SkipKind
from pipeline.core.urls import without_params
from pipeline.crawl import signals as newsrake_signals
from pipeline.store import connect, queries


class SessionParamsMiddleware(BaseSpiderMiddleware):
    """Requests of a site lose its per-visit parameters (counted as ``session_param_links``).

    A redirect target keeps them: a server that redirects a URL without a
    session ID to one with a new ID would otherwise redirect in a loop that the
    dupefilter cuts, and the article would never be fetched.
    """

    def __init__(self, crawler, db_path: Path):
        super().__init__(crawler)
        self.db_path = db_path
        self.params: dict[str, set[str]] = {}
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.param_found, signal=newsrake_signals.session_param_found)

    @classmethod
    def from_crawler(cls, crawler):
        db = crawler.settings.get("NEWSRAKE_DB")
        if not db:
            raise NotConfigured
        return cls(crawler, Path(db))

    def spider_opened(self, spider):
        self.params = self._recorded()

    def _recorded(self) -> dict[str, set[str]]:
        """The parameters on record when the spider opens: the override point (a fleet's are in Redis)."""
        # The store pipeline, built before the spider opens, has created or migrated the database.
        if not self.db_path.exists():
            return self.params
        conn = connect(self.db_path, readonly=True)
        try:
            return queries.session_params(conn)
        finally:
            conn.close()

    def param_found(self, site: str, param: str) -> None:
        self.params.setdefault(site, set()).add(param)

    def get_processed_request(self, request, response):
        """The spider side: a yielded link goes on without the parameters."""
        return self._without_params(request) or request

    def process_request(self, request, spider=None):
        """The downloader side: a request scheduled before its site's parameter was found is scheduled again."""
        return self._without_params(request)

    def _without_params(self, request):
        """``request`` without its site's per-visit parameters, or None when it has none to lose."""
        site = request.meta.get("site")
        names = self.params.get(site)
        if not names or request.meta.get("redirect_urls"):
            return None
        url = without_params(request.url, names)
        if url == request.url:
            return None
        counters.count(self.crawler.stats, site, SkipKind.SESSION_PARAM)
        return request.replace(url=url)
