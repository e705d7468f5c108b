"""The read-only commands over an archive: ``export``, ``query``, ``search``, ``stats``, ``dedup-report``."""

from __future__ import annotations

import itertools
import json
import sqlite3
import sys
from contextlib import closing, contextmanager
from pathlib import Path

from pipeline.cli.health import health_cell, sentence
from pipeline.cli.output import emit, kinds_text, table
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


def check_site(conn: sqlite3.Connection, site: str | None) -> None:
    """Refuse a ``--site`` the archive has no figures or articles of, naming the sites it has."""
    if site is not None and site not in (known := queries.known_sites(conn)):
        raise UsageError(f"no site named {site!r} in the database (sites: {', '.join(known) or 'none yet'})")


def cmd_export(args) -> int:
    from pipeline.store.export import WRITERS, export_rows, export_to_file

    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}: no day is in that range")
    with reading(args.db) as conn:
        check_site(conn, args.site)
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


def cmd_search(args) -> int:
    """The articles matching every word of the query, best first (see pipeline/store/search.py); a
    database of an earlier release is migrated first (its search index built once)."""
    from pipeline.store import search, upgrade

    if search.match_expression(args.query) == search.NO_WORDS:
        raise UsageError(f"nothing to search for in {args.query!r}: give a word or a character")
    upgrade(args.db)
    with reading(args.db) as conn:
        check_site(conn, args.site)
        cur = conn.execute(f"{search.SEARCH_SQL} LIMIT :limit", {"q": args.query, "site": args.site or "", "limit": args.limit or -1,
                                               "since": args.since.isoformat() if args.since else ""})
        emit(args.format, [c[0] for c in cur.description], cur)
    return 0


def cmd_stats(args) -> int:
    """Recent runs, the sites, their health over the recent crawls, and the latest crawl's errors and skips
    (a reclean never hides them); ``--site NAME --history``: that site run by run; ``--json``: all of it."""
    from pipeline.store.lock import is_held

    if args.history and not args.site:
        raise UsageError("--history needs --site NAME: the site whose runs to list")
    with reading(args.db) as conn:  # everything read before anything is printed
        check_site(conn, args.site)
        runs = queries.recent_runs(conn, args.runs)
        per_run = queries.site_runs(conn, [run["id"] for run in runs], args.site)
        totals = [row for row in queries.site_totals(conn) if args.site in (None, row[0])]
        has_figures = queries.has_site_runs(conn)
    if not is_held(args.db):  # a 'running' run whose process is gone was killed; the next crawl records that
        for run in runs:
            run["status"] = "interrupted" if run["status"] == "running" else run["status"]
    for run in runs:
        run["sites"] = per_run.get(run["id"], {})
    if args.format == "json":
        keys = ("id", "kind", "status", "started_at", "finished_at", "failure", "sites")
        print(json.dumps({"runs": [{k: run[k] for k in keys} for run in runs]}, ensure_ascii=False, indent=2))
    elif args.history:
        _print_site_history(args.site, runs)
    else:
        _print_stats(runs, totals)
        if not has_figures:
            print("\n(per-site figures and health start with the next crawl, which migrates this database)")
    return 0


HISTORY_FIGURES = {"pages_fetched": "fetched", "list_pages": "lists", "article_links": "links", "new_links": "new",
                   "known_links": "known", "stored": "stored", "updated": "updated", "duplicates": "dups",
                   "errors": "errors", "median_text_len": "text len", "removed_share": "removed",
                   "dated_share": "dated", "author_share": "authors"}


def _print_site_history(site: str, runs: list[dict]) -> None:
    """One line per recent run of ``site``: its figures (blank: not recorded by that release) and health."""
    rows = []
    for run in runs:
        if (figures := run["sites"].get(site)) is None:
            continue
        cells = [_figure_cell(name, figures[name]) for name in HISTORY_FIGURES]
        rows.append([run["id"], run["kind"], run["started_at"], run["status"], *cells, health_cell(figures["flags"])])
    print(f"{site}: recent runs")
    print(table(rows, ["run", "kind", "started", "status", *HISTORY_FIGURES.values(), "health"]))
    for run in runs:
        figures = run["sites"].get(site)
        for flag in (figures or {}).get("flags") or []:
            print(f"run {run['id']}: {sentence(site, flag, figures)}")


def _figure_cell(name: str, value):
    if value is None:
        return ""
    return f"{value:.0%}" if name.endswith("_share") else value


def _print_stats(runs: list[dict], totals: list) -> None:
    print("Runs")
    columns = ["id", "kind", "started_at", "finished_at", "status", "pages_fetched", "articles_stored",
               "articles_updated", "duplicates", "errors"]
    print(table([[*(r[c] for c in columns), kinds_text(r["errors_by_kind"])] for r in runs],
                ["run", "kind", "started", "finished", "status", "fetched", "stored", "updated", "duplicates",
                 "errors", "error kinds"]))
    for run in runs:
        if run["failure"]:
            print(f"run {run['id']} failed: {run['failure']}")
    print("\nSites")
    print(table(totals, ["site", "articles", "duplicates", "last fetched"]))
    crawls = [run for run in runs if run["kind"] == "crawl" and run["sites"]]
    if not crawls:
        return
    sites = sorted({site for run in crawls for site in run["sites"]})
    print("\nHealth in the recent crawls (newest first)")
    print(table([[site, *(health_cell(run["sites"][site]["flags"]) if site in run["sites"] else ""
                          for run in crawls)] for site in sites],
                ["site", *(f"run {run['id']}" for run in crawls)]))
    latest = crawls[0]
    for site, figures in latest["sites"].items():
        for flag in figures["flags"] or []:
            print(sentence(site, flag, figures))
    for title, kinds in (("Errors", "errors_by_kind"), ("Skipped or retried", "skips_by_kind")):
        rows = [[site, kind, n] for site, figures in latest["sites"].items()
                for kind, n in sorted((figures[kinds] or {}).items())]
        if rows:
            print(f"\n{title} in run {latest['id']}")
            print(table(rows, ["site", "kind", "count"]))


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
        print(table([[_report_cell(k, v) for k, v in r.items()] for r in rows],
                    [k.replace("_", " ") for k in rows[0]]) if rows else "(none)")
    return 0


def _report_cell(key: str, value):
    """A dedup-report value for people (JSON keeps the numbers): counts by kind as ``exact 2, near 1``,
    a share as a percentage, a similarity to two decimals."""
    if isinstance(value, dict):
        return kinds_text(value)
    if key.endswith("_share"):
        return f"{value:.1%}"
    return f"{value:.2f}" if isinstance(value, float) else value
