"""Crash safety, one run at a time, graceful stop.

Crawls run as child processes against a site that serves the first HELD
articles and then holds every further article request until the test releases
it, so however loaded the machine, there is a moment when some batches are
committed and the crawl cannot have finished; the tests act at that moment.
"""

from __future__ import annotations

import signal
import time

import psutil
import pytest

from tests.helpers import HELD, N, SLOW, committed, crawl, finish, kill_crawl, rows, start_crawl, wait_for
from tests.helpers import newsrake as cli


def test_sigkill_mid_crawl_leaves_a_sound_database_and_the_next_run_completes(slow_site):
    web, config, db = slow_site
    proc = start_crawl(config, db, SLOW)
    try:
        assert wait_for(lambda: len(committed(db)) >= 6, proc=proc)
        before = committed(db)
        helpers = psutil.Process(proc.pid).children(recursive=True)  # extraction worker(s)
    finally:
        kill_crawl(proc)
    assert proc.returncode == -signal.SIGKILL
    assert helpers, "the crawl runs extraction in a worker process"
    gone, alive = psutil.wait_procs(helpers, timeout=10)
    assert not alive, "a worker outlived the killed crawl"
    after = committed(db)
    assert before <= after and len(after) < N, "the kill was not mid-crawl"
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert rows(db, "SELECT id, status FROM runs") == [(1, "running")]
    assert "interrupted" in cli("stats", "--db", db).stdout  # no process holds the lock any more

    # the next run takes the lock (the kernel dropped the dead one), finishes the work, no duplicates
    web.release()
    result = crawl(config, db, {"NEWSRAKE_BATCH_SIZE": "2"}, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert rows(db, "SELECT id, status FROM runs ORDER BY id") == [(1, "interrupted"), (2, "completed")]
    assert rows(db, "SELECT count(*), count(DISTINCT url) FROM articles") == [(N, N)]
    assert rows(db, "SELECT count(*) FROM duplicates") == [(0,)]
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    stats = cli("stats", "--db", db)
    assert stats.returncode == 0
    assert "interrupted" in stats.stdout and "completed" in stats.stdout


@pytest.mark.parametrize("slow_site", [100], indirect=True)
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_second_crawl_is_refused_and_a_signal_stops_the_run_gracefully(slow_site, sig):
    web, config, db = slow_site
    proc = start_crawl(config, db, SLOW, verbose=True)  # -v: Scrapy logs when it begins the graceful stop
    start = time.monotonic()
    try:
        assert wait_for(lambda: len(committed(db)) >= HELD, proc=proc)  # the rest is held: the crawl is mid-way
        second = crawl(config, db, timeout=300)
        assert second.returncode == 1
        assert f"another newsrake run (pid {proc.pid}) is using this database" in second.stderr
        assert "Traceback" not in second.stderr
        assert rows(db, "SELECT count(*) FROM runs") == [(1,)]  # the refused crawl wrote nothing

        proc.send_signal(sig)
        assert wait_for(lambda: "shutting down gracefully" in proc.stderr_path.read_text(), proc=proc)
        web.release()  # the requests in flight complete; no new one starts once the stop has begun
        result = finish(proc, start, timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert result.returncode != 0
    assert "stopped" in result.stdout
    (status, finished), = rows(db, "SELECT status, finished_at FROM runs")
    assert status == "stopped" and finished
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    # every article the site served before the stop was committed, not lost in an open batch
    served = {web.url(p) for _, p in web.log if p.startswith("/news/good-")}
    assert committed(db) == served and HELD <= len(served) < 100
