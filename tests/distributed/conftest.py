"""A real redis-server per test (loopback, a free port, no persistence), and workers run as users run them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.distributed.redis_server import REDIS_SERVER, RedisServer
from tests.faults import FaultWeb
from tests.helpers import FAST_SETTINGS, HELD, N, start_crawl, write_config


@pytest.fixture
def redis_server(tmp_path):
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run installs it)")
    directory = tmp_path / "redis"
    directory.mkdir()
    server = RedisServer(directory)
    yield server
    server.stop()


@pytest.fixture
def held_site(tmp_path):
    """N articles; after HELD of them the site holds every article request until released."""
    with FaultWeb(n_good=N, faults=False, hold_after=HELD) as web:
        yield web, write_config(tmp_path / "sites.toml", [web.url("/list.html")])


# Fast runs: the run ends 1 s after the last work, a dead worker's leases return after 5 s (a loaded machine
# may hold a live worker's heartbeat back for seconds), 2 s without Redis end the run.
FLEET = {**FAST_SETTINGS, "NEWSRAKE_FLEET_GRACE": "1", "NEWSRAKE_FLEET_LEASE": "5", "NEWSRAKE_REDIS_LOST_TIMEOUT": "2"}


def fleet_args(url: str, workers: int) -> tuple[str, ...]:
    return ("--redis", url, "--workers", str(workers))


def start_worker(config: Path, url: str, log_dir: Path, *args: str):
    """``newsrake worker`` in the background (``args``: more options), its output in files (as start_crawl)."""
    cmd = [sys.executable, "-m", "pipeline.cli", "worker", str(config), "--redis", url, *args]
    return start_crawl(config, log_dir / "worker.db", log_dir=log_dir, cmd=cmd)


def stop(*procs) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(30)
        for f in getattr(proc, "outputs", ()):
            f.close()
