"""``newsrake crawl CONFIG --db PATH --redis URL``: claim the run, publish the known articles, start the
local workers, run the one writer (:mod:`.writer`) to the run's end, clear the run's keys."""

from __future__ import annotations

import contextlib
import logging
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import redis

from pipeline.crawl.runner import CrawlResult, newsrake_settings, run_crawl
from pipeline.distributed import fleet, session_params
from pipeline.store import connect, queries

logger = logging.getLogger(__name__)

PUBLISH_BATCH = 10_000  # known URLs sent to Redis per round trip
WORKER_EXIT_WAIT = 60  # seconds local workers get to stop once the run is over


@dataclass
class Coordinator:
    """What the writer's spider needs of the run: the client, the run, the timings, the local workers."""

    client: redis.Redis
    url: str
    run: fleet.Run
    lease: float
    grace: float
    lost_timeout: float
    workers: list = field(default_factory=list)  # the local worker processes

    @property
    def keys(self) -> fleet.RunKeys:
        return self.run.keys

    def wait_for_workers(self) -> None:
        for proc in self.workers:
            try:
                proc.wait(WORKER_EXIT_WAIT)
            except subprocess.TimeoutExpired:
                logger.warning("worker %s did not stop: terminated", proc.pid)
                proc.terminate()
                proc.wait()


def publish_known(client: redis.Redis, keys: fleet.RunKeys, db_path: Path) -> int:
    """Copy the database's known article URLs (stored, or recorded as duplicates) to the run's hash, which
    the workers' seen-URL skip consults, and its per-visit parameters to the run's set; the database stays
    the source of truth, copied anew every run. Returns how many URLs."""
    if not db_path.exists():
        return 0
    n = 0
    with contextlib.closing(connect(db_path, readonly=True)) as conn:
        batch = {}
        for url, published_at in queries.known_articles(conn):
            batch[url] = published_at or ""
            if len(batch) >= PUBLISH_BATCH:
                n += client.hset(keys.known, mapping=batch)
                batch = {}
        if batch:
            n += client.hset(keys.known, mapping=batch)
        for site, params in queries.session_params(conn).items():  # the workers drop them from their requests
            for param in params:
                session_params.publish(client, keys, site, param)
    return n


def start_workers(n: int, config_path: Path, url: str, verbose: bool, log_file: str | None) -> list:
    """``n`` ``newsrake worker`` processes on this machine (they log where the coordinator logs)."""
    cmd = [sys.executable, "-m", "pipeline.cli", "worker", str(config_path), "--redis", url,
           *(["-v"] if verbose else []), *(["--log-file", log_file] if log_file else [])]
    return [subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL) for _ in range(n)]


def run_distributed(config_path: Path, sites, db_path: Path, url: str, workers: int, overrides: dict,
                    verbose: bool = False) -> CrawlResult:
    """The distributed crawl of ``sites`` into ``db_path``; FleetError (bad or unreachable URL) and FleetBusy
    (another coordinator) before anything is written."""
    settings = newsrake_settings(overrides)
    client = fleet.connect(url)
    lease = settings.getfloat("NEWSRAKE_FLEET_LEASE")
    run = fleet.claim(client, db_path.resolve(), fleet.config_hash(config_path), overrides, lease)
    coordinator = Coordinator(client, url, run, lease, settings.getfloat("NEWSRAKE_FLEET_GRACE"),
                              settings.getfloat("NEWSRAKE_REDIS_LOST_TIMEOUT"))
    result = None
    try:
        if run.resumed:
            logger.info("resuming run %s left by a coordinator that stopped", run.keys.token)
        else:
            logger.info("run %s: %d known article URLs published", run.keys.token,
                        publish_known(client, run.keys, db_path))
        coordinator.workers = start_workers(workers, config_path, url, verbose, overrides.get("LOG_FILE"))
        from pipeline.distributed.writer import StreamSpider

        result = run_crawl(config_path, sites, db_path, {**overrides, **WRITER_SETTINGS}, verbose,
                           spider=StreamSpider, coordinator=coordinator)
        return result
    finally:
        with contextlib.suppress(redis.RedisError):
            fleet.finish(client, run)
        coordinator.wait_for_workers()  # they stop by themselves: the run is over, or Redis is gone
        with contextlib.suppress(redis.RedisError):
            if result is not None and result.status == "completed":
                fleet.clear(client, run)
            else:
                fleet.release(client)


# The writer's crawl: no extraction (the workers did it), only the store.
WRITER_SETTINGS = {"ITEM_PIPELINES": {"pipeline.crawl.pipelines.StorePipeline": 800}}
