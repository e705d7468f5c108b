"""One writer per database, through the CLI: a second crawl by any path to the same file is refused.

The first crawl is held mid-way by the site (see tests/crawl/test_crash.py); while it holds the lock,
second crawls through a hard link, a symlink and a ``..`` path are refused, and SQLite's readers
(``query``, ``stats``) are not blocked: Linux ``flock`` is independent of SQLite's ``fcntl`` locks.
"""

from __future__ import annotations

import time

from tests.helpers import HELD, N, SLOW, committed, wait_for
from tests.helpers import crawl, finish, rows, start_crawl
from tests.helpers import newsrake as cli


def test_a_second_writer_is_refused_whatever_the_path_and_readers_still_read(slow_site, tmp_path):
    web, config, db = slow_site
    (tmp_path / "sub").mkdir()
    paths = {"hard link": tmp_path / "hard.db", "symlink": tmp_path / "soft.db",
             "dot-dot path": tmp_path / "sub" / ".." / db.name}
    start = time.monotonic()
    proc = start_crawl(config, db, SLOW)
    try:
        assert wait_for(lambda: len(committed(db)) >= HELD, proc=proc)
        paths["hard link"].hardlink_to(db)
        paths["symlink"].symlink_to(db)
        assert not list(tmp_path.glob("*.lock"))  # the lock is on the database file: no lock file to delete
        for how, path in paths.items():
            second = crawl(config, path, SLOW, timeout=300)
            assert second.returncode == 1, (how, second.stderr[-2000:])
            assert f"another newsrake run (pid {proc.pid}) is using this database" in second.stderr, how
            assert "Traceback" not in second.stderr
        assert rows(db, "SELECT count(*) FROM runs") == [(1,)]  # the refused crawls wrote nothing

        query = cli("query", "SELECT count(*) FROM articles", "--db", db)
        assert query.returncode == 0 and int(query.stdout.split()[-1]) >= HELD, query.stderr
        stats = cli("stats", "--db", db)
        assert stats.returncode == 0 and "running" in stats.stdout  # is_held sees the crawl's lock
        web.release()
        result = finish(proc, start, timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert result.returncode == 0, result.stderr[-3000:]  # the writer was never disturbed by the lock
    assert rows(db, "SELECT count(*), count(DISTINCT url) FROM articles") == [(N, N)]
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert rows(db, "SELECT status FROM runs") == [("completed",)]
