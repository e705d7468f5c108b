"""The one-writer lock: it belongs to the database file, whatever path names it, and stats can see it."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager

import pytest

from pipeline.store import Store
from pipeline.store.lock import LockedError, is_held
from tests.helpers import ROOT, _env, make_db

# A second process that takes the lock and keeps it until its stdin closes.
HOLDER = ("import sys; from pipeline.store.lock import DatabaseLock; DatabaseLock(sys.argv[1]).acquire();"
          " print('locked', flush=True); sys.stdin.read()")


@contextmanager
def locked_by_another_process(path):
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, cwd=ROOT, env=_env())
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        proc.stdin.close()
        proc.wait(30)


def test_the_lock_belongs_to_the_file_not_the_path(tmp_path):
    db = tmp_path / "news.db"
    make_db(db)
    hard, soft, dotdot = tmp_path / "hard.db", tmp_path / "soft.db", tmp_path / "sub" / ".." / "news.db"
    hard.hardlink_to(db)
    soft.symlink_to(db)
    (tmp_path / "sub").mkdir()
    with locked_by_another_process(hard) as holder:
        for path in (db, hard, soft, dotdot):
            assert is_held(path), path
            with pytest.raises(LockedError, match=rf"another newsrake run \(pid {holder.pid}\) is using"):
                Store(path)
        assert not list(tmp_path.glob("*.lock"))  # no lock file to delete
    assert not is_held(db)  # the holder exited: the kernel dropped its lock
    Store(soft).close()


def test_is_held_works_on_a_read_only_file(tmp_path):
    # stats run by a user who may only read the file, while the crawl's user holds the lock
    db = tmp_path / "news.db"
    make_db(db)
    with locked_by_another_process(db):
        db.chmod(0o444)
        try:
            assert is_held(db)
        finally:
            db.chmod(0o644)
    assert not is_held(db)
