"""The one output-format option of the commands that print rows: a table, ``--csv`` or ``--json``."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

from tabulate import tabulate

from pipeline.store.export import json_record, write_csv


def output_options(parser, *, csv: bool = True, json_help: str = "JSON"):
    """Add ``--json`` (and ``--csv``) to a command's parser; the default is a table for people."""
    group = parser.add_mutually_exclusive_group()
    if csv:
        group.add_argument("--csv", dest="format", action="store_const", const="csv", help="CSV with a header row")
    group.add_argument("--json", dest="format", action="store_const", const="json", help=json_help)
    parser.set_defaults(format="table")
    return parser


def emit(fmt: str, cols: list[str], rows) -> None:
    """Print ``rows`` (sequences matching ``cols``) in the chosen format; JSON and CSV row by row.

    BLOBs are base64 in JSON and CSV, and shown by their size in a table.
    """
    out = sys.stdout
    if fmt == "json":  # a JSON array, one object per line, written as the rows come
        first = True
        out.write("[")
        for row in rows:
            out.write(("\n  " if first else ",\n  ") + json_record(cols, row))
            first = False
        out.write("]\n" if first else "\n]\n")
    elif fmt == "csv":
        out.reconfigure(newline="")
        write_csv(out, cols, rows)
    else:
        print(tabulate([[f"<BLOB, {len(v)} bytes>" if isinstance(v, bytes) else v for v in r] for r in rows],
                       headers=cols))


def table(rows, headers) -> str:
    return tabulate(rows, headers=headers)


def kinds_text(counts: dict) -> str:
    """``{"http_404": 2, "timeout": 1}`` as ``http_404 2, timeout 1``."""
    return ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))


class OutputError(Exception):
    """Standard output cannot be written (a full disk, /dev/full, an I/O error): printed, exit code 2."""


class _CheckedStream:
    """sys.stdout whose write errors raise OutputError. Hand-written: print() and the csv module
    raise a bare OSError that could come from anything; a closed pipe stays BrokenPipeError."""

    def __init__(self, stream):
        self._stream = stream

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def write(self, text: str) -> int:
        return self._checked(self._stream.write, text)

    def flush(self) -> None:
        self._checked(self._stream.flush)

    @staticmethod
    def _checked(call, *args):
        try:
            return call(*args)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"cannot write the output: {exc.strerror or exc}") from None


@contextmanager
def checked_stdout():
    """Run a command with stdout checked (see OutputError), flushed before it counts as done."""
    original = sys.stdout
    sys.stdout = _CheckedStream(original)
    try:
        yield
        sys.stdout.flush()
    finally:
        sys.stdout = original


def discard_stdout() -> None:
    """After stdout failed (full, or a reader that hung up): send what is still buffered to /dev/null,
    so that the interpreter's last flush does not fail again with a traceback."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (captured output)
        pass
