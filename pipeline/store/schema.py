"""The whole schema of a newsrake database, as numbered migrations.

``PRAGMA user_version`` holds the number of the last migration applied.
(Kept over sqlite-utils' ``Migrations``, which records names in a table of its
own: one integer lets a database from a newer newsrake be refused before
anything is written, and lets the databases of earlier releases migrate as they are.)
"""

from __future__ import annotations

import json
import sys

import sqlite_utils

from pipeline.store import figures, search

SCHEMA_VERSION = 8


def _create_v1(db: sqlite_utils.Database) -> None:
    db["runs"].create({
        "id": int, "started_at": str, "finished_at": str, "status": str, "config_path": str,
        "config": str, "pages_fetched": int, "articles_stored": int, "articles_updated": int,
        "duplicates": int, "errors": int, "errors_by_kind": str, "stats": str,
    }, pk="id")
    db["articles"].create({
        "id": int, "url": str, "canonical_url": str, "site": str, "title": str, "author": str,
        "published_at": str, "fetched_at": str, "lang": str, "text": str, "content_hash": str,
        "run_id": int, "editor": str, "source": str, "original_title": str, "updated_at": str,
    }, pk="id", not_null={"url", "site", "text", "content_hash", "fetched_at"},
        foreign_keys=[("run_id", "runs", "id")])
    db["articles"].create_index(["url"], unique=True)
    for column in ("canonical_url", "content_hash", "site", "published_at"):
        db["articles"].create_index([column])
    db["duplicates"].create({
        "id": int, "url": str, "site": str, "article_id": int, "kind": str, "similarity": float,
        "title": str, "fetched_at": str, "run_id": int,
    }, pk="id", not_null={"url", "site", "article_id", "kind"},
        foreign_keys=[("article_id", "articles", "id"), ("run_id", "runs", "id")])
    db["duplicates"].create_index(["url"], unique=True)
    db["duplicates"].create_index(["article_id"])
    db["pages"].create({
        "url": str, "site": str, "fetched_at": str, "content_type": str, "html_zlib": bytes,
        "date_hint": str,
    }, pk="url")
    db["removals"].create({
        "id": int, "article_id": int, "cleaner": str, "reason": str, "text": str,
    }, pk="id", foreign_keys=[("article_id", "articles", "id")])
    db["removals"].create_index(["article_id"])
    db["article_history"].create({
        "id": int, "article_id": int, "title": str, "text": str, "content_hash": str,
        "replaced_at": str, "run_id": int,
    }, pk="id", foreign_keys=[("article_id", "articles", "id")])
    db["article_history"].create_index(["article_id"])
    db["articles"].enable_fts(["title", "text"], tokenize="trigram", create_triggers=True)


def _lsh_index_v2(db: sqlite_utils.Database) -> None:
    """The near-duplicate index (see pipeline/dedup/lsh.py) and the parameters it was built with.

    Databases of release 1 created the two index tables on first use, with
    128 permutations, 5-token shingles, seed 1 and 16 bands x 8 rows.
    """
    if not db["lsh_bands"].exists():
        db.execute("CREATE TABLE lsh_bands (band_key INTEGER NOT NULL, article_id INTEGER NOT NULL,"
                   " PRIMARY KEY (band_key, article_id)) WITHOUT ROWID")
    if not db["lsh_signatures"].exists():
        db["lsh_signatures"].create({"article_id": int, "sig": bytes}, pk="article_id", not_null={"sig"})
    db["lsh_params"].create({"id": int, "num_perm": int, "shingle": int, "seed": int, "bands": int, "rows": int},
                            pk="id")
    if db["lsh_signatures"].count:
        db["lsh_params"].insert({"id": 1, "num_perm": 128, "shingle": 5, "seed": 1, "bands": 16, "rows": 8})


def _session_params_v3(db: sqlite_utils.Database) -> None:
    """The per-visit query parameters (session IDs) learnt per site, dropped from its URLs from then on
    (see pipeline/dedup/session_params.py); ``examples`` is a JSON list of the URL pairs that proved it."""
    db["session_params"].create({"site": str, "param": str, "run_id": int, "found_at": str, "examples": str},
                                pk=("site", "param"), foreign_keys=[("run_id", "runs", "id")])


def _site_runs_v4(db: sqlite_utils.Database) -> None:
    """The kind of each run (``crawl`` or ``reclean``) and the figures of every site in every run
    (see pipeline/store/figures.py). Past runs get rows from the per-site counters of ``runs.stats``;
    what those did not count is NULL, and so are their flags (never assessed)."""
    db["runs"].add_column("kind", str)
    db.execute("UPDATE runs SET kind = CASE config_path WHEN 'reclean' THEN 'reclean' ELSE 'crawl' END")
    db["site_runs"].create({
        "run_id": int, "site": str, "requests": int, "pages_fetched": int, "list_pages": int,
        "article_links": int, "new_links": int, "known_links": int, "stored": int, "updated": int,
        "duplicates": int, "duplicates_by_kind": str, "errors": int, "errors_by_kind": str, "skips_by_kind": str,
        "median_text_len": int, "removed_share": float, "dated_share": float, "author_share": float,
        "extract_failures": int, "extract_timeouts": int, "flags": str,
    }, pk=("run_id", "site"), foreign_keys=[("run_id", "runs", "id")])
    for run_id, stats in db.execute("SELECT id, stats FROM runs WHERE stats IS NOT NULL").fetchall():
        sites = json.loads(stats).get("sites", {})
        db["site_runs"].insert_all(figures.encoded({
            "run_id": run_id, "site": site, **figures.from_counters(c, links_counted=False),
            **{name: c.get(name) for name in ("stored", "updated", "duplicates")}}) for site, c in sites.items())


def _date_source_v5(db: sqlite_utils.Database) -> None:
    """How each article's ``published_at`` was found (``articles.date_source``, see cleaners/dates.py
    SOURCES); NULL for the articles stored before, until a ``reclean``."""
    db["articles"].add_column("date_source", str)


def _bigram_search_v6(db: sqlite_utils.Database) -> None:
    """The search index of any length (``articles_bigram``, see pipeline/store/search.py), built once over
    the stored articles, with progress on stderr for a large archive (the migration runs before any log is set up)."""
    search.create_index(db.conn, _print_progress if db["articles"].count >= PROGRESS_FROM else None)


def _run_indexes_v7(db: sqlite_utils.Database) -> None:
    """Indexes on the ``run_id`` of articles, duplicates and article_history: what a run stored, updated and
    recorded is read back at its end (``Store.run_counts``, the site figures), which scanned the whole archive."""
    for table in ("articles", "duplicates", "article_history"):
        db[table].create_index(["run_id"], if_not_exists=True)


FTS_AUTOMERGE = 16  # segments of a level that start a merge into the next (FTS5's default: 4)
FTS_CRISISMERGE = 32  # segments of a level that force its merge in one go (the default, 16, would at every merge)


def _search_merges_v8(db: sqlite_utils.Database) -> None:
    """Both search indexes merge their segments 16 at a time instead of FTS5's default 4.

    FTS5 writes each transaction's articles as a new segment and merges segments level by level, so a
    posting is rewritten once per level; with 4 segments to a level an archive of 1,000,000 articles has
    about twice the levels it has with 16. Measured (docs/benchmarks.md, "the thousandth night"): an
    article's insert into that archive took 7.2 ms with 4 and 1.8 ms with 16 (1.7 ms in a new database);
    the price is queries reading more segments: at 100,000 articles up to 60 % (a few ms) slower."""
    for table in ("articles_fts", "articles_bigram"):
        db.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', ?)", [FTS_AUTOMERGE])
        db.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('crisismerge', ?)", [FTS_CRISISMERGE])


PROGRESS_FROM = 50_000  # articles: below this the index builds in seconds, silently


def _print_progress(done: int, total: int) -> None:
    print(f"newsrake: building the search index: {done}/{total} articles", file=sys.stderr, flush=True)


# version -> function bringing the schema from version-1 to version
MIGRATIONS = {1: _create_v1, 2: _lsh_index_v2, 3: _session_params_v3, 4: _site_runs_v4, 5: _date_source_v5,
              6: _bigram_search_v6, 7: _run_indexes_v7, 8: _search_merges_v8}
