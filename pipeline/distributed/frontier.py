"""The shared frontier: scrapy-redis's priority queue and dupefilter, with a lease on every request taken.

scrapy-redis keeps a popped request only in the worker's memory, so a killed worker loses it. Here the pop
and the lease are one Lua script: the request moves from the queue to the worker's in-flight hash, and
leaves it only when Scrapy's engine is done with it (its page handed to the stream, its links queued, its
error counted). The worker renews a heartbeat key with a TTL; the coordinator returns the in-flight
requests of a worker whose heartbeat expired to the queue (:func:`requeue_dead`), so they are fetched in
the same run. Queue and dupefilter are keyed by the run's token and cleared with it (never persisted).
"""

from __future__ import annotations

import logging
import threading
import warnings

import redis
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from pipeline.distributed.fleet import RunKeys

logger = logging.getLogger(__name__)
# scrapy-redis 0.9 still passes ``spider=`` to the stats and calls Spider.log(): one warning per request otherwise.
warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module="scrapy_redis")

_POP_AND_LEASE = """
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return false end
redis.call('ZREM', KEYS[1], top[1])
redis.call('HSET', KEYS[2], top[1], top[2])
return top[1]
"""

_REQUEUE = """
local leased = redis.call('HGETALL', KEYS[2])
for i = 1, #leased, 2 do redis.call('ZADD', KEYS[1], leased[i + 1], leased[i]) end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
return #leased / 2
"""


class LeasedQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pop leases the request to ``worker`` (``lease_key``)."""

    lease_key: str = ""

    def pop(self, timeout=0):
        data = self.server.eval(_POP_AND_LEASE, 2, self.key, self.lease_key)
        return None if data is None else (self._decode_request(data), data)


class LeasedScheduler(Scheduler):
    """scrapy-redis's scheduler over :class:`LeasedQueue`; keys from NEWSRAKE_FLEET_TOKEN and
    NEWSRAKE_WORKER_ID. Releases the lease of each request the engine has finished, and keeps the
    worker's heartbeat (a key living NEWSRAKE_FLEET_LEASE seconds) alive while it runs."""

    def __init__(self, server, *, lease_key: str, alive_key: str, lease: float, **kwargs):
        super().__init__(server, **kwargs)
        self.lease_key = lease_key
        self.alive_key = alive_key
        self.lease = lease
        self.stopped = threading.Event()
        self.leased: dict[int, tuple] = {}  # id(request) -> (request, its encoded form, the lease's field)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        keys = RunKeys(settings.get("NEWSRAKE_FLEET_TOKEN"))
        worker = settings.get("NEWSRAKE_WORKER_ID")
        server = redis.Redis.from_url(settings.get("REDIS_URL"), socket_timeout=30)
        scheduler = cls(server, lease_key=keys.inflight(worker), alive_key=keys.alive(worker),
                        lease=settings.getfloat("NEWSRAKE_FLEET_LEASE"), persist=True,
                        queue_key=keys.requests, queue_cls="pipeline.distributed.frontier.LeasedQueue",
                        dupefilter=RFPDupeFilter(server, keys.dupefilter),
                        serializer=None)
        scheduler.stats = crawler.stats
        scheduler.crawler = crawler
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
            popped = self.queue.pop()
        except redis.RedisError as exc:  # the worker's extension decides when Redis has been gone too long
            logger.debug("cannot take a request: %s", exc)
            return None
        if popped is None:
            return None
        request, data = popped
        self.leased[id(request)] = (request, data)
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self):
        try:
            return len(self) > 0
        except redis.RedisError:
            return False

    def release_finished(self) -> None:
        """Drop the leases of the requests Scrapy's engine no longer holds: done, whatever the outcome."""
        # Scrapy has no signal for "a request is fully handled"; the engine's in-progress set is the one
        # place that knows (a request leaves it after its response's items and links were processed).
        held = self.crawler.engine._slot.inprogress if self.crawler.engine._slot else set()
        done = [key for key, (request, _) in self.leased.items() if request not in held]
        if done:
            self.server.hdel(self.lease_key, *(self.leased[key][1] for key in done))
            for key in done:
                del self.leased[key]

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
