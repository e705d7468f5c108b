"""``newsrake worker``: the news spider on the shared frontier, handing cleaned articles to the writer.

The worker is the local crawl with its parts that hold per-run state swapped through settings: the
spider's thin-list record (:mod:`.list_yield`), the scheduler (:mod:`.frontier`), the HTTP handler
(:mod:`.politeness`), the seen-URL skip (the database's known articles, as the coordinator put them in
Redis), the page and extraction budgets (:mod:`.budget`), the session-parameter drop
(:mod:`.session_params`), all fleet-wide, and the last item pipeline (:class:`StreamPipeline` instead of
the store). Discovery, robots.txt, the other limits and extraction are the local crawl's own components.
Every worker runs the config's ``start()`` too: the shared dupefilter lets the first one's requests in and
drops the others'.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import time
import uuid
from pathlib import Path

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.task import LoopingCall

from pipeline.core import counters
from pipeline.core.items import ExtractedPage
from pipeline.crawl import settings as base
from pipeline.crawl import signals as newsrake_signals
from pipeline.crawl.middlewares import SeenArticlesMiddleware
from pipeline.distributed import fleet, session_params

logger = logging.getLogger(__name__)

REDIS_LOST = "redis_lost"  # the close reason of a worker that lost Redis for NEWSRAKE_REDIS_LOST_TIMEOUT
TICK = 0.5  # seconds between a worker's lease releases, counter hand-overs and looks at the run


def _client(crawler) -> redis.Redis:
    return redis.Redis.from_url(crawler.settings.get("REDIS_URL"), socket_timeout=30)


def _keys(crawler) -> fleet.RunKeys:
    return fleet.RunKeys(crawler.settings.get("NEWSRAKE_FLEET_TOKEN"))


class StreamPipeline:
    """The worker's last item pipeline: the cleaned page, with its fingerprint, MinHash signature and
    compressed page made in the extraction workers (work taken off the one writer), onto the run's stream."""

    def __init__(self, crawler):
        self.server = _client(crawler)
        self.stream = _keys(crawler).articles

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: ExtractedPage) -> ExtractedPage:
        # pickle, as scrapy-redis's queue: the frozen item types as they are; Redis must be trusted.
        self.server.xadd(self.stream, {"page": pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)})
        return item


class FleetSeenArticlesMiddleware(SeenArticlesMiddleware):
    """The seen-URL skip against the database's known articles as the coordinator put them in Redis, and
    each article link counted once for the whole fleet (not once per worker)."""

    def __init__(self, crawler, recheck_days: float):
        super().__init__(crawler, Path(), recheck_days)
        self.server = _client(crawler)
        self.keys = _keys(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getfloat("NEWSRAKE_RECHECK_DAYS"))

    def _known(self, url: str):
        when = self.server.hget(self.keys.known, url)
        return (False, None) if when is None else (True, when.decode() or None)

    def _count_link(self, site: str, url: str, known: bool) -> None:
        if self.server.sadd(self.keys.links, f"{site} {url}"):  # the fleet's first sight of it this run
            super()._count_link(site, url, known)


class SeedMarker:
    """Marks the run seeded once this worker's ``start()`` has scheduled every start URL, feed and sitemap:
    before that, an empty frontier does not mean the run is over."""

    def __init__(self, crawler):
        self.server = _client(crawler)
        self.keys = _keys(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_start(self, start):
        async for item_or_request in start:
            yield item_or_request
        self.server.set(self.keys.seeded, 1)


class FleetWorker:
    """The worker's clock (every TICK seconds): its counters added to the run's, the session parameters the
    writer found sent to this worker's components (``session_param_found``), the run's state. Keeps the
    spider open while the run goes on; closes it when the coordinator ends the run, or when Redis has been
    unreachable for NEWSRAKE_REDIS_LOST_TIMEOUT."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.server = _client(crawler)
        self.keys = _keys(crawler)
        self.lost_timeout = crawler.settings.getfloat("NEWSRAKE_REDIS_LOST_TIMEOUT")
        self.lost_since: float | None = None
        self.sent: dict[str, int] = {}  # the counters already added to the run's
        self.params: set[tuple[str, str]] = set()  # the session parameters already sent to this worker
        self.closing = False
        self.clock = LoopingCall(self.tick)
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.alias_found, signal=newsrake_signals.article_alias)
        self.clock.start(TICK, now=False)  # from now: Scrapy's start-up may take longer than the lease

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def engine_started(self):
        # Private, kept: Scrapy has no setting or public call for how often an idle engine polls its scheduler (5 s).
        self.crawler.engine._SLOT_HEARTBEAT_INTERVAL = TICK

    def alias_found(self, canonical: str, site: str, url: str) -> None:
        self.server.sadd(self.keys.aliases, json.dumps([canonical, site, url]))

    def tick(self) -> None:
        try:
            self.hand_over_counters()
            self.take_session_params()
            running = fleet.still_running(self.server, self.keys)
        except redis.RedisError as exc:
            self.lost_since = self.lost_since or time.monotonic()
            if time.monotonic() - self.lost_since >= self.lost_timeout:
                logger.error("Redis unreachable for %.0f s (%s): the worker stops", self.lost_timeout, exc)
                self._close(REDIS_LOST)
            return
        self.lost_since = None
        if not running:
            logger.info("the coordinator ended the run: the worker stops")
            self._close("finished")

    def _close(self, reason: str) -> None:
        if not self.closing:
            self.closing = True
            self.close_request = deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))

    def hand_over_counters(self) -> None:
        """Add what this worker counted since the last hand-over to the run's counters in Redis."""
        now = {k: v for k, v in self.crawler.stats.get_stats().items()
               if isinstance(v, int) and (k.startswith(counters.PREFIX) or k in counters.SCRAPY_KEYS)}
        delta = {k: v - self.sent.get(k, 0) for k, v in now.items() if v != self.sent.get(k, 0)}
        if delta:
            pipe = self.server.pipeline()
            for k, v in delta.items():
                pipe.hincrby(self.keys.stats, k, v)
            pipe.execute()
            self.sent = now

    def take_session_params(self) -> None:
        """Send ``session_param_found`` for each parameter of the run not sent before."""
        for site, param in session_params.published(self.server, self.keys) - self.params:
            self.params.add((site, param))
            logger.info("%s: query parameter %r is per-visit: dropped from this worker's requests", site, param)
            self.crawler.signals.send_catch_log(newsrake_signals.session_param_found, site=site, param=param)

    def spider_idle(self):
        if not self.closing:
            raise DontCloseSpider

    def spider_closed(self, spider, reason):
        if self.clock.running:
            self.clock.stop()
        try:
            self.hand_over_counters()
            self.server.delete(self.keys.alive(self.crawler.settings.get("NEWSRAKE_WORKER_ID")))
        except redis.RedisError:
            pass  # gone: the coordinator counts without this worker's last half second


_SESSION_PARAMS = "pipeline.crawl.session_params.SessionParamsMiddleware"
_FLEET_SESSION_PARAMS = "pipeline.distributed.session_params.FleetSessionParamsMiddleware"


def worker_settings(url: str, run: fleet.Run, worker: str) -> dict:
    """The settings that turn the local crawl into a worker of ``run``."""
    handler = "pipeline.distributed.politeness.FleetDelayDownloadHandler"
    return {
        "NEWSRAKE_DB": "", "REDIS_URL": url, "NEWSRAKE_FLEET_TOKEN": run.keys.token, "NEWSRAKE_WORKER_ID": worker,
        "SCHEDULER": "pipeline.distributed.frontier.LeasedScheduler",
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "NEWSRAKE_LIST_YIELD": "pipeline.distributed.list_yield.FleetListYield",
        "ITEM_PIPELINES": {"pipeline.distributed.budget.FleetExtractPipeline": 300,
                           "pipeline.distributed.worker.StreamPipeline": 800},
        "DOWNLOADER_MIDDLEWARES": {**base.DOWNLOADER_MIDDLEWARES, _SESSION_PARAMS: None,
                                   _FLEET_SESSION_PARAMS: base.DOWNLOADER_MIDDLEWARES[_SESSION_PARAMS]},
        "SPIDER_MIDDLEWARES": {**base.SPIDER_MIDDLEWARES, _SESSION_PARAMS: None,
                               _FLEET_SESSION_PARAMS: base.SPIDER_MIDDLEWARES[_SESSION_PARAMS],
                               "pipeline.crawl.middlewares.SeenArticlesMiddleware": None,
                               "pipeline.distributed.worker.FleetSeenArticlesMiddleware": 43,
                               "pipeline.crawl.middlewares.SiteBudgetMiddleware": None,
                               "pipeline.distributed.budget.FleetSiteBudgetMiddleware": 42,
                               "pipeline.distributed.worker.SeedMarker": 5},
        "EXTENSIONS": {**base.EXTENSIONS, "pipeline.distributed.worker.FleetWorker": 10},
    }


def worker_id() -> str:
    return f"{os.uname().nodename}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def run_worker(config_path: Path, sites, url: str, overrides: dict, verbose: bool = False) -> str:
    """Join the run on ``url`` (waiting for one to start) and work it to its end; returns Scrapy's close
    reason (``finished`` when the coordinator ended the run, REDIS_LOST). FleetError: bad URL, other config."""
    from pipeline.crawl.runner import crawler_process, newsrake_settings, run_to_end

    client = fleet.connect(url)
    digest = fleet.config_hash(config_path)
    run = fleet.join(client, digest)
    if run is None:
        logger.info("waiting for a coordinator to start a run on %s", url)
    while run is None:
        time.sleep(TICK)
        run = fleet.join(client, digest)
    me = worker_id()
    settings = newsrake_settings({"LOG_LEVEL": "INFO", **run.settings, **overrides, "NEWSRAKE_CONFIG": str(config_path),
                                  "NEWSRAKE_SITES": sites, **worker_settings(url, run, me)})
    process = crawler_process(settings, verbose)
    crawler = process.create_crawler("news")
    logger.info("worker %s joined run %s (database %s)", me, run.keys.token, run.db)
    run_to_end(process, crawler)
    return crawler.stats.get_value("finish_reason") or "finished"
