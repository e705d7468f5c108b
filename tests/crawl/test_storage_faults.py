"""Storage faults: a run that cannot store what it fetched stops, fails, and says so.

Disk full is a file size limit on the crawl process (``RLIMIT_FSIZE``: CPython
ignores SIGXFSZ, so a write past the limit fails with EFBIG, which SQLite
reports as an I/O error). It needs no privilege and no mount, so it runs the
same for a developer and on CI; a small tmpfs (root only) gives SQLITE_FULL
instead and the same outcome (checked by hand, docs/reliability.md).
Damage is a page of ``articles`` overwritten with 0xFF bytes. Replacing or
deleting the file happens while the site holds every article request after
the first HELD, so some batches are committed and the crawl is mid-way for
certain, however loaded the machine.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import time

from tests.helpers import HELD, N, SLOW, committed, wait_for
from tests.faults import FaultWeb
from tests.helpers import copy_db, crawl, finish, rows, start_crawl, write_config
from tests.helpers import newsrake as cli

FILE_SIZE_LIMIT = 700_000  # bytes: the schema and a few batches fit, N articles do not


def limit_file_size():
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


def summary(stdout: str) -> dict[str, str]:
    """The crawl's per-site table, as {column: value} of its one site."""
    lines = [line.split() for line in stdout.splitlines() if line.strip()]
    header = next(i for i, line in enumerate(lines) if line[:2] == ["site", "fetched"])
    return dict(zip(lines[header], lines[header + 2]))


def run_rows(db) -> list[tuple]:
    return rows(db, "SELECT id, status, json_extract(stats, '$.failure') FROM runs ORDER BY id")


def corrupt_articles_page(db) -> int:
    """Overwrite the first leaf page of ``articles`` (the oldest rows) with 0xFF; returns its number."""
    (page_size,), = rows(db, "PRAGMA page_size")
    leaves = [n for (n,) in rows(db, "SELECT pageno FROM dbstat WHERE name = 'articles' AND pagetype = 'leaf'"
                                     " ORDER BY pageno")]
    assert len(leaves) >= 3, leaves  # a page of old rows that new rows do not touch
    with open(db, "r+b") as f:
        f.seek((leaves[0] - 1) * page_size)
        f.write(b"\xff" * page_size)
    return leaves[0]


def files(directory) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in directory.iterdir() if p.is_file()}


def crawl_mid_way(web, config, db, act, **kwargs):
    """Run a crawl of the held site, ``act()`` once some batches are committed, then let it finish:
    ``(run, what act returned)``."""
    start = time.monotonic()
    proc = start_crawl(config, db, SLOW, **kwargs)
    try:
        assert wait_for(lambda: len(committed(db)) >= 6, proc=proc)
        acted = act()
        web.release()
        return finish(proc, start, timeout=300), acted
    finally:
        if proc.poll() is None:
            proc.kill()


def test_disk_full_fails_the_run_with_one_line_and_keeps_what_was_committed(tmp_path):
    with FaultWeb(n_good=N, faults=False) as web:
        config = write_config(tmp_path / "sites.toml", [web.url("/list.html")])
        db = tmp_path / "news.db"
        start = time.monotonic()
        result = finish(start_crawl(config, db, SLOW, preexec_fn=limit_file_size), start, timeout=300)
        assert result.returncode == 4, result.stderr[-3000:]
        assert "Traceback" not in result.stderr
        (line,) = result.stderr.splitlines()  # one line, nothing else at the default log level
        assert line.startswith(f"newsrake: error: run 1 failed: cannot write {db}: disk I/O error; "
                               "the crawl stopped, the rows committed before are kept"), line
        assert "run 1: failed" in result.stdout
        (stored,), = rows(db, "SELECT count(*) FROM articles")
        assert 0 < stored < N
        assert int(summary(result.stdout)["stored"]) == stored  # what the database holds, not what was counted
        assert rows(db, "PRAGMA integrity_check") == [("ok",)]
        (run_id, status, failure), = run_rows(db)
        if status == "failed":  # marked failed in the space the rolled-back batch had taken
            assert "disk I/O error" in failure
            assert rows(db, "SELECT articles_stored FROM runs") == [(stored,)]
            assert "could not be marked failed" not in line
        else:  # the batch failed at its first page: the run row could not be written either
            assert status == "running" and "the run could not be marked failed in the database" in line
        stats = cli("stats", "--db", db)
        assert stats.returncode == 0
        if status == "failed":
            assert "run 1 failed: cannot write" in stats.stdout  # the cause, under the runs table
        else:
            assert "interrupted" in stats.stdout

        # with room again, the next night stores the rest
        result = crawl(config, db, SLOW, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert rows(db, "SELECT count(*), count(DISTINCT url) FROM articles") == [(N, N)]
    assert [s for _, s, _ in run_rows(db)] in (["failed", "completed"], ["interrupted", "completed"])
    assert int(summary(result.stdout)["stored"]) == N - stored


def test_after_a_storage_failure_no_new_request_is_sent(tmp_path):
    # the site holds requests well after the disk is full, until the crawl has said it stops
    with FaultWeb(n_good=100, faults=False, hold_after=40) as web:
        config = write_config(tmp_path / "sites.toml", [web.url("/list.html")])
        db = tmp_path / "news.db"
        start = time.monotonic()
        proc = start_crawl(config, db, {**SLOW, "CONCURRENT_REQUESTS": "4"}, verbose=True, preexec_fn=limit_file_size)
        try:
            assert wait_for(lambda: "cannot store, closing the spider" in proc.stderr_path.read_text(), proc=proc)
            web.release()  # the requests in flight complete; no new one starts
            result = finish(proc, start, timeout=300)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert result.returncode == 4
    assert "Traceback" not in result.stderr
    assert "Closing spider (storage_failed)" in result.stderr
    # the first 40, and those already handed to the downloader (at most CONCURRENT_REQUESTS), as in a graceful stop
    requested = sum(n for path, n in web.hits.items() if path.startswith("/news/"))
    assert requested <= 40 + 4
    (stored,), = rows(db, "SELECT count(*) FROM articles")
    assert 0 < stored < 40


def test_a_damaged_database_is_refused_before_anything_is_written(slow_site, tmp_path):
    web, config, db = slow_site
    web.release()
    assert crawl(config, db, SLOW).returncode == 0
    corrupt_articles_page(db)
    requests, before = len(web.log), files(tmp_path)
    for command in (["crawl", config, "--db", db], ["reclean", "--db", db, "--config", config]):
        result = cli(*command)
        assert result.returncode == 2, (command, result.stderr)
        assert f"newsrake: error: {db}: the database is damaged (PRAGMA quick_check: " in result.stderr
        assert "nothing was written" in result.stderr and ".recover" in result.stderr
        assert "Traceback" not in result.stderr
        assert files(tmp_path) == before  # not a byte written, no file created
    assert len(web.log) == requests  # not one request
    assert [s for _, s, _ in run_rows(db)] == ["completed"]


def test_damage_found_during_the_run_fails_it_and_the_next_run_is_refused(slow_site, tmp_path):
    web, config, db = slow_site
    web.n_good, web.hold_after = N // 2, None
    assert crawl(config, db, SLOW).returncode == 0
    web.n_good, web.hold_after = N, web.articles_requested + HELD  # the next night finds N // 2 new articles
    start = time.monotonic()
    proc = start_crawl(config, db, SLOW)
    try:
        assert wait_for(lambda: len(committed(db)) >= N // 2 + 6, proc=proc)  # past the start-up check, mid-way
        corrupt_articles_page(db)  # rows of the first night: never read again until the run's counts
        web.release()
        result = finish(proc, start, timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "Traceback" not in result.stderr
    # The damaged page is met during the run only if SQLite reads it from disk (not from the writer's page
    # cache): then the run fails at once; otherwise the next run's quick_check finds it. Either way no run
    # after the damage completes on the damaged file.
    if result.returncode != 0:
        assert result.returncode == 4, result.stderr[-3000:]
        assert f"run 2 failed: cannot write {db}: database disk image is malformed" in result.stderr
        assert summary(result.stdout)["stored"] == "?"  # the database cannot tell: not a number it does not hold
        assert run_rows(db)[1][1:] == ("failed", f"cannot write {db}: database disk image is malformed; the "
                                                 "crawl stopped, the rows committed before are kept")
    refused = cli("crawl", config, "--db", db)
    assert refused.returncode == 2 and "the database is damaged" in refused.stderr


def test_database_replaced_mid_run_stops_the_crawl_and_writes_nothing_into_either_file(slow_site, tmp_path):
    web, config, db = slow_site
    def restore_backup():  # e.g. a backup restored over the live database
        copy_db(db, tmp_path / "restored.db")
        os.replace(tmp_path / "restored.db", db)
        return committed(db)

    result, kept = crawl_mid_way(web, config, db, restore_backup)
    assert result.returncode == 4, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert (f"newsrake: error: run 1 failed: {db} was replaced by another file during the run; the crawl "
            "stopped, nothing more was written to it") in result.stderr
    assert summary(result.stdout)["stored"] == "?"
    assert committed(db) == kept  # the crawl wrote nothing into the file that replaced its own
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert run_rows(db) == [(1, "running", None)]  # left as it was: the next run marks it interrupted

    result = crawl(config, db, SLOW, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert [s for _, s, _ in run_rows(db)] == ["interrupted", "completed"]
    assert rows(db, "SELECT count(*), count(DISTINCT url) FROM articles") == [(N, N)]


def test_directory_deleted_mid_run_stops_the_crawl(slow_site, tmp_path):
    web, config, _ = slow_site
    data = tmp_path / "data"
    data.mkdir()
    db = data / "news.db"
    result, _ = crawl_mid_way(web, config, db, lambda: shutil.rmtree(data), log_dir=tmp_path)
    assert result.returncode == 4, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert f"newsrake: error: run 1 failed: {db} was deleted during the run; the crawl stopped" in result.stderr
    assert "run 1: failed" in result.stdout and summary(result.stdout)["stored"] == "?"
    assert not data.exists()  # nothing recreated it
