"""The writer's record of the file it left sound, so the next writer need not read it all again.

A writer runs ``PRAGMA quick_check`` before its first write, and that reads the whole file: minutes for a
year's archive (18 GB at a million articles). So a writer that closes the database cleanly, after a
check passed, writes the file's identity to ``<db>-checked``: inode, size, mtime and ctime in
nanoseconds (ctime cannot be set back by hand). The next writer skips the check only when the file is
still exactly that one and no WAL is left over; anything else (a write by another program, a copy, a
restored backup, damage written in place, a writer that died) makes it check. Each writer removes the
record before its first write, so only a clean close leaves one. Removing the file forces the check.

Damage written into the file while the writer runs would be in the identity taken at close, so the
writer also watches the file: in WAL mode only a checkpoint writes the database file itself, and the
writer runs its own checkpoints (:class:`~pipeline.store.db.Store`), so a change of identity between two
of them is another program's write, and that run leaves no record. (File times are as fine as the
kernel's clock tick: a write within a tick after a checkpoint can go unseen.)
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

SUFFIX = "-checked"


def _record_path(path: Path) -> Path:
    return Path(f"{path}{SUFFIX}")


def identity(path: Path) -> dict | None:
    """The file's inode, size, mtime and ctime; None when the path names no file (deleted meanwhile)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return {"inode": st.st_ino, "size": st.st_size, "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns}


def wal_size(path: Path) -> int:
    """The size of the WAL beside ``path``; 0 when there is none (also when a reader of a file renamed
    over the writer's removed it: the writer's next commit finds the file replaced)."""
    try:
        return os.path.getsize(f"{path}-wal")
    except OSError:
        return 0


def unchanged_since_checked(path: Path) -> bool:
    """The file is the one the last clean writer recorded, and no writer's WAL is left beside it."""
    try:
        recorded = json.loads(_record_path(path).read_text())
    except (OSError, ValueError):
        return False
    return recorded is not None and recorded == identity(path) and wal_size(path) == 0


def forget_checked(path: Path) -> None:
    """Remove the record: this writer is about to change the file."""
    _record_path(path).unlink(missing_ok=True)


def record_checked(path: Path) -> None:
    """Record the file as this writer closed it. A record that cannot be written only costs the next
    writer a full check."""
    try:
        _record_path(path).write_text(json.dumps(identity(path)))
    except OSError:
        with contextlib.suppress(OSError):
            forget_checked(path)
