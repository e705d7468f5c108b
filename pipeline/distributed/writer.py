"""The one writer: the local crawl's StorePipeline, fed from the run's stream by :class:`StreamSpider`.

The spider reads the stream in a consumer group under one consumer name, so a restarted writer first
re-reads what a killed one had read but not acknowledged; an entry is acknowledged (and deleted) only
after the commit that stored it (the store pipeline's ``batch_committed`` signal), and storing is
idempotent by URL, so a writer killed at any moment loses nothing and stores nothing twice. The same
loop keeps the coordinator's claim alive, returns the leases of dead workers to the frontier, and ends
the run once it has been seeded, its frontier has been empty, no worker has held a lease and the stream
has been drained for NEWSRAKE_FLEET_GRACE seconds.
"""

from __future__ import annotations

import asyncio
import json
import logging
import pickle
import time
from collections import defaultdict

import redis
import scrapy
from scrapy import signals

from pipeline.core.items import ExtractedPage
from pipeline.crawl import signals as newsrake_signals
from pipeline.distributed import fleet, session_params
from pipeline.distributed.frontier import frontier_empty, requeue_dead

logger = logging.getLogger(__name__)

GROUP = CONSUMER = "writer"
READ_COUNT = 200  # stream entries read at a time
TICK = 0.25  # seconds the writer waits when the stream has nothing for it


class StreamSpider(scrapy.Spider):
    """Yields the stream's cleaned pages as items for the store pipeline; ``coordinator``: the
    :class:`~pipeline.distributed.coordinator.Coordinator` of the run."""

    name = "newsrake-writer"

    def __init__(self, coordinator, **kwargs):
        super().__init__(**kwargs)
        self.coordinator = coordinator
        self.entries: dict[str, list[bytes]] = defaultdict(list)  # page URL -> its stream entries not through yet
        self.processed: list[bytes] = []  # entries whose items the store pipeline took, not yet committed
        self.ended = False

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(spider.item_done, signal=signal)
        crawler.signals.connect(spider.batch_committed, signal=newsrake_signals.batch_committed)
        crawler.signals.connect(spider.session_param_found, signal=newsrake_signals.session_param_found)
        return spider

    def session_param_found(self, site: str, param: str) -> None:
        """Found by the store pipeline: the workers drop it from their requests from now on."""
        session_params.publish(self.coordinator.client, self.coordinator.keys, site, param)

    def item_done(self, item, **kwargs):
        """An item is through the store pipeline (the StoredArticle it returned, or the page it dropped)."""
        url = item.page.url if isinstance(item, ExtractedPage) else item.url
        if waiting := self.entries.get(url):
            self.processed.append(waiting.pop(0))
            if not waiting:
                del self.entries[url]

    def batch_committed(self):
        if self.processed:
            client, stream = self.coordinator.client, self.coordinator.keys.articles
            client.xack(stream, GROUP, *self.processed)
            client.xdel(stream, *self.processed)
            self.processed = []

    async def start(self):
        c = self.coordinator
        try:
            c.client.xgroup_create(c.keys.articles, GROUP, id="0", mkstream=True)
        except redis.ResponseError:  # BUSYGROUP: a resumed run's group, with its unacknowledged entries
            pass
        backlog = b"0"  # first the entries a killed writer read and never acknowledged, then new ones
        quiet_since = lost_since = None
        while True:
            try:
                fleet.renew(c.client, c.lease)
                requeue_dead(c.client, c.keys)
                idle = frontier_empty(c.client, c.keys) and c.client.exists(c.keys.seeded)  # before the read
                entries = self._read(backlog or b">")
            except redis.RedisError as exc:
                lost_since = lost_since or time.monotonic()
                if time.monotonic() - lost_since >= c.lost_timeout:
                    cause = f"lost Redis at {c.url} ({exc}); the articles committed before are kept"
                    self.crawler.signals.send_catch_log(newsrake_signals.run_failed, cause=cause)
                    return
                await asyncio.sleep(TICK)
                continue
            lost_since = None
            for entry, fields in entries:
                item = pickle.loads(fields[b"page"])
                self.entries[item.page.url].append(entry)
                yield item
            if backlog is not None:
                backlog = entries[-1][0] if entries else None
            if entries or not idle or self.entries:
                quiet_since = None
                if not entries:
                    await asyncio.sleep(TICK)
                continue
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= c.grace:
                break
            await asyncio.sleep(TICK)
        self.end()

    def _read(self, start: bytes) -> list:
        c = self.coordinator
        reply = c.client.xreadgroup(GROUP, CONSUMER, {c.keys.articles: start}, count=READ_COUNT)
        return reply[0][1] if reply else []

    def end(self) -> None:
        """The run is over: workers told to stop, the aliases they found and their counters handed to the
        store pipeline (this runs before its ``spider_closed``)."""
        if self.ended:
            return
        self.ended = True
        c = self.coordinator
        try:
            fleet.finish(c.client, c.run)
            c.wait_for_workers()
            for alias in c.client.smembers(c.keys.aliases):
                canonical, site, url = json.loads(alias)
                self.crawler.signals.send_catch_log(newsrake_signals.article_alias, canonical=canonical,
                                                    site=site, url=url)
            for key, value in c.client.hgetall(c.keys.stats).items():
                self.crawler.stats.inc_value(key.decode(), int(value))
        except redis.RedisError as exc:
            logger.error("cannot read the workers' counters and aliases: %s", exc)

    def closed(self, reason):
        self.end()
