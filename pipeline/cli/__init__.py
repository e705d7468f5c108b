"""The ``newsrake`` command line: thin commands over the packages of ``pipeline``.

crawl, reclean (:mod:`.crawl`); export, query, stats, dedup-report
(:mod:`.archive`); extract (:mod:`.extract`); one output-format option and
the checked stdout (:mod:`.output`); ``-s`` checked against the known settings
(:mod:`.overrides`). See docs/architecture.md for where to add a command.

Exit codes: 0 success; 1 the database is locked by another run; 2 bad input
(config, arguments, ``-s`` settings, input files, unusable or damaged database,
SQL that writes, a query over its time limit, a stdout that cannot be written); 4 what was
fetched could not be stored (disk full, I/O error, database damaged, file
replaced or deleted during the run: the run is marked failed); 130 the crawl
was stopped by a signal.
Relative paths are relative to where the command is run.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from pipeline.cli.archive import UsageError, cmd_dedup_report, cmd_export, cmd_query, cmd_stats
from pipeline.cli.crawl import EXIT_STORAGE_FAILED, cmd_crawl, cmd_reclean
from pipeline.cli.extract import cmd_extract
from pipeline.cli.output import OutputError, checked_stdout, discard_stdout, output_options
from pipeline.cli.overrides import setting
from pipeline.core.config import ConfigError
from pipeline.store import StorageFailure, StoreError

DEFAULT_DB = "data/news.db"
EXIT_FAILED, EXIT_BAD_INPUT = 1, 2


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {value!r} (expected YYYY-MM-DD)") from None


def _count(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {value!r}")
    return int(value)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds >= 0, got {value!r}")
    return seconds


# -- argument parsing -----------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsrake", description="Nightly news crawling, cleaning and dedup into SQLite.")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p):
        p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite database (default {DEFAULT_DB})")
        return p

    def with_settings(p):
        p.add_argument("-s", "--set", action="append", type=setting, metavar="NAME=VALUE",
                       help="override a Scrapy/newsrake setting (known names only, checked against its type)")
        return p

    p = with_settings(with_db(sub.add_parser("crawl", help="crawl the sites in a config into the database")))
    p.add_argument("config", help="site config (TOML)")
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
    p.add_argument("--max-rows", type=_count, default=100_000, metavar="N",
                   help="print at most N rows, and say so on stderr when more were cut (default 100000; 0 = all)")
    p.add_argument("--timeout", type=_seconds, default=60.0, metavar="SECONDS",
                   help="stop the query after SECONDS (default 60; 0 = no limit)")
    output_options(p)
    p.set_defaults(func=cmd_query)

    p = with_db(sub.add_parser("stats", help="per-run and per-site counts"))
    p.add_argument("--runs", type=int, default=10, help="how many recent runs to show")
    p.set_defaults(func=cmd_stats)

    p = with_db(sub.add_parser("reclean", help="re-run extraction, cleaning and dedup on stored HTML"))
    p.add_argument("--site", help="only this site")
    p.add_argument("--config", help="site config with the rules to use (default: the last crawl's)")
    p.set_defaults(func=cmd_reclean)

    p = with_settings(sub.add_parser("extract", help="extract and clean saved HTML files or a URL, without storing"))
    p.add_argument("inputs", nargs="+", metavar="FILE_OR_URL")
    p.add_argument("--url", help="the URL a saved file was fetched from (for links and site rules)")
    p.add_argument("--config", help="site config whose rules to apply")
    p.add_argument("--site", help="site in --config whose rules to apply (default: matched by host)")
    output_options(p, csv=False, json_help="one JSON object per input line")
    p.set_defaults(func=cmd_extract)

    p = with_db(sub.add_parser("dedup-report", help="largest duplicate clusters, duplicate share per site, "
                                                    "near misses to review"))
    p.add_argument("--limit", type=int, default=10)
    output_options(p, csv=False)
    p.set_defaults(func=cmd_dedup_report)
    return parser


def main(argv=None) -> int:
    from pipeline.store.export import ExportError
    from pipeline.store.lock import LockedError

    args = build_parser().parse_args(argv)
    try:
        with checked_stdout():
            return args.func(args)
    except (ConfigError, UsageError, ExportError, StoreError) as exc:
        print(f"newsrake: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OutputError as exc:
        discard_stdout()
        print(f"newsrake: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except LockedError as exc:
        print(f"newsrake: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except StorageFailure as exc:
        print(f"newsrake: error: {exc}", file=sys.stderr)
        return EXIT_STORAGE_FAILED
    except BrokenPipeError:
        discard_stdout()
        return 0

