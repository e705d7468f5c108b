"""The figures of one site in one run: a row of ``site_runs``.

Some are counted by the crawl (requests, pages and links read, errors and skips
by kind: :func:`from_counters`), the rest are what the database holds for the
run (articles stored and updated, duplicates by kind, and over the articles
whose text the run wrote: median clean-text length, share of text the cleaners
removed, shares with a date and with an author: ``queries.article_figures``).
None (NULL) is unknown: the runs of earlier releases did not count everything.
"""

from __future__ import annotations

import json

from pipeline.core import counters
from pipeline.core.kinds import ErrorKind

# Counted per site since schema version 4: unknown (None) in the runs of earlier releases.
LINK_COUNTERS = ("requests", "list_pages", "article_links", "new_links", "known_links")
# Over the articles whose text the run wrote (queries.article_figures); None when it wrote none.
TEXT_FIGURES = ("median_text_len", "removed_share", "dated_share", "author_share")
# The columns holding JSON: {kind: n} dicts, and the list of flags (pipeline/store/health.py).
JSON_FIGURES = ("duplicates_by_kind", "errors_by_kind", "skips_by_kind", "flags")


def from_counters(site_counters: dict, *, links_counted: bool = True) -> dict:
    """The figures of a site's crawl counters (``fetched``, ``errors/<kind>``, skips, ...)."""
    errors = counters.errors_of(site_counters)
    return {**{name: site_counters.get(name, 0 if links_counted else None) for name in LINK_COUNTERS},
            "pages_fetched": site_counters.get("fetched", 0),
            "errors": sum(errors.values()), "errors_by_kind": dict(sorted(errors.items())),
            "skips_by_kind": dict(sorted(counters.skips_of(site_counters).items())),
            "extract_failures": errors.get(ErrorKind.EXTRACT_FAILED, 0),
            "extract_timeouts": errors.get(ErrorKind.EXTRACT_TIMEOUT, 0)}


def no_articles(duplicates_by_kind: dict | None) -> dict:
    """The article figures of a site the run wrote no article text for (``duplicates_by_kind`` None: unknown)."""
    return {**dict.fromkeys(TEXT_FIGURES), "duplicates_by_kind": duplicates_by_kind}


def encoded(row: dict) -> dict:
    """``row`` as stored: its JSON figures as text (None stays NULL)."""
    return {k: json.dumps(v, sort_keys=True) if k in JSON_FIGURES and v is not None else v for k, v in row.items()}


def decoded(row: dict) -> dict:
    """A stored row with its JSON figures read back."""
    return {k: json.loads(v) if k in JSON_FIGURES and v is not None else v for k, v in row.items()}
