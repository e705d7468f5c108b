"""Bad input and faults of the distributed crawl: a bad or unreachable Redis, another config, a second
coordinator, Redis gone mid-run."""

from __future__ import annotations

import signal
import socket
import time

from tests.distributed.conftest import FLEET, fleet_args, start_worker, stop
from tests.helpers import HELD, SLOW, committed, finish, newsrake, rows, start_crawl, wait_for, write_config


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_bad_or_unreachable_redis_url_is_refused_before_anything_is_written(tmp_path):
    config = write_config(tmp_path / "sites.toml", ["http://127.0.0.1:9/list.html"])
    db = tmp_path / "news.db"
    unreachable = f"redis://127.0.0.1:{closed_port()}/0"
    for url, message in ((unreachable, f"cannot reach Redis at {unreachable}"),
                         ("http://127.0.0.1/", "not a Redis URL")):
        result = newsrake("crawl", config, "--db", db, "--redis", url, timeout=60)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("newsrake: error: ") and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert list(tmp_path.iterdir()) == [config]  # no database, no lock file
        worker = newsrake("worker", config, "--redis", url, timeout=60)
        assert worker.returncode == 2 and message in worker.stderr, worker.stderr


def test_another_config_and_a_second_coordinator_are_refused(held_site, redis_server, tmp_path):
    web, config = held_site
    db = tmp_path / "news.db"
    coordinator = start_crawl(config, db, {**FLEET, **SLOW}, args=fleet_args(redis_server.url, 0))
    try:
        assert wait_for(lambda: redis_server.client.exists("newsrake:run"), proc=coordinator)
        other = write_config(tmp_path / "other.toml", [web.url("/list.html")], max_pages=3)
        worker = newsrake("worker", other, "--redis", redis_server.url, timeout=60)
        assert worker.returncode == 2
        assert "is not the coordinator's" in worker.stderr and str(db.resolve()) in worker.stderr, worker.stderr

        second = newsrake("crawl", config, "--db", tmp_path / "second.db", "--redis", redis_server.url, timeout=60)
        assert second.returncode == 1
        assert "another coordinator" in second.stderr, second.stderr
        assert not (tmp_path / "second.db").exists()

        coordinator.send_signal(signal.SIGTERM)
        result = finish(coordinator, time.monotonic(), timeout=120)
    finally:
        stop(coordinator)
    assert result.returncode == 130, result.stderr[-3000:]
    assert rows(db, "SELECT status FROM runs") == [("stopped",)]


def test_redis_gone_mid_run_fails_the_run_and_keeps_what_was_committed(held_site, redis_server, tmp_path):
    web, config = held_site
    db = tmp_path / "news.db"
    coordinator = start_crawl(config, db, {**FLEET, **SLOW}, args=fleet_args(redis_server.url, 0))
    worker = start_worker(config, redis_server.url, tmp_path)
    try:
        assert wait_for(lambda: len(committed(db)) >= HELD - 1, proc=coordinator)
        before = committed(db)
        redis_server.stop()
        web.release()
        result = finish(coordinator, time.monotonic(), timeout=120)
        assert worker.wait(60) == 4  # the worker stopped by itself: Redis gone longer than the timeout
    finally:
        stop(coordinator, worker)
    assert result.returncode == 4, result.stderr[-3000:]
    assert "lost Redis at" in result.stderr
    assert rows(db, "SELECT status FROM runs") == [("failed",)]
    assert before <= committed(db)
