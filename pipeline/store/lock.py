"""One writer per database at a time.

An advisory ``flock`` on ``<db>.lock`` (hand-written: SQLite's own locks last
one transaction, not a whole run). The kernel releases it when the process
dies, so a crashed or killed run never leaves the database locked.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class LockedError(RuntimeError):
    pass


def _lock_path(db_path: str | Path) -> Path:
    return Path(str(Path(db_path).resolve()) + ".lock")


def is_held(db_path: str | Path) -> bool:
    """True while some process holds the database's lock (a crawl is running)."""
    try:
        fd = os.open(_lock_path(db_path), os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


class DatabaseLock:
    """The exclusive lock of one database, held from :meth:`acquire` to :meth:`release`."""

    def __init__(self, db_path: str | Path):
        self.db_path = db_path
        self.fd: int | None = None

    def acquire(self) -> "DatabaseLock":
        fd = os.open(_lock_path(self.db_path), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise LockedError(f"{self.db_path}: another newsrake run (pid {holder}) is using this database") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> "DatabaseLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
