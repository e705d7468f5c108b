"""The one output-format option of the commands that print rows: a table, ``--csv`` or ``--json``."""

from __future__ import annotations

import json
import sys

from tabulate import tabulate

from pipeline.store.export import write_csv


def output_options(parser, *, csv: bool = True, json_help: str = "JSON"):
    """Add ``--json`` (and ``--csv``) to a command's parser; the default is a table for people."""
    group = parser.add_mutually_exclusive_group()
    if csv:
        group.add_argument("--csv", dest="format", action="store_const", const="csv", help="CSV with a header row")
    group.add_argument("--json", dest="format", action="store_const", const="json", help=json_help)
    parser.set_defaults(format="table")
    return parser


def emit(fmt: str, cols: list[str], rows) -> None:
    """Print ``rows`` (sequences matching ``cols``) in the chosen format."""
    if fmt == "json":
        print(json.dumps([dict(zip(cols, r)) for r in rows], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        sys.stdout.reconfigure(newline="")
        write_csv(sys.stdout, cols, rows)
    else:
        print(tabulate(list(rows), headers=cols))


def table(rows, headers) -> str:
    return tabulate(rows, headers=headers)


def kinds_text(counts: dict) -> str:
    """``{"http_404": 2, "timeout": 1}`` as ``http_404 2, timeout 1``."""
    return ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
