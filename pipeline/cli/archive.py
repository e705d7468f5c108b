"""The read-only commands over an archive: ``export``, ``query``, ``stats``, ``dedup-report``."""

from __future__ import annotations

import itertools
import json
import sqlite3
import sys
from contextlib import closing, contextmanager
from pathlib import Path

from pipeline.cli.output import emit, kinds_text, table
from pipeline.core import counters
from pipeline.store import connect_for_query, queries
from pipeline.store.db import database_error, is_damaged


class UsageError(Exception):
    """Bad input from the user: printed, exit code 2."""


@contextmanager
def reading(db, time_limit: float | None = None):
    """The archive opened for a read-only command, closed after it; an SQLite error while
    reading (a damaged page) becomes one line naming the file."""
    with closing(connect_for_query(db, time_limit)) as conn:
        try:
            yield conn
        except sqlite3.DatabaseError as exc:
            raise database_error(db, exc) from None


def cmd_export(args) -> int:
    from pipeline.store.export import WRITERS, export_rows, export_to_file

    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}: no day is in that range")
    with reading(args.db) as conn:
        cols, rows = export_rows(conn, since=args.since, until=args.until, site=args.site,
                                 include_duplicates=args.include_duplicates)
        if args.output:
            n = export_to_file(Path(args.output), args.format, cols, rows, bom=args.bom, force=args.force)
            print(f"exported {n} rows to {args.output}", file=sys.stderr)
        else:
            if args.bom:
                sys.stdout.write("\ufeff")
            sys.stdout.reconfigure(newline="")
            WRITERS[args.format](sys.stdout, cols, rows)
    return 0


def _query_error(args, exc: Exception) -> Exception:
    text = str(exc)
    if text == "interrupted":
        return UsageError(f"query stopped after {args.timeout:g} s (--timeout SECONDS; 0 = no limit)")
    if any(word in text for word in ("readonly", "query_only", "read-only", "attached databases")):
        return UsageError(f"query is read-only; this statement would write: {exc}")
    if is_damaged(exc):
        return database_error(args.db, exc)
    return UsageError(f"SQL error: {exc}")  # also ValueError: a NUL character in the statement


def cmd_query(args) -> int:
    """Rows are streamed (``--max-rows`` caps them, 0 = all) under a time limit (``--timeout``, 0 = none)."""
    with reading(args.db, args.timeout) as conn:
        try:
            cur = conn.execute(args.sql)
            emit(args.format, [c[0] for c in cur.description or []], itertools.islice(cur, args.max_rows or None))
            cut = bool(args.max_rows) and cur.fetchone() is not None
        except (sqlite3.Error, ValueError) as exc:
            raise _query_error(args, exc) from None
    if cut:
        print(f"newsrake: output cut at {args.max_rows} rows (--max-rows N; 0 = no cap)", file=sys.stderr)
    return 0


def cmd_stats(args) -> int:
    from pipeline.store.lock import is_held

    with reading(args.db) as conn:  # everything read before anything is printed
        runs = queries.recent_runs(conn, args.runs)
        totals = queries.site_totals(conn)
        per_site = sorted(queries.run_site_stats(conn, runs[0]["id"]).items()) if runs else []
    if not is_held(args.db):  # a 'running' run whose process is gone was killed; the next crawl records that
        for run in runs:
            run["status"] = "interrupted" if run["status"] == "running" else run["status"]
    print("Runs")
    columns = ["id", "started_at", "finished_at", "status", "pages_fetched", "articles_stored", "articles_updated",
               "duplicates", "errors"]
    print(table([[*(r[c] for c in columns), kinds_text(r["errors_by_kind"])] for r in runs],
                ["run", "started", "finished", "status", "fetched", "stored", "updated", "duplicates", "errors",
                 "error kinds"]))
    for run in runs:
        if run["failure"]:
            print(f"run {run['id']} failed: {run['failure']}")
    print("\nSites")
    print(table(totals, ["site", "articles", "duplicates", "last fetched"]))
    if runs:
        latest = runs[0]["id"]
        rows = [[site, kind, n] for site, values in per_site for kind, n in sorted(counters.errors_of(values).items())]
        if rows:
            print(f"\nErrors in run {latest}")
            print(table(rows, ["site", "kind", "count"]))
        rows = [[site, kind, n] for site, values in per_site for kind, n in sorted(counters.skips_of(values).items())]
        if rows:
            print(f"\nSkipped or retried in run {latest}")
            print(table(rows, ["site", "kind", "count"]))
    return 0


def cmd_dedup_report(args) -> int:
    from pipeline.crawl.runner import newsrake_settings
    from pipeline.dedup import LSHIndex, dedup_report

    threshold = newsrake_settings().getfloat("NEWSRAKE_NEAR_THRESHOLD")
    with reading(args.db) as conn:
        report = dedup_report(conn, limit=args.limit, index=LSHIndex.as_stored(conn, threshold))
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for section, rows in report.items():
        print(f"\n{section.replace('_', ' ').capitalize()}")
        print(table([list(r.values()) for r in rows], list(rows[0])) if rows else "(none)")
    return 0
