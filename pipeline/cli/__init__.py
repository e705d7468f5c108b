"""The ``newsrake`` command line: thin commands over the packages of ``pipeline``.

crawl, reclean (:mod:`.crawl`); export, query, search, stats, dedup-report
(:mod:`.archive`); serve (:mod:`.serve`); extract (:mod:`.extract`); check, init (:mod:`.check`); one output-format option and
the checked stdout (:mod:`.output`); ``-s`` checked against the known settings
(:mod:`.overrides`). See docs/architecture.md for where to add a command.

Exit codes (the README's table): 0 success (for a crawl: completed, every
site healthy); 1 the database is locked by another run; 2 bad input (config,
arguments, ``-s`` settings, input files, unusable or damaged database, SQL that
writes, a query over its time limit, a stdout that cannot be written); 3 a
crawl completed but a site's health is flagged (``--ok-on-flags``: 0), or
``check`` warned about a site; 4 what
was fetched could not be stored (disk full, I/O error, database damaged, file
replaced or deleted during the run: the run is marked failed); 130 the crawl
was stopped by a signal.
Relative paths are relative to where the command is run.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date

from pipeline.cli.archive import UsageError, cmd_dedup_report, cmd_export, cmd_query, cmd_search, cmd_stats
from pipeline.cli.check import cmd_check, cmd_init
from pipeline.cli.crawl import EXIT_STORAGE_FAILED, cmd_crawl, cmd_reclean, cmd_worker
from pipeline.cli.extract import cmd_extract
from pipeline.cli.output import OutputError, checked_stdout, discard_stdout, output_options
from pipeline.cli.overrides import setting
from pipeline.cli.serve import cmd_serve
from pipeline.core.config import ConfigError
from pipeline.crawl.logs import LogFileError, print_logged
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


def _port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, got {value!r}")
    return int(value)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds >= 0, got {value!r}")
    return seconds


def _version() -> str:
    """The installed package's version (a checkout run without installing has none)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsrake")
    except PackageNotFoundError:
        return "(not installed)"


# -- argument parsing -----------------------------------------------------------

class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """argparse's ``(default: ...)`` after an option's help, unless the help says it already (an option
    without a default says what happens without it); not for flags, which are off unless given."""

    def _get_help_string(self, action):
        if action.nargs == 0 or action.default is None or "default" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


class _Parser(argparse.ArgumentParser):
    """The parser of newsrake and of each subcommand (add_subparsers makes them of this class)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{"formatter_class": _HelpFormatter, **kwargs})


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newsrake", description="Nightly news crawling, cleaning and dedup into SQLite.")
    parser.add_argument("--version", action="version", version=f"newsrake {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p):
        p.add_argument("--db", default=DEFAULT_DB, metavar="PATH", help="SQLite database")
        return p

    def with_log_file(p):
        p.add_argument("--log-file", metavar="PATH",
                       help="append the log (timestamped progress, one line per failure, the summary) to PATH "
                            "instead of stderr; its directory must exist (Scrapy's LOG_FILE; default: stderr)")
        return p

    def with_settings(p):
        p.add_argument("-s", "--set", action="append", type=setting, metavar="NAME=VALUE",
                       help="override a Scrapy/newsrake setting (known names only, checked against its type); "
                            "repeatable (default: pipeline/crawl/settings.py)")
        return p

    p = sub.add_parser("crawl", help="crawl the sites in a config into the database")
    p = with_log_file(with_settings(with_db(p)))
    p.add_argument("config", help="site config (TOML)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="Scrapy's INFO log too, and tracebacks (on stderr, or in --log-file)")
    p.add_argument("--ok-on-flags", action="store_true",
                   help="exit 0, not 3, when the run completed but a site's health is flagged (only failures count)")
    p.add_argument("--redis", metavar="URL",
                   help="crawl with workers sharing a frontier in this Redis (redis://host:6379/0): this process "
                        "is the coordinator and the one writer (default: a local crawl)")
    p.add_argument("--workers", type=_count, metavar="N",
                   help="with --redis: worker processes started on this machine; 0 when they run elsewhere "
                        "(default: 1)")
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("worker", help="fetch and extract for the coordinator of a distributed crawl (--redis)")
    p = with_log_file(with_settings(p))
    p.add_argument("config", help="site config (TOML): the coordinator's own")
    p.add_argument("--redis", metavar="URL", required=True, help="the coordinator's Redis (redis://host:6379/0); required, no default")
    p.add_argument("-v", "--verbose", action="store_true", help="Scrapy's INFO log too, and tracebacks")
    p.set_defaults(func=cmd_worker)

    p = with_db(sub.add_parser("export", help="export articles as CSV or JSON Lines"))
    p.add_argument("--format", choices=["csv", "jsonl"], default="csv", help="CSV or JSON Lines")
    p.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    p.add_argument("--since", type=_date, metavar="YYYY-MM-DD",
                   help="published (or fetched, if undated) on or after this day (default: no lower bound)")
    p.add_argument("--until", type=_date, metavar="YYYY-MM-DD",
                   help="published (or fetched, if undated) on or before this day, not before --since "
                        "(default: no upper bound)")
    p.add_argument("--site", metavar="NAME", help="only this site (default: every site)")
    p.add_argument("--include-duplicates", action="store_true", help="also a row for every duplicate URL")
    p.add_argument("--bom", action="store_true", help="UTF-8 with BOM, for Excel")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.set_defaults(func=cmd_export)

    p = with_db(sub.add_parser("query", help="run read-only SQL"))
    p.add_argument("sql", help="one SQL statement; read-only: a statement that would write is refused")
    p.add_argument("--max-rows", type=_count, default=100_000, metavar="N",
                   help="print at most N rows, and say so on stderr when more were cut (0 = all)")
    p.add_argument("--timeout", type=_seconds, default=60.0, metavar="SECONDS",
                   help="stop the query after SECONDS (0 = no limit)")
    output_options(p)
    p.set_defaults(func=cmd_query)

    p = with_db(sub.add_parser("search", help="find articles by words, Chinese of any length or English"))
    p.add_argument("query", help="words that must all occur (Chinese words of one character or more, "
                                 "English words as whole words)")
    p.add_argument("--site", metavar="NAME", help="only this site (default: every site)")
    p.add_argument("--since", type=_date, metavar="YYYY-MM-DD",
                   help="published (or fetched, if undated) on or after this day (default: no lower bound)")
    p.add_argument("--limit", type=_count, default=20, metavar="N", help="print the N best matches (0 = all)")
    output_options(p)
    p.set_defaults(func=cmd_search)

    p = with_db(sub.add_parser("serve", help="browse the archive in a browser (Datasette, read-only)"))
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback: this machine only)")
    p.add_argument("--port", type=_port, default=8001, metavar="N", help="port to listen on")
    p.set_defaults(func=cmd_serve)

    p = with_db(sub.add_parser("stats", help="recent runs, per-site counts and health flags"))
    p.add_argument("--runs", type=_count, default=10, metavar="N", help="how many recent runs to show")
    p.add_argument("--site", metavar="NAME", help="only this site (default: every site)")
    p.add_argument("--history", action="store_true",
                   help="with --site: one line per recent run of that site, with its figures and flags")
    output_options(p, csv=False, json_help="one JSON document: the recent runs, newest first, with every site's "
                                           "figures and flags")
    p.set_defaults(func=cmd_stats)

    p = with_log_file(with_db(sub.add_parser("reclean", help="re-run extraction, cleaning and dedup on stored HTML")))
    p.add_argument("--site", metavar="NAME", help="only this site's articles (default: every site)")
    p.add_argument("--config", metavar="FILE", help="site config with the rules to use (default: the last crawl's)")
    p.set_defaults(func=cmd_reclean)

    p = with_settings(sub.add_parser("extract", help="extract and clean saved HTML files or a URL, without storing"))
    p.add_argument("inputs", nargs="+", metavar="FILE_OR_URL", help="saved HTML files and http(s) URLs to fetch")
    p.add_argument("--url", help="the URL a saved file was fetched from, for links and site rules "
                                 "(default: the file's file: URL)")
    p.add_argument("--config", metavar="FILE", help="site config whose rules to apply (default: none, plain rules)")
    p.add_argument("--site", metavar="NAME", help="site in --config whose rules to apply (default: matched by host)")
    output_options(p, csv=False, json_help="one JSON object per input line")
    p.set_defaults(func=cmd_extract)

    p = with_settings(sub.add_parser("check", help="try a site before adding it: the links its pages give, "
                                                   "a few sample articles, warnings; writes nothing"))
    p.add_argument("config", help="site config (TOML)")
    p.add_argument("--site", metavar="NAME", help="only this site (default: every site of the config)")
    p.add_argument("--limit", type=_count, default=3, metavar="N", help="sample articles extracted per site")
    p.add_argument("--links", type=_count, default=10, metavar="N",
                   help="links listed per page and rule (0 = all)")
    p.add_argument("-v", "--verbose", action="store_true", help="Scrapy's INFO log too, on stderr")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("init", help="write a commented site config to start from")
    p.add_argument("path", nargs="?", default="sites.toml", metavar="PATH", help="the file to write")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=cmd_init)

    p = with_db(sub.add_parser("dedup-report", help="largest duplicate clusters, duplicate share per site, "
                                                    "near misses to review"))
    p.add_argument("--limit", type=_count, default=10, metavar="N",
                   help="how many clusters and near misses to list")
    output_options(p, csv=False)
    p.set_defaults(func=cmd_dedup_report)
    return parser


def _error(exc: Exception) -> None:
    """The one line of an error that ends the command: on stderr, and in the log file of a crawl or reclean."""
    print_logged(f"newsrake: error: {exc}", sys.stderr, logging.ERROR)


def main(argv=None) -> int:
    from pipeline.store.export import ExportError
    from pipeline.distributed.errors import FleetBusy, FleetError
    from pipeline.store.lock import LockedError

    args = build_parser().parse_args(argv)
    try:
        with checked_stdout():
            return args.func(args)
    except (ConfigError, UsageError, ExportError, StoreError, LogFileError, FleetError) as exc:
        _error(exc)
        return EXIT_BAD_INPUT
    except OutputError as exc:
        discard_stdout()
        _error(exc)
        return EXIT_BAD_INPUT
    except (LockedError, FleetBusy) as exc:
        _error(exc)
        return EXIT_FAILED
    except StorageFailure as exc:
        _error(exc)
        return EXIT_STORAGE_FAILED
    except BrokenPipeError:
        discard_stdout()
        return 0

