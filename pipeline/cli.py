"""The ``newsrake`` command line: crawl, export, query, stats, reclean, extract, dedup-report.

Exit codes: 0 success; 1 the database is locked by another run; 2 bad input
(config, arguments, unusable database path, SQL that writes); 130 the crawl
was stopped by a signal.
Relative paths are relative to where the command is run.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from datetime import date
from pathlib import Path

from tabulate import tabulate

from pipeline.config import ConfigError, load_config
from pipeline.store import StoreError, check_database, connect

DEFAULT_DB = "data/news.db"
EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 1, 2, 130
# Per-site counters that are not errors but show what the crawl declined to fetch, or fetched again.
SKIP_COUNTERS = ("robots_disallowed", "offsite_links", "over_budget", "retried")


class UsageError(Exception):
    """Bad input from the user: printed, exit code 2."""


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {value!r} (expected YYYY-MM-DD)") from None


def _setting(value: str) -> tuple[str, str]:
    name, sep, val = value.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {value!r}")
    return name, val


def _kinds(counts: dict) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))


def _readonly(db: str) -> sqlite3.Connection:
    check_database(db)  # not SQLite, or from a newer newsrake: StoreError
    conn = connect(Path(db), readonly=True)
    conn.execute("PRAGMA query_only = 1")
    conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)  # ATTACH and VACUUM INTO would create files
    return conn


# -- crawl ---------------------------------------------------------------------

def cmd_crawl(args) -> int:
    from pipeline.crawl import run_crawl

    sites = load_config(args.config)
    check_database(args.db)  # before the lock file is created
    overrides = {"LOG_LEVEL": "INFO" if args.verbose else "WARNING", **dict(args.set or [])}
    result = run_crawl(Path(args.config), sites, Path(args.db), overrides)
    rows = []
    for site, counters in result.sites.items():
        errors = {k[7:]: v for k, v in counters.items() if k.startswith("errors/")}
        rows.append([site, counters.get("fetched", 0), counters.get("stored", 0), counters.get("updated", 0),
                     counters.get("duplicates", 0), sum(errors.values()), _kinds(errors)])
    print(f"run {result.run_id}: {result.status}  (database: {args.db})")
    print(tabulate(rows, headers=["site", "fetched", "stored", "updated", "duplicates", "errors", "error kinds"]))
    return 0 if result.status == "completed" else EXIT_INTERRUPTED


# -- export / query / stats -----------------------------------------------------

def cmd_export(args) -> int:
    from pipeline.export import WRITERS, export_rows, export_to_file

    conn = _readonly(args.db)
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
    conn = _readonly(args.db)
    try:
        cur = conn.execute(args.sql)
    except sqlite3.Error as exc:
        if any(word in str(exc) for word in ("readonly", "query_only", "read-only", "attached databases")):
            raise UsageError(f"query is read-only; this statement would write: {exc}") from None
        raise UsageError(f"SQL error: {exc}") from None
    except ValueError as exc:  # e.g. a NUL character in the statement
        raise UsageError(f"SQL error: {exc}") from None
    cols = [c[0] for c in cur.description or []]
    rows = cur.fetchall()
    if args.json:
        print(json.dumps([dict(zip(cols, r)) for r in rows], ensure_ascii=False, indent=2))
    elif args.csv:
        from pipeline.export import write_csv

        sys.stdout.reconfigure(newline="")
        write_csv(sys.stdout, cols, rows)
    else:
        print(tabulate(rows, headers=cols))
    return 0


def cmd_stats(args) -> int:
    from pipeline.lock import is_held

    conn = _readonly(args.db)
    runs = [(*row[:-1], _kinds(json.loads(row[-1] or "{}"))) for row in conn.execute(
        "SELECT id, started_at, finished_at, status, pages_fetched, articles_stored, articles_updated,"
        " duplicates, errors, errors_by_kind FROM runs ORDER BY id DESC LIMIT ?", (args.runs,))]
    if not is_held(args.db):  # a 'running' run whose process is gone was killed; the next crawl records that
        runs = [(*r[:3], "interrupted" if r[3] == "running" else r[3], *r[4:]) for r in runs]
    print("Runs")
    print(tabulate(runs, headers=["run", "started", "finished", "status", "fetched", "stored", "updated",
                                  "duplicates", "errors", "error kinds"]))
    sites = conn.execute(
        "SELECT site, sum(articles), sum(dups), max(last) FROM ("
        " SELECT site, count(*) AS articles, 0 AS dups, max(fetched_at) AS last FROM articles GROUP BY site"
        " UNION ALL SELECT site, 0, count(*), max(fetched_at) FROM duplicates GROUP BY site)"
        " GROUP BY site ORDER BY site").fetchall()
    print("\nSites")
    print(tabulate(sites, headers=["site", "articles", "duplicates", "last fetched"]))
    if runs:
        latest = conn.execute("SELECT stats FROM runs WHERE id = ?", (runs[0][0],)).fetchone()[0]
        per_site = json.loads(latest or "{}").get("sites", {})
        rows = [[site, kind[7:], n] for site, counters in sorted(per_site.items())
                for kind, n in sorted(counters.items()) if kind.startswith("errors/")]
        if rows:
            print(f"\nErrors in run {runs[0][0]}")
            print(tabulate(rows, headers=["site", "kind", "count"]))
        rows = [[site, kind, n] for site, counters in sorted(per_site.items())
                for kind, n in sorted(counters.items()) if kind in SKIP_COUNTERS]
        if rows:
            print(f"\nSkipped or retried in run {runs[0][0]}")
            print(tabulate(rows, headers=["site", "kind", "count"]))
    return 0


# -- reclean / extract / dedup-report --------------------------------------------

def cmd_reclean(args) -> int:
    from pipeline import lock
    from pipeline.crawl import newsrake_settings
    from pipeline.reclean import reclean, sites_from_last_run
    from pipeline.store import Store

    check_database(args.db)  # before the lock file is created
    lock.acquire(args.db)
    store = Store(args.db)
    try:
        sites = {s.name: s for s in load_config(args.config)} if args.config else sites_from_last_run(store)
        settings = newsrake_settings()
        outcomes = reclean(store, sites, site=args.site, threshold=settings.getfloat("NEWSRAKE_NEAR_THRESHOLD"),
                           timeout=settings.getfloat("NEWSRAKE_EXTRACT_TIMEOUT"))
    finally:
        store.close()
        lock.release(args.db)
    total = sum(outcomes.values())
    kept = outcomes["no_text"] + outcomes["failed"] + outcomes["timeout"] + outcomes["no_page"]
    print(f"re-cleaned {total} articles: {outcomes['updated']} changed, {outcomes['duplicate']} now duplicates, "
          f"{outcomes['unchanged']} unchanged, {kept} kept as they were (no text left {outcomes['no_text']}, "
          f"extraction failed {outcomes['failed']}, timed out {outcomes['timeout']}, no stored page "
          f"{outcomes['no_page']})")
    return 0


def cmd_extract(args) -> int:
    from pipeline.preview import inspect_inputs

    for result in inspect_inputs(args.inputs, url=args.url, config=args.config, site=args.site):
        if args.json:
            print(json.dumps(result, ensure_ascii=False))
        else:
            print(f"== {result['input']}\ntitle: {result['title']}\npublished_at: {result['published_at']}\n")
            print(result["text"])
            print(f"\n-- removed ({len(result['removed'])}):")
            for r in result["removed"]:
                print(f"[{r['cleaner']}] {r['reason']}: {r['text'][:120]!r}")
    return 0


def cmd_dedup_report(args) -> int:
    from pipeline.crawl import newsrake_settings
    from pipeline.dedup import LSHIndex
    from pipeline.dedup.report import dedup_report

    conn = _readonly(args.db)
    threshold = newsrake_settings().getfloat("NEWSRAKE_NEAR_THRESHOLD")
    report = dedup_report(conn, limit=args.limit, index=LSHIndex(conn, threshold=threshold))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for section, rows in report.items():
        print(f"\n{section.replace('_', ' ').capitalize()}")
        print(tabulate([list(r.values()) for r in rows], headers=list(rows[0]) if rows else []) if rows else "(none)")
    return 0


# -- argument parsing -----------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsrake", description="Nightly news crawling, cleaning and dedup into SQLite.")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p):
        p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite database (default {DEFAULT_DB})")
        return p

    p = with_db(sub.add_parser("crawl", help="crawl the sites in a config into the database"))
    p.add_argument("config", help="site config (TOML)")
    p.add_argument("-s", "--set", action="append", type=_setting, metavar="NAME=VALUE",
                   help="override a Scrapy/newsrake setting")
    p.add_argument("-v", "--verbose", action="store_true", help="Scrapy's INFO log on stderr")
    p.set_defaults(func=cmd_crawl)

    p = with_db(sub.add_parser("export", help="export articles as CSV or JSON Lines"))
    p.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    p.add_argument("-o", "--output", help="output file (default: stdout)")
    p.add_argument("--since", type=_date, help="published (or fetched, if undated) on or after DATE")
    p.add_argument("--until", type=_date, help="published (or fetched, if undated) on or before DATE")
    p.add_argument("--site", help="only this site")
    p.add_argument("--include-duplicates", action="store_true", help="also a row for every duplicate URL")
    p.add_argument("--bom", action="store_true", help="UTF-8 with BOM, for Excel")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.set_defaults(func=cmd_export)

    p = with_db(sub.add_parser("query", help="run read-only SQL"))
    p.add_argument("sql")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true")
    fmt.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_query)

    p = with_db(sub.add_parser("stats", help="per-run and per-site counts"))
    p.add_argument("--runs", type=int, default=10, help="how many recent runs to show")
    p.set_defaults(func=cmd_stats)

    p = with_db(sub.add_parser("reclean", help="re-run extraction, cleaning and dedup on stored HTML"))
    p.add_argument("--site", help="only this site")
    p.add_argument("--config", help="site config with the rules to use (default: the last crawl's)")
    p.set_defaults(func=cmd_reclean)

    p = sub.add_parser("extract", help="extract and clean saved HTML files or a URL, without storing")
    p.add_argument("inputs", nargs="+", metavar="FILE_OR_URL")
    p.add_argument("--url", help="the URL a saved file was fetched from (for links and site rules)")
    p.add_argument("--config", help="site config whose rules to apply")
    p.add_argument("--site", help="site in --config whose rules to apply (default: matched by host)")
    p.add_argument("--json", action="store_true", help="one JSON object per input line")
    p.set_defaults(func=cmd_extract)

    p = with_db(sub.add_parser("dedup-report", help="largest duplicate clusters, duplicate share per site, "
                                                    "near misses to review"))
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_dedup_report)
    return parser


def main(argv=None) -> int:
    from pipeline.export import ExportError
    from pipeline.lock import LockedError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ConfigError, UsageError, ExportError, StoreError) as exc:
        print(f"newsrake: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except LockedError as exc:
        print(f"newsrake: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
