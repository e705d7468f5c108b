"""One crawl per database at a time.

An advisory ``flock`` on ``<db>.lock``: the kernel releases it when the
process dies, so a crashed or killed run never leaves the database locked.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

_held: dict[Path, int] = {}  # lock path -> fd, so one process can take its own lock twice


class LockedError(RuntimeError):
    pass


def _lock_path(db_path: str | Path) -> Path:
    return Path(str(Path(db_path).resolve()) + ".lock")


def is_held(db_path: str | Path) -> bool:
    """True while some process holds the database's lock (a crawl is running)."""
    lock_path = _lock_path(db_path)
    if lock_path in _held:
        return True
    try:
        fd = os.open(lock_path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def acquire(db_path: str | Path) -> Path:
    lock_path = _lock_path(db_path)
    if lock_path in _held:
        return lock_path
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
        os.close(fd)
        raise LockedError(f"{db_path}: another newsrake run (pid {holder}) is using this database") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    _held[lock_path] = fd
    return lock_path


def release(db_path: str | Path) -> None:
    lock_path = _lock_path(db_path)
    fd = _held.pop(lock_path, None)
    if fd is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
