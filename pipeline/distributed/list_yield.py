"""The thin-list rule for the whole fleet: a site's list pages are spread over the workers, so the window
of their yields and the article links first seen on them are kept in Redis, keyed by the run.

:class:`FleetListYield` is the local :class:`~pipeline.crawl.list_yield.ListYield` with its two records in Redis:
the article links seen on a site's list pages (a set of 8-byte URL hashes, as the local set keeps hashes)
and the new-link counts of its last ``window`` list pages (a list, appended to, trimmed and summed in one
Lua script), so the rule stops a calendar trap after about as many list pages as a local crawl reads.
A worker's spider builds it (NEWSRAKE_LIST_YIELD).
"""

from __future__ import annotations

import hashlib

import redis

from pipeline.crawl.list_yield import ListYield
from pipeline.distributed.fleet import RunKeys

# KEYS[1]: the site's window; ARGV: the page's new links, the window, the sum under which it is thin.
_IS_THIN = """
local window = tonumber(ARGV[2])
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -window, -1)
local recent = redis.call('LRANGE', KEYS[1], 0, -1)
if #recent < window then return 0 end
local sum = 0
for _, n in ipairs(recent) do sum = sum + tonumber(n) end
return sum < tonumber(ARGV[3]) and 1 or 0
"""


class FleetListYield(ListYield):
    """The per-site yield of list pages, shared by every worker of the run."""

    def __init__(self, window: int, min_links: float, server: redis.Redis, keys: RunKeys):
        super().__init__(window, min_links)
        self.server, self.keys = server, keys
        self.thin = server.register_script(_IS_THIN)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(settings.getint("NEWSRAKE_THIN_LIST_WINDOW"), settings.getfloat("NEWSRAKE_THIN_LIST_LINKS"),
                   redis.Redis.from_url(settings.get("REDIS_URL"), socket_timeout=30),
                   RunKeys(settings.get("NEWSRAKE_FLEET_TOKEN")))

    def first_seen(self, site: str, url: str) -> bool:
        key = hashlib.blake2b(url.encode(), digest_size=8).digest()
        return bool(self.server.sadd(self.keys.list_links(site), key))

    def is_thin(self, site: str, new_links: int) -> bool:
        if self.window <= 0:
            return False
        return bool(self.thin(keys=[self.keys.list_yield(site)],
                              args=[new_links, self.window, repr(self.min_links * self.window)]))
