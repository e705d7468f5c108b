"""The run as Redis holds it: the connection, the keys, the coordinator's claim and a worker's join.

One Redis database serves one distributed run at a time (another run: another database number,
``redis://host/1``). The run record (hash ``newsrake:run``) carries a token naming every key of the
run (``newsrake:<token>:*``, so a stale queue of another run is never read), the database it writes,
the config's hash (a worker with another config is refused), the coordinator's ``-s`` settings (the
workers apply them) and its state. The claim (``newsrake:coordinator``, a lease the writer renews)
refuses a second coordinator; a claim left by a killed coordinator expires, and the next coordinator
for the same database resumes the run (its stream's unacknowledged articles are stored then).
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import redis

from pipeline.distributed.errors import FleetBusy, FleetError

RUN = "newsrake:run"
COORDINATOR = "newsrake:coordinator"
RUNNING, DONE = "running", "done"


def connect(url: str) -> redis.Redis:
    """A client for ``url``, checked with a PING; FleetError naming the URL when it cannot be used."""
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)
        client.ping()
    except ValueError as exc:
        raise FleetError(f"--redis {url!r}: not a Redis URL ({exc})") from None
    except redis.RedisError as exc:
        raise FleetError(f"cannot reach Redis at {url}: {exc}") from None
    return client


def config_hash(config_path: str | Path) -> str:
    """The hash of the config file's bytes: coordinator and workers must crawl the same sites by the same rules."""
    return hashlib.sha256(Path(config_path).read_bytes()).hexdigest()[:16]


@dataclass(frozen=True)
class RunKeys:
    """The Redis keys of one run; :meth:`all` is what the coordinator clears at its end."""

    token: str

    def key(self, name: str) -> str:
        return f"newsrake:{self.token}:{name}"

    @property
    def requests(self) -> str:  # scrapy-redis's priority queue (a sorted set)
        return self.key("requests")

    @property
    def dupefilter(self) -> str:  # scrapy-redis's request fingerprints, cleared with the run
        return self.key("dupefilter")

    @property
    def workers(self) -> str:  # the set of worker ids that joined
        return self.key("workers")

    def inflight(self, worker: str) -> str:  # a worker's leased requests: encoded request -> its queue score
        return self.key(f"inflight:{worker}")

    def alive(self, worker: str) -> str:  # a worker's heartbeat, with a TTL: gone means its leases return
        return self.key(f"alive:{worker}")

    @property
    def articles(self) -> str:  # the stream of cleaned articles, read by the writer's consumer group
        return self.key("articles")

    @property
    def known(self) -> str:  # article URL -> published_at ('' none), from the database: not fetched again
        return self.key("known")

    @property
    def links(self) -> str:  # article links counted once in the run, fleet-wide: "site url"
        return self.key("links")

    @property
    def aliases(self) -> str:  # tracking-parameter disguises found by the workers: JSON [canonical, site, url]
        return self.key("aliases")

    @property
    def stats(self) -> str:  # the workers' counters, summed
        return self.key("stats")

    @property
    def seeded(self) -> str:  # set once a worker has scheduled the config's start URLs, feeds and sitemaps
        return self.key("seeded")

    def budget(self, site: str) -> str:  # the URLs admitted to the site's page budget this run, fleet-wide
        return self.key(f"budget:{site}")

    def delay(self, site: str) -> str:  # the next moment a request of the site may start, fleet-wide
        return self.key(f"delay:{site}")

    def extract_spent(self, site: str) -> str:  # CPU seconds of extraction the site's pages took this run, fleet-wide
        return self.key(f"extract:{site}")

    def list_links(self, site: str) -> str:  # 8-byte hashes of the article links first seen on the site's list pages
        return self.key(f"listlinks:{site}")

    def list_yield(self, site: str) -> str:  # the new article links of the site's last list pages, fleet-wide
        return self.key(f"listyield:{site}")

    @property
    def session_params(self) -> str:  # the per-visit parameters on record and found this run: JSON [site, param]
        return self.key("session_params")

    def all(self, client: redis.Redis) -> list[str]:
        return [k.decode() for k in client.scan_iter(match=self.key("*"), count=1000)]


@dataclass(frozen=True)
class Run:
    keys: RunKeys
    db: str
    config_hash: str
    settings: dict  # the coordinator's -s overrides
    resumed: bool = False


def claim(client: redis.Redis, db_path: Path, digest: str, settings: dict, lease: float) -> Run:
    """Take the coordinator's claim for ``db_path``: resume the run a killed coordinator left for the same
    database and config, else start a new one (the keys of a stale run cleared). FleetBusy when a live
    coordinator holds it."""
    me = f"{os.uname().nodename}:{os.getpid()}:{db_path}"
    if not client.set(COORDINATOR, me, nx=True, px=int(lease * 1000)):
        holder = (client.get(COORDINATOR) or b"?").decode()
        raise FleetBusy(f"another coordinator ({holder}) is running a crawl on this Redis; "
                        "use another Redis database number for another archive")
    record = {k.decode(): v.decode() for k, v in client.hgetall(RUN).items()}
    if record.get("db") == str(db_path) and record.get("config_hash") == digest and record.get("state") == RUNNING:
        return Run(RunKeys(record["token"]), record["db"], digest, json.loads(record["settings"]), resumed=True)
    if record:
        client.delete(*RunKeys(record["token"]).all(client), RUN)
    run = Run(RunKeys(uuid.uuid4().hex[:12]), str(db_path), digest, settings)
    client.hset(RUN, mapping={"token": run.keys.token, "db": run.db, "config_hash": digest,
                              "settings": json.dumps(settings), "state": RUNNING})
    return run


def renew(client: redis.Redis, lease: float) -> None:
    client.pexpire(COORDINATOR, int(lease * 1000))


def finish(client: redis.Redis, run: Run) -> None:
    """Tell the workers the run is over; the run's keys stay until :func:`clear`."""
    client.hset(RUN, "state", DONE)


def clear(client: redis.Redis, run: Run) -> None:
    """Delete every key of the run, the record and the claim: tomorrow starts clean."""
    client.delete(*run.keys.all(client), RUN, COORDINATOR)


def release(client: redis.Redis) -> None:
    client.delete(COORDINATOR)


def current(client: redis.Redis) -> dict:
    """The run record (empty when no run is going)."""
    return {k.decode(): v.decode() for k, v in client.hgetall(RUN).items()}


def join(client: redis.Redis, digest: str) -> Run | None:
    """The running run for a worker whose config hashes to ``digest`` (None while there is none);
    FleetError when the run's config is another."""
    record = current(client)
    if record.get("state") != RUNNING:
        return None
    if record["config_hash"] != digest:
        raise FleetError(f"this config (hash {digest}) is not the coordinator's (hash {record['config_hash']}, "
                         f"database {record['db']}): start the worker with the coordinator's config file")
    return Run(RunKeys(record["token"]), record["db"], digest, json.loads(record["settings"]))


def still_running(client: redis.Redis, keys: RunKeys) -> bool:
    record = current(client)
    return record.get("token") == keys.token and record.get("state") == RUNNING
