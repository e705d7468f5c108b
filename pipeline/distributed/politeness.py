"""A site's ``download_delay`` for the whole fleet: one request of the site at a time, then the delay.

Scrapy's download slot spaces requests within one process, so N workers would hit a site N times as hard.
Sharding hosts to workers would keep a site's pages waiting on one machine while others idle, so instead
each request of a site with ``download_delay`` takes the site's turn in Redis, in the download handler
(the last step before the connection): a turn is free when no request of the site is in flight anywhere
and ``download_delay`` seconds have passed since the last one ended, by Redis's own clock (one clock for
machines whose clocks differ). Counting from the end, not the start, of the previous request is what
makes the spacing hold at the server whatever the connection set-up or the network add; a site with a
delay is thus fetched one request at a time, as a polite crawler fetches it. The key is the site (all its
hosts share it, as they share one slot locally), robots.txt requests included. A turn left by a killed
worker expires after DOWNLOAD_TIMEOUT. Sites without ``download_delay`` keep AutoThrottle, per worker.
"""

from __future__ import annotations

import asyncio
import uuid

import redis
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

from pipeline.core.urls import host_allowed
from pipeline.crawl.sites import site_rules
from pipeline.distributed.fleet import RunKeys

_TAKE_TURN = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
if redis.call('EXISTS', KEYS[2]) == 1 then return ARGV[3] end
local next_at = tonumber(redis.call('GET', KEYS[1]) or '0')
if now < next_at then return string.format('%.6f', next_at - now) end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return '0'
"""

_END_TURN = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
local delay = tonumber(ARGV[2])
redis.call('SET', KEYS[1], string.format('%.6f', now + delay), 'PX', math.ceil(delay * 1000) + 60000)
"""
POLL = 0.05  # seconds between looks at a turn another request holds


class FleetDelayDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP handler, waiting first for the request's turn at its site, fleet-wide."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.keys = RunKeys(crawler.settings.get("NEWSRAKE_FLEET_TOKEN"))
        self.server = redis.Redis.from_url(crawler.settings.get("REDIS_URL"), socket_timeout=30)
        self.sites = [s for s in site_rules(crawler.settings).values() if s.download_delay]
        self.turn_ms = int((crawler.settings.getfloat("DOWNLOAD_TIMEOUT") + 5) * 1000)  # a dead worker's turn expires

    def _site(self, request):
        name = request.meta.get("site")
        for site in self.sites:
            if site.name == name or (name is None and host_allowed(request.url, site.allowed_hosts)):
                return site
        return None

    async def download_request(self, request):
        site = self._site(request)
        if site is None:
            return await super().download_request(request)
        keys = (self.keys.delay(site.name), self.keys.delay(site.name) + ":busy")
        turn = uuid.uuid4().hex
        while (wait := float(self.server.eval(_TAKE_TURN, 2, *keys, turn, self.turn_ms, POLL))) > 0:
            await asyncio.sleep(wait)
        try:
            return await super().download_request(request)
        finally:
            self.server.eval(_END_TURN, 2, *keys, turn, site.download_delay)
