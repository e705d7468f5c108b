"""The shared frontier: scrapy-redis's priority queue and dupefilter, with a lease on every request taken.

scrapy-redis keeps a popped request only in the worker's memory, so a killed worker loses it. Here the pop
and the lease are one Lua script: the request moves from the queue to the worker's in-flight hash, and
leaves it only when Scrapy's engine is done with it (its page handed to the stream, its links queued, its
error counted). The worker renews a heartbeat key with a TTL; the coordinator returns the in-flight
requests of a worker whose heartbeat expired to the queue (:func:`requeue_dead`), so they are fetched in
the same run. Queue and dupefilter are keyed by the run's token and cleared with it (never persisted).

A worker leases only what it can start soon, so that on sites bound by their delay the queue is shared out
instead of waiting in one worker's downloader while others idle: per site, at most as many leased requests
not yet downloaded as politeness lets it start at once (1 for a site with ``download_delay``, whose requests
take a fleet-wide turn one at a time; CONCURRENT_REQUESTS_PER_DOMAIN for the others). The pop skips the
sites at their cap, so a queue led by one busy site does not stall the others: each queue entry names its
site, after a 4-byte hash of the URL that spreads the sites of equal priority through the queue.
"""

from __future__ import annotations

import logging
import threading
import warnings
import zlib
from collections import Counter

import redis
from scrapy import signals
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from pipeline.crawl.sites import site_rules
from pipeline.distributed.fleet import RunKeys

logger = logging.getLogger(__name__)
# scrapy-redis 0.9 still passes ``spider=`` to the stats and calls Spider.log(): one warning per request otherwise.
warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module="scrapy_redis")

# KEYS[1]: the queue, KEYS[2]: the worker's leases; ARGV[1]: how many of the first entries to look at,
# ARGV[2..]: the sites the worker is not to take now. The first entry of another site moves to the leases;
# entries are read 1, 2, 4, ... at a time (the first is taken unless its site is skipped).
_POP_AND_LEASE = """
local skip = {}
for i = 2, #ARGV do skip[ARGV[i]] = true end
local first, n = 0, 1
while first < tonumber(ARGV[1]) do
  local top = redis.call('ZRANGE', KEYS[1], first, first + n - 1, 'WITHSCORES')
  for i = 1, #top, 2 do
    local stop = string.find(top[i], '\\0', 5, true)
    if not skip[stop and string.sub(top[i], 5, stop - 1) or ''] then
      redis.call('ZREM', KEYS[1], top[i])
      redis.call('HSET', KEYS[2], top[i], top[i + 1])
      return top[i]
    end
  end
  if #top < 2 * n then return false end
  first, n = first + n, n * 2
end
return false
"""
LOOK_AHEAD = 200  # queue entries a pop looks through for a site the worker may take

_REQUEUE = """
local leased = redis.call('HGETALL', KEYS[2])
for i = 1, #leased, 2 do redis.call('ZADD', KEYS[1], leased[i + 1], leased[i]) end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
return #leased / 2
"""


class LeasedQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pop leases the request to ``worker`` (``lease_key``), skipping the
    sites it is told to; an entry is the URL's hash, the site, NUL, then scrapy-redis's encoding."""

    lease_key: str = ""

    def _encode_request(self, request):
        site = request.meta.get("site", "").encode()
        return zlib.crc32(request.url.encode()).to_bytes(4, "big") + site + b"\0" + super()._encode_request(request)

    def _decode_request(self, encoded_request):
        return super()._decode_request(encoded_request[encoded_request.index(b"\0", 4) + 1:])

    def pop(self, timeout=0, skip=()):
        data = self.server.eval(_POP_AND_LEASE, 2, self.key, self.lease_key, LOOK_AHEAD, *skip)
        return None if data is None else (self._decode_request(data), data)


class LeasedScheduler(Scheduler):
    """scrapy-redis's scheduler over :class:`LeasedQueue`; keys from NEWSRAKE_FLEET_TOKEN and
    NEWSRAKE_WORKER_ID. Leases per site no more than the worker can start soon (``ahead``), releases the
    lease of each request the engine has finished, and keeps the worker's heartbeat (a key living
    NEWSRAKE_FLEET_LEASE seconds) alive while it runs."""

    def __init__(self, server, *, lease_key: str, alive_key: str, lease: float, ahead: dict[str, int],
                 per_domain: int, **kwargs):
        super().__init__(server, **kwargs)
        self.lease_key = lease_key
        self.alive_key = alive_key
        self.lease = lease
        self.ahead = ahead  # site -> leased requests not yet downloaded it may hold; others: per_domain
        self.per_domain = per_domain
        self.stopped = threading.Event()
        self.leased: dict[int, tuple] = {}  # id(request) -> (request, its encoded form, the lease's field)
        self.downloaded: set[int] = set()  # the leased requests that have left the downloader

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        keys = RunKeys(settings.get("NEWSRAKE_FLEET_TOKEN"))
        worker = settings.get("NEWSRAKE_WORKER_ID")
        server = redis.Redis.from_url(settings.get("REDIS_URL"), socket_timeout=30)
        scheduler = cls(server, lease_key=keys.inflight(worker), alive_key=keys.alive(worker),
                        lease=settings.getfloat("NEWSRAKE_FLEET_LEASE"), persist=True,
                        ahead={s.name: 1 for s in site_rules(settings).values() if s.download_delay},
                        per_domain=max(1, settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")),
                        queue_key=keys.requests, queue_cls="pipeline.distributed.frontier.LeasedQueue",
                        dupefilter=RFPDupeFilter(server, keys.dupefilter),
                        serializer=None)
        scheduler.stats = crawler.stats
        scheduler.crawler = crawler
        crawler.signals.connect(scheduler.request_left_downloader, signal=signals.request_left_downloader)
        server.sadd(keys.workers, worker)
        server.set(scheduler.alive_key, 1, px=int(scheduler.lease * 1000))
        threading.Thread(target=scheduler._beat, name="newsrake-heartbeat", daemon=True).start()
        return scheduler

    def open(self, spider):
        super().open(spider)
        self.queue.lease_key = self.lease_key

    def next_request(self):
        self.release_finished()
        try:
            popped = self.queue.pop(skip=self.full_sites())
        except redis.RedisError as exc:  # the worker's extension decides when Redis has been gone too long
            logger.debug("cannot take a request: %s", exc)
            return None
        if popped is None:
            return None
        request, data = popped
        self.leased[id(request)] = (request, data)
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def request_left_downloader(self, request, spider=None) -> None:
        if id(request) in self.leased:
            self.downloaded.add(id(request))

    def full_sites(self) -> list[str]:
        """The sites of which this worker holds as many leased requests not yet downloaded as it can start."""
        waiting = Counter(request.meta.get("site", "") for key, (request, _) in self.leased.items()
                          if key not in self.downloaded)
        return [site for site, n in waiting.items() if n >= self.ahead.get(site, self.per_domain)]

    def has_pending_requests(self):
        try:
            return len(self) > 0
        except redis.RedisError:
            return False

    def release_finished(self) -> None:
        """Drop the leases of the requests Scrapy's engine no longer holds: done, whatever the outcome."""
        # engine._slot stays (private): no public Scrapy API tells when a request's items and links are all processed.
        held = self.crawler.engine._slot.inprogress if self.crawler.engine._slot else set()
        done = [key for key, (request, _) in self.leased.items() if request not in held]
        if done:
            self.server.hdel(self.lease_key, *(self.leased[key][1] for key in done))
            for key in done:
                del self.leased[key]
                self.downloaded.discard(key)

    def _beat(self) -> None:
        """Renew the heartbeat every third of the lease until the scheduler closes: while it lives, the
        coordinator leaves this worker's leases alone. A thread of its own, so that a reactor busy for a
        while (a huge page, a loaded machine) is not taken for a dead worker; the heartbeat dies with the
        process."""
        while not self.stopped.wait(self.lease / 3):
            try:
                self.server.set(self.alive_key, 1, px=int(self.lease * 1000))
            except redis.RedisError as exc:  # the worker's extension decides when Redis has been gone too long
                logger.debug("cannot renew the heartbeat: %s", exc)

    def close(self, reason):
        self.stopped.set()
        super().close(reason)

    def in_flight(self) -> int:
        return len(self.leased)


def requeue_dead(client: redis.Redis, keys) -> int:
    """Return the leased requests of every worker whose heartbeat expired to the queue; how many."""
    returned = 0
    for worker in client.smembers(keys.workers):
        worker = worker.decode()
        if not client.exists(keys.alive(worker)):
            n = client.eval(_REQUEUE, 3, keys.requests, keys.inflight(worker), keys.workers, worker)
            if n:
                logger.warning("worker %s stopped answering: %d requests it held go back to the frontier", worker, n)
            returned += n
    return returned


def frontier_empty(client: redis.Redis, keys) -> bool:
    """No request queued and none leased to any worker."""
    if client.zcard(keys.requests):
        return False
    return not any(client.hlen(keys.inflight(w.decode())) for w in client.smembers(keys.workers))
