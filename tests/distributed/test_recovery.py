"""A worker or the writer killed mid-run: nothing is lost, nothing is stored twice."""

from __future__ import annotations

import signal
import time

from tests.distributed.conftest import FLEET, fleet_args, start_worker, stop
from tests.faults import good_path
from tests.helpers import HELD, SLOW, N, committed, finish, rows, start_crawl, wait_for


def all_articles(web) -> set[str]:
    return {web.url(good_path(n)) for n in range(N)}


def leased(client) -> int:
    return sum(client.hlen(k) for k in client.keys("newsrake:*:inflight:*"))


def test_a_killed_worker_s_requests_are_fetched_in_the_same_run(held_site, redis_server, tmp_path):
    web, config = held_site
    db = tmp_path / "news.db"
    coordinator = start_crawl(config, db, {**FLEET, **SLOW}, args=fleet_args(redis_server.url, 0))
    first = start_worker(config, redis_server.url, tmp_path)
    second = None
    try:
        assert wait_for(lambda: len(committed(db)) >= HELD, proc=coordinator)
        assert wait_for(lambda: leased(redis_server.client) > 0, proc=first)  # the held requests are its
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        second = start_worker(config, redis_server.url, tmp_path)
        web.release()
        result = finish(coordinator, time.monotonic(), timeout=240)
        assert second.wait(60) == 0  # the coordinator ended the run: the worker stopped by itself
    finally:
        stop(coordinator, first, *([second] if second else []))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "stopped answering" in result.stderr
    assert committed(db) == all_articles(web)
    assert rows(db, "SELECT count(*) FROM duplicates") == [(0,)]


def test_a_writer_killed_mid_stream_loses_nothing_on_restart(held_site, redis_server, tmp_path):
    web, config = held_site
    db = tmp_path / "news.db"
    client = redis_server.client
    never_commits = {**FLEET, **SLOW, "NEWSRAKE_BATCH_SIZE": "100000"}
    writer = start_crawl(config, db, never_commits, args=fleet_args(redis_server.url, 0))
    worker = start_worker(config, redis_server.url, tmp_path)
    restarted = None
    try:
        def read_not_acknowledged():
            streams = client.keys("newsrake:*:articles")
            return streams and client.xpending(streams[0], "writer")["pending"] >= HELD
        assert wait_for(read_not_acknowledged, proc=writer)
        writer.send_signal(signal.SIGKILL)
        writer.wait(10)
        assert committed(db) == set()  # everything the writer had read was in its open batch
        assert wait_for(lambda: not client.exists("newsrake:coordinator"))  # the dead writer's claim expired
        restarted = start_crawl(config, db, {**FLEET, **SLOW}, args=fleet_args(redis_server.url, 0))
        web.release()
        result = finish(restarted, time.monotonic(), timeout=240)
        assert worker.wait(60) == 0
    finally:
        stop(writer, worker, *([restarted] if restarted else []))
    assert result.returncode == 0, result.stderr[-3000:]
    assert committed(db) == all_articles(web)
    assert rows(db, "SELECT count(*) FROM duplicates") == [(0,)]
    assert rows(db, "SELECT id, status FROM runs") == [(1, "interrupted"), (2, "completed")]
    assert client.keys("newsrake:*") == []
