"""One writer per database at a time: an exclusive ``flock`` on the database file itself.

Hand-written: SQLite's own locks last one transaction, not a whole run. The
lock belongs to the file (its device and inode), not to a path, so a hard
link, a symlink or a ``../`` path to the same database meets the same lock,
and there is no lock file to delete. On Linux, ``flock`` locks are
independent of the POSIX ``fcntl`` locks SQLite takes on the same file, so
they neither block SQLite's readers nor the writer's own connection. The
kernel releases the lock when the process dies, so a killed run never leaves
the database locked.

The lock's file descriptor must stay open for as long as SQLite has the file
open in this process (closing any descriptor of a file drops the process's
POSIX locks on it): :class:`~pipeline.store.db.Store` takes the lock before it
connects and releases it after it closes.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class LockedError(RuntimeError):
    """Another process holds the database's lock."""


def _holder(st: os.stat_result) -> str:
    """Which process holds a flock on this file, from the kernel's lock table (Linux); for the message only."""
    device = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii") as table:  # "1: FLOCK  ADVISORY  WRITE <pid> <dev>:<inode> 0 EOF"
            for fields in map(str.split, table):
                if fields[1:2] == ["FLOCK"] and fields[5:6] == [device]:
                    return f"pid {fields[4]}"
    except (OSError, IndexError):
        pass
    return "another process"


def is_held(db_path: str | Path) -> bool:
    """True while some process holds the database's lock (a crawl is running); also on a read-only file.

    Call it before this process opens the database with SQLite: the probe closes its
    descriptor, which would drop the POSIX locks of SQLite's connection on the file.
    """
    try:
        fd = os.open(db_path, os.O_RDONLY)
    except OSError:  # no such file (nothing runs on it), or not ours to read
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


class DatabaseLock:
    """The exclusive lock of one database file, held from :meth:`acquire` to :meth:`release`."""

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)
        self.fd: int | None = None

    def acquire(self) -> "DatabaseLock":
        """Lock the file (an empty file is created for a new database: SQLite takes it as one).

        Raises LockedError when another process holds it, OSError when it cannot be opened for writing.
        """
        fd = os.open(self.db_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(os.fstat(fd))
            os.close(fd)
            raise LockedError(f"{self.db_path}: another newsrake run ({holder}) is using this database") from None
        self.fd = fd
        return self

    def lost(self) -> str | None:
        """How the path stopped naming the locked file (``deleted``, ``replaced by another file``), or None."""
        held = os.fstat(self.fd)
        try:
            now = os.stat(self.db_path)
        except (FileNotFoundError, NotADirectoryError):
            return "deleted"
        return None if (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino) else "replaced by another file"

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
