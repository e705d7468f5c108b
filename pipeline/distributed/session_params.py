"""Per-visit query parameters for the whole fleet: those on record and those the writer finds mid-run.

The coordinator puts the database's parameters in the run's set (``session_params``: JSON ``[site, param]``)
before the workers start; the writer's store pipeline finds new ones (the ``session_param_found`` signal,
:func:`publish`) and adds them. A worker's :class:`FleetSessionParamsMiddleware` (the local
SessionParamsMiddleware without a database) reads the set when its spider opens, and the worker's clock
(:class:`~pipeline.distributed.worker.FleetWorker`) sends ``session_param_found`` locally for each one added
since, so the requests of every worker lose the parameter in the same run.
"""

from __future__ import annotations

import json
from pathlib import Path

import redis

from pipeline.crawl.session_params import SessionParamsMiddleware
from pipeline.distributed.fleet import RunKeys


def publish(client: redis.Redis, keys: RunKeys, site: str, param: str) -> None:
    client.sadd(keys.session_params, json.dumps([site, param]))


def published(client: redis.Redis, keys: RunKeys) -> set[tuple[str, str]]:
    return {tuple(json.loads(member)) for member in client.smembers(keys.session_params)}


class FleetSessionParamsMiddleware(SessionParamsMiddleware):
    """The session-parameter drop with the run's parameters from Redis."""

    def __init__(self, crawler):
        super().__init__(crawler, Path())
        self.server = redis.Redis.from_url(crawler.settings.get("REDIS_URL"), socket_timeout=30)
        self.keys = RunKeys(crawler.settings.get("NEWSRAKE_FLEET_TOKEN"))

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _recorded(self) -> dict[str, set[str]]:
        params: dict[str, set[str]] = {}
        for site, param in published(self.server, self.keys):
            params.setdefault(site, set()).add(param)
        return params
