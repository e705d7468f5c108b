"""The read-only commands over an archive: ``export``, ``query``, ``stats``, ``dedup-report``."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

from pipeline.cli.output import emit, kinds_text, table
from pipeline.core import counters
from pipeline.store import connect_for_query, queries


class UsageError(Exception):
    """Bad input from the user: printed, exit code 2."""


def cmd_export(args) -> int:
    from pipeline.store.export import WRITERS, export_rows, export_to_file

    conn = connect_for_query(args.db)
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


def cmd_query(args) -> int:
    conn = connect_for_query(args.db)
    try:
        cur = conn.execute(args.sql)
    except sqlite3.Error as exc:
        if any(word in str(exc) for word in ("readonly", "query_only", "read-only", "attached databases")):
            raise UsageError(f"query is read-only; this statement would write: {exc}") from None
        raise UsageError(f"SQL error: {exc}") from None
    except ValueError as exc:  # e.g. a NUL character in the statement
        raise UsageError(f"SQL error: {exc}") from None
    emit(args.format, [c[0] for c in cur.description or []], cur.fetchall())
    return 0


def cmd_stats(args) -> int:
    from pipeline.store.lock import is_held

    conn = connect_for_query(args.db)
    runs = queries.recent_runs(conn, args.runs)
    if not is_held(args.db):  # a 'running' run whose process is gone was killed; the next crawl records that
        for run in runs:
            run["status"] = "interrupted" if run["status"] == "running" else run["status"]
    print("Runs")
    print(table([[*list(r.values())[:-1], kinds_text(r["errors_by_kind"])] for r in runs],
                ["run", "started", "finished", "status", "fetched", "stored", "updated", "duplicates", "errors",
                 "error kinds"]))
    print("\nSites")
    print(table(queries.site_totals(conn), ["site", "articles", "duplicates", "last fetched"]))
    if runs:
        latest = runs[0]["id"]
        per_site = sorted(queries.run_site_stats(conn, latest).items())
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

    conn = connect_for_query(args.db)
    threshold = newsrake_settings().getfloat("NEWSRAKE_NEAR_THRESHOLD")
    report = dedup_report(conn, limit=args.limit, index=LSHIndex.as_stored(conn, threshold))
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for section, rows in report.items():
        print(f"\n{section.replace('_', ' ').capitalize()}")
        print(table([list(r.values()) for r in rows], list(rows[0])) if rows else "(none)")
    return 0
