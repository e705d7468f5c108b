"""The start-up ``quick_check`` reads the whole file, so it is skipped when the file is as the last run
closed it cleanly (pipeline/store/checked.py), and made whenever anything may have changed it since.

Which way a crawl went is read from its ``-v`` log: ``quick_check skipped`` or ``PRAGMA quick_check ok``.
"""

from __future__ import annotations

import os
import shutil
import time

from tests.crawl.test_storage_faults import corrupt_articles_page
from tests.faults import FaultWeb
from tests.helpers import HELD, SLOW, committed, finish, kill_crawl, rows, start_crawl, wait_for, write_config
from tests.helpers import newsrake as cli

SKIPPED = "is as the last run closed it: quick_check skipped"
CHECKED = "PRAGMA quick_check ok in"


def night(config, db, settings=None):
    start = time.monotonic()
    return finish(start_crawl(config, db, settings, verbose=True), start, timeout=300)


def test_after_a_clean_night_the_next_skips_the_check_whatever_readers_did_meanwhile(tmp_path):
    with FaultWeb(n_good=6, faults=False) as web:
        config = write_config(tmp_path / "sites.toml", [web.url("/list.html")])
        db = tmp_path / "news.db"
        first = night(config, db)
        assert first.returncode == 0, first.stderr[-3000:]
        assert SKIPPED not in first.stderr and CHECKED not in first.stderr  # a new file: nothing to check
        for command in (["stats"], ["query", "SELECT count(*) FROM articles"], ["export", "-o", tmp_path / "a.csv"],
                        ["dedup-report"], ["search", "story"]):
            assert cli(*command, "--db", db).returncode == 0, command
        second = night(config, db)
        assert second.returncode == 0, second.stderr[-3000:]
        assert SKIPPED in second.stderr and CHECKED not in second.stderr
        assert rows(db, "SELECT status FROM runs ORDER BY id") == [("completed",), ("completed",)]


def test_damage_written_in_place_is_found_even_with_the_mtime_set_back(tmp_path):
    with FaultWeb(n_good=40, faults=False) as web:
        config = write_config(tmp_path / "sites.toml", [web.url("/list.html")])
        db = tmp_path / "news.db"
        assert night(config, db).returncode == 0
        stat = os.stat(db)
        corrupt_articles_page(db)
        os.utime(db, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime: only the ctime moved
        result = night(config, db)
    assert result.returncode == 2, result.stderr[-3000:]
    assert f"{db}: the database is damaged (PRAGMA quick_check: " in result.stderr
    assert rows(db, "SELECT count(*) FROM runs") == [(1,)]


def test_a_copy_is_checked_even_with_the_record_beside_it(tmp_path):
    with FaultWeb(n_good=6, faults=False) as web:
        config = write_config(tmp_path / "sites.toml", [web.url("/list.html")])
        db = tmp_path / "news.db"
        assert night(config, db).returncode == 0
        copy = tmp_path / "copy" / "news.db"
        shutil.copytree(tmp_path, copy.parent, ignore=shutil.ignore_patterns("copy", "*.std*"))
        result = night(config, copy)
    assert result.returncode == 0, result.stderr[-3000:]
    assert CHECKED in result.stderr and SKIPPED not in result.stderr


def test_a_killed_crawl_leaves_the_next_to_check(slow_site):
    web, config, db = slow_site
    proc = start_crawl(config, db, SLOW)
    try:
        assert wait_for(lambda: len(committed(db)) >= HELD // 2, proc=proc)
    finally:
        kill_crawl(proc)
    web.release()
    result = night(config, db)
    assert result.returncode == 0, result.stderr[-3000:]
    assert CHECKED in result.stderr and SKIPPED not in result.stderr
    assert rows(db, "SELECT status FROM runs ORDER BY id") == [("interrupted",), ("completed",)]


def test_a_write_by_another_program_during_the_run_leaves_the_next_to_check(slow_site):
    web, config, db = slow_site
    start = time.monotonic()
    proc = start_crawl(config, db, SLOW, verbose=True)
    try:
        assert wait_for(lambda: len(committed(db)) >= HELD // 2, proc=proc)
        with open(db, "r+b") as f:  # the same bytes again: harmless, but not the writer's own write
            header = f.read(100)
            f.seek(0)
            f.write(header)
        web.release()
        result = finish(proc, start, timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"{db} was written by another program during the run: the next run checks it" in result.stderr
    second = night(config, db)
    assert second.returncode == 0, second.stderr[-3000:]
    assert CHECKED in second.stderr and SKIPPED not in second.stderr
