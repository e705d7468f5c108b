"""Export articles as CSV or JSON Lines, streamed row by row.

Columns are those of the ``articles`` table, in table order, so a CSV header
is the schema users already query, with ``published_date`` (the day of
``published_at``, ``YYYY-MM-DD`` or empty) after ``published_at``. With duplicates included, every URL that
carried a story gets a row (the stored article's content under the
duplicate's url/site/fetched_at), plus ``duplicate_of`` and ``duplicate_kind``. (Hand-written over sqlite-utils' CSV output: rows
are streamed, and a file is written through a temporary file so a failed export leaves nothing.)
"""

from __future__ import annotations

import base64
import csv
import json
import os
import sqlite3
import stat
import tempfile
from datetime import date
from pathlib import Path
from typing import IO, Iterator

DUPLICATE_COLUMNS = ["duplicate_of", "duplicate_kind"]


class ExportError(ValueError):
    pass


# The day of published_at as the source gave it (its own offset, not UTC), so that spreadsheets sort by day.
PUBLISHED_DATE = ("CASE WHEN a.published_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
                  "THEN substr(a.published_at, 1, 10) END")


def export_columns(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """``(name, SQL over articles a)`` of each exported column: the table's, and ``published_date``
    (``YYYY-MM-DD``, or empty) after ``published_at``."""
    cols = []
    for name in (row[1] for row in conn.execute("PRAGMA table_info(articles)")):
        cols.append((name, f"a.{name}"))
        if name == "published_at":
            cols.append(("published_date", PUBLISHED_DATE))
    return cols


def export_rows(conn: sqlite3.Connection, *, since: date | None = None, until: date | None = None,
                site: str | None = None, include_duplicates: bool = False) -> tuple[list[str], Iterator[tuple]]:
    """Return (columns, rows) for articles published (or, when undated, fetched) in [since, until]."""
    columns = export_columns(conn)
    where, params = [], {}
    if since:
        where.append("coalesce(a.published_at, a.fetched_at) >= :since")
        params["since"] = since.isoformat()
    if until:  # on the date part, so that --until 9999-12-31 needs no day after it
        where.append("substr(coalesce(a.published_at, a.fetched_at), 1, 10) <= :until")
        params["until"] = until.isoformat()
    if site:
        where.append("a.site = :site")
        params["site"] = site
    condition = f"WHERE {' AND '.join(where)}" if where else ""
    select = ", ".join(expr for _, expr in columns)
    sql = f"SELECT {select} FROM articles a {condition}"
    if include_duplicates:
        dup_select = ", ".join({"url": "d.url", "site": "d.site", "fetched_at": "d.fetched_at",
                                "run_id": "d.run_id"}.get(name, expr) for name, expr in columns)
        dup_condition = condition.replace("a.site", "d.site")
        sql = (f"SELECT {select}, NULL, NULL FROM articles a {condition} UNION ALL "
               f"SELECT {dup_select}, d.article_id, d.kind FROM duplicates d JOIN articles a ON a.id = d.article_id "
               f"{dup_condition}")
    cols = [name for name, _ in columns] + (DUPLICATE_COLUMNS if include_duplicates else [])
    return cols, conn.execute(sql + " ORDER BY 1", params)


def text_cells(row) -> list:
    """A row for text output: BLOBs as base64 (JSON has no bytes; csv would write ``b'...'``)."""
    return [base64.b64encode(v).decode("ascii") if isinstance(v, bytes) else v for v in row]


def json_record(cols: list[str], row) -> str:
    return json.dumps(dict(zip(cols, text_cells(row))), ensure_ascii=False)


def write_csv(out: IO[str], cols: list[str], rows) -> int:
    writer = csv.writer(out)
    writer.writerow(cols)
    n = 0
    for n, row in enumerate(rows, 1):
        writer.writerow(text_cells(row))
    return n


def write_jsonl(out: IO[str], cols: list[str], rows) -> int:
    n = 0
    for n, row in enumerate(rows, 1):
        out.write(json_record(cols, row) + "\n")
    return n


WRITERS = {"csv": write_csv, "jsonl": write_jsonl}


_NOT_REGULAR = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a device",
                stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket"}


def _check_target(path: Path, force: bool) -> None:
    """Only a regular file may be replaced, and only with ``force``: a FIFO or device is never swapped for a file."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        kind = _NOT_REGULAR.get(stat.S_IFMT(mode), "not a regular file")
        raise ExportError(f"{path}: is {kind}; export -o writes regular files only (leave -o out for stdout)")
    if mode is not None and not force:
        raise ExportError(f"{path}: file exists (use --force to overwrite)")
    if not path.parent.is_dir():
        raise ExportError(f"{path}: directory {path.parent} does not exist")


def _umask() -> int:
    """The process's umask (reading it means setting it: set back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def export_to_file(path: Path, fmt: str, cols, rows, *, bom: bool = False, force: bool = False) -> int:
    """Write through a temporary file in the same directory, so a failed export leaves no half file."""
    _check_target(path, force)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"{path}: cannot create a file in {path.parent}: {exc.strerror}") from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp's file is 0600; an export gets the mode of any new file
        with os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
            n = WRITERS[fmt](out, cols, rows)
        os.replace(tmp, path)
    except OSError as exc:
        os.unlink(tmp)
        raise ExportError(f"{path}: cannot write: {exc.strerror}") from None
    except BaseException:
        os.unlink(tmp)
        raise
    return n
