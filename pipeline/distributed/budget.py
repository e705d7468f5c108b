"""A site's budgets for the whole fleet, not per worker: its pages (``max_pages``) and its seconds of
extraction (NEWSRAKE_SITE_EXTRACT_BUDGET).

Pages: the local :class:`~pipeline.crawl.middlewares.SiteBudgetMiddleware` with its admitted-URL set in Redis, one
set per site keyed by the run (cleared with the run's other keys), checked and added to in one Lua script so
that two workers never both take a site's last place. Whichever worker first sees a site's budget full sends
``budget_spent`` to its own spider; the over-budget links each worker counts reach the run's counters with the
others (:meth:`~pipeline.distributed.worker.FleetWorker.hand_over_counters`).

Extraction: the local :class:`~pipeline.crawl.pipelines.ExtractPipeline` with the seconds each site's pages
took a counter in Redis (INCRBYFLOAT, keyed by the run), read before a page's extraction starts; the worker
whose page crosses the budget logs it. As locally, pages whose extraction started before the budget was
used up finish (one per extraction slot of each worker).
"""

from __future__ import annotations

import redis

from pipeline.crawl.middlewares import SiteBudgetMiddleware
from pipeline.crawl.pipelines import ExtractPipeline
from pipeline.distributed.fleet import RunKeys

# KEYS[1]: the site's admitted URLs; ARGV: the URL, the budget. Returns {passes, full}.
_ADMIT = """
local budget = tonumber(ARGV[2])
local n = redis.call('SCARD', KEYS[1])
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return {1, n >= budget and 1 or 0} end
if n >= budget then return {0, 1} end
redis.call('SADD', KEYS[1], ARGV[1])
return {1, n + 1 >= budget and 1 or 0}
"""


class FleetSiteBudgetMiddleware(SiteBudgetMiddleware):
    """The page budget with the run's admitted URLs per site in Redis, shared by every worker."""

    def __init__(self, crawler, budgets: dict[str, int]):
        super().__init__(crawler, budgets)
        self.keys = RunKeys(crawler.settings.get("NEWSRAKE_FLEET_TOKEN"))
        server = redis.Redis.from_url(crawler.settings.get("REDIS_URL"), socket_timeout=30)
        self.admit = server.register_script(_ADMIT)

    def _admit(self, site: str, url: str, budget: int) -> tuple[bool, bool]:
        passes, full = self.admit(keys=[self.keys.budget(site)], args=[url, budget])
        return bool(passes), bool(full)


class FleetExtractPipeline(ExtractPipeline):
    """Extraction within each site's budget of seconds for the whole fleet; ``spent`` mirrors the run's counter."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.keys = RunKeys(crawler.settings.get("NEWSRAKE_FLEET_TOKEN"))
        self.server = redis.Redis.from_url(crawler.settings.get("REDIS_URL"), socket_timeout=30)

    def _budget_used(self, site: str) -> bool:
        self.spent[site] = float(self.server.get(self.keys.extract_spent(site)) or 0)
        return super()._budget_used(site)

    def _spend(self, site: str, seconds: float) -> None:
        if self.budget:  # the fleet's total before this page, then the local step (which warns on crossing)
            self.spent[site] = self.server.incrbyfloat(self.keys.extract_spent(site), seconds) - seconds
        super()._spend(site, seconds)
