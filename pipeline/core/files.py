"""Reading a file the user names (a site config, a saved page) with a bound on what it may cost.

``/dev/zero``, a FIFO or a directory given by mistake must be refused at once,
not read for ever: only regular files are read, and no more than ``limit`` bytes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class FileRefused(ValueError):
    """The path is not a regular file, or is larger than the limit; the message says which."""


def read_regular_file(path: str | Path, limit: int) -> bytes:
    """The bytes of ``path``; raises FileRefused (not a regular file, over ``limit`` bytes) or OSError."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # O_NONBLOCK: opening a FIFO must not wait for a writer
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FileRefused("not a regular file")
        with open(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)  # a file growing while it is read is cut at the limit too
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FileRefused(f"larger than {_size(limit)}")
    return data


def _size(n: int) -> str:
    return f"{n / (1 << 20):g} MiB" if n >= 1 << 20 else f"{n} bytes"
