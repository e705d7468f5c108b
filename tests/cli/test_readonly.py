"""Read-only commands on read-only media and for read-only users, through the CLI.

``query``, ``stats`` and ``export`` must read a healthy database whatever may be
written around it, and leave no file behind: a rollback-journal database, a WAL
database closed cleanly (no -wal/-shm), and a WAL database with a live writer
whose last commit is still only in its -wal file.

The read-only user is real: as root the CLI runs as uid 65534 through setpriv,
keeping only CAP_DAC_READ_SEARCH (it may read the interpreter under /root, and
write nothing it does not own); otherwise the directory is made read-only for
the user running the tests. Read-only media is a read-only bind mount in a
private mount namespace (unshare), where the kernel permits it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import pytest

from pipeline.store import search
from tests.helpers import make_db
from tests.helpers import newsrake as cli

NOBODY = 65534
DROP_TO_NOBODY = ("setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                  "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search")
READ_ONLY_MOUNT = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" "$1" && shift && exec "$@"'


def _can_mount_read_only(tmp_path) -> bool:
    probe = tmp_path / "probe"
    probe.mkdir()
    try:
        result = subprocess.run(["unshare", "-m", "sh", "-c", READ_ONLY_MOUNT, "sh", str(probe), "touch",
                                 str(probe / "x")], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    finally:
        ok = not (probe / "x").exists()
        shutil.rmtree(probe)
    return ok and "Read-only file system" in result.stderr


@pytest.fixture
def data_dir():
    """A directory in /tmp, not under pytest's 0700 tmp_path: access(2) ignores the capability that
    lets the dropped uid through it, and SQLite asks access(2) whether the -wal file exists."""
    path = Path(tempfile.mkdtemp(prefix="newsrake-readonly-"))
    path.chmod(0o755)
    yield path
    path.chmod(0o755)
    shutil.rmtree(path)


def prefix_for(access: str, data_dir, tmp_path) -> tuple[str, ...]:
    """The command prefix that runs the CLI with ``access`` to ``data_dir`` (skips when impossible)."""
    if access == "writable":
        return ()
    if access == "read-only media":
        if shutil.which("unshare") is None or not _can_mount_read_only(tmp_path):
            pytest.skip("no read-only bind mount possible here (needs unshare and CAP_SYS_ADMIN)")
        return ("unshare", "-m", "sh", "-c", READ_ONLY_MOUNT, "sh", str(data_dir))
    if os.geteuid() != 0:
        data_dir.chmod(0o555)  # this user may read the directory, not write it
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: no way to run the CLI as an unprivileged user")
    return DROP_TO_NOBODY


def add_article_in_the_wal(db) -> sqlite3.Connection:
    """Switch ``db`` to WAL and commit one more article that stays in the -wal file (writer kept open)."""
    writer = sqlite3.connect(db, isolation_level=None)
    search.register(writer)  # the triggers of articles index its text with newsrake's function
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("INSERT INTO articles (url, site, title, text, content_hash, fetched_at, published_at, run_id)"
                   " VALUES ('http://127.0.0.1:9/news/wal.html', 'example', 'In the WAL', 'text w', 'hw',"
                   " '2024-05-01T00:00:00+00:00', '2024-05-01', 1)")
    return writer


def listing(d) -> dict[str, str]:
    """Every file in ``d`` with its digest; -shm only by name (readers record their read marks there)."""
    return {p.name: "" if p.name.endswith("-shm") else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(d.iterdir())}


@pytest.mark.parametrize("kind", ["rollback journal", "WAL, closed", "WAL, live writer"])
@pytest.mark.parametrize("access", ["writable", "read-only user", "read-only media"])
def test_read_only_commands_read_and_leave_nothing_behind(data_dir, tmp_path, access, kind):
    db = data_dir / "news.db"
    make_db(db)  # three articles, rollback journal
    writer = None
    if kind == "WAL, closed":
        sqlite3.connect(db).execute("PRAGMA journal_mode=WAL").fetchone()
    elif kind == "WAL, live writer":
        writer = add_article_in_the_wal(db)
    expected = 4 if writer else 3
    try:
        prefix = prefix_for(access, data_dir, tmp_path)
        before = listing(data_dir)
        if kind == "WAL, live writer":
            assert {"news.db-wal", "news.db-shm"} <= set(before)
        else:
            assert set(before) - {"news.db-checked"} == {"news.db"}  # and the record a writer may leave

        query = cli("query", "SELECT count(*) AS n FROM articles", "--db", db, "--csv", prefix=prefix)
        assert query.returncode == 0, query.stderr
        assert query.stdout.split() == ["n", str(expected)]
        stats = cli("stats", "--db", db, prefix=prefix)
        assert stats.returncode == 0, stats.stderr
        sites_section = stats.stdout.split("\nSites\n")[1].split("\n\n")[0]
        assert [line.split()[:2] for line in sites_section.splitlines() if line.startswith("example")] == \
            [["example", str(expected)]]
        export = cli("export", "--db", db, prefix=prefix)
        assert export.returncode == 0, export.stderr
        assert len(list(csv.DictReader(io.StringIO(export.stdout)))) == expected

        assert listing(data_dir) == before  # no -wal/-shm/journal left, the database unchanged
    finally:
        if writer:
            writer.close()
