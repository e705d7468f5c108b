"""Schema migrations: new, empty and older databases come out at the current schema with their data."""

from __future__ import annotations

import sqlite3

import pytest

from pipeline.dedup import Deduplicator
from pipeline.store import SCHEMA_VERSION, Store
from pipeline.store import schema as store_mod
from tests.helpers import drop_search_index, make_db


def add_migration(monkeypatch, migration) -> None:
    """Pretend the next release adds ``migration``."""
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(store_mod.MIGRATIONS, SCHEMA_VERSION + 1, migration)


def test_new_and_empty_databases_get_the_current_schema(tmp_path):
    (tmp_path / "empty.db").write_bytes(b"")  # an empty file is an empty SQLite database (version 0)
    for name in ("new.db", "empty.db"):
        s = Store(tmp_path / name)
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert {"articles", "runs", "duplicates"} <= set(s.db.table_names())
        s.close()


def test_an_older_database_is_migrated_and_keeps_its_data(tmp_path, monkeypatch):
    db = tmp_path / "news.db"
    make_db(db)

    def add_column(database):
        database["articles"].add_column("section", str)

    add_migration(monkeypatch, add_column)
    s = Store(db)
    assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert "section" in {c.name for c in s.db["articles"].columns}
    assert s.conn.execute("SELECT count(*) FROM articles").fetchone() == (3,)
    assert s.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    s.close()


def test_a_failing_migration_changes_nothing(tmp_path, monkeypatch):
    db = tmp_path / "news.db"
    make_db(db)

    def half_done(database):
        database["articles"].add_column("section", str)
        raise RuntimeError("migration bug")

    add_migration(monkeypatch, half_done)
    with pytest.raises(RuntimeError, match="migration bug"):
        Store(db)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert "section" not in {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    assert conn.execute("SELECT count(*) FROM articles").fetchone() == (3,)
    conn.close()


def test_a_release_1_database_keeps_its_near_duplicate_index(tmp_path):
    """Release 1 created the index tables on first use, with 16 x 8 bands: they are adopted, with those parameters."""
    db = tmp_path / "news.db"
    make_db(db)
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE lsh_params")  # what migration 2 adds; release 1 had the other two tables
    conn.execute("DROP TABLE session_params")  # what migration 3 adds
    conn.execute("DROP TABLE site_runs")  # what migration 4 adds
    conn.execute("ALTER TABLE runs DROP COLUMN kind")
    conn.execute("ALTER TABLE articles DROP COLUMN date_source")  # what migration 5 adds
    drop_search_index(conn)  # what migration 6 adds
    conn.execute("INSERT INTO lsh_signatures VALUES (1, ?)", (bytes(512),))
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    store = Store(db)
    assert store.conn.execute("SELECT num_perm, shingle, seed, bands, rows FROM lsh_params").fetchall() == [
        (128, 5, 1, 16, 8)]
    assert not Deduplicator(store, 0.8).index.needs_rebuild()  # the default threshold derives the same banding
    store.close()


def test_a_version_3_database_gets_site_runs_from_its_runs_stats(tmp_path):
    """Migration 4: run kinds, and a site_runs row per site of every past run, NULL where runs.stats has no figure."""
    import json

    import sqlite_utils

    db = sqlite_utils.Database(tmp_path / "news.db")
    for version in (1, 2, 3):
        store_mod.MIGRATIONS[version](db)
    db.execute("PRAGMA user_version = 3")
    sites = {"zh-agg": {"fetched": 13, "stored": 9, "updated": 0, "duplicates": 1, "errors/http_404": 2,
                        "over_budget": 3}}
    db["runs"].insert_all([
        {"id": 1, "status": "completed", "config_path": "sites.toml", "stats": json.dumps({"sites": sites})},
        {"id": 2, "status": "completed", "config_path": "reclean", "stats": json.dumps({"updated": 0, "sites": {}})},
        {"id": 3, "status": "interrupted", "config_path": "sites.toml"}])
    db.conn.close()
    store = Store(tmp_path / "news.db")
    assert store.conn.execute("SELECT id, kind FROM runs ORDER BY id").fetchall() == [
        (1, "crawl"), (2, "reclean"), (3, "crawl")]
    (row,) = store.db["site_runs"].rows
    assert row["run_id"] == 1 and row["site"] == "zh-agg"
    assert (row["pages_fetched"], row["stored"], row["duplicates"], row["errors"]) == (13, 9, 1, 2)
    assert json.loads(row["errors_by_kind"]) == {"http_404": 2}
    assert json.loads(row["skips_by_kind"]) == {"over_budget": 3}
    assert (row["requests"], row["article_links"], row["new_links"], row["median_text_len"], row["flags"]) == (
        None, None, None, None, None)
    store.close()


def test_a_version_4_database_gets_the_date_source_column_null_for_its_articles(tmp_path):
    """Migration 5: ``articles.date_source``, NULL for the articles stored before it."""
    db = tmp_path / "news.db"
    make_db(db)
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE articles DROP COLUMN date_source")  # what migration 5 adds
    drop_search_index(conn)  # what migration 6 adds
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    store = Store(db)
    try:
        assert store.conn.execute("SELECT published_at, date_source FROM articles").fetchall() == [
            ("2024-05-01", None)] * 3
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        store.close()


def _merge_settings(conn) -> list:
    return [conn.execute(f"SELECT k, v FROM {table}_config WHERE k IN ('automerge', 'crisismerge') ORDER BY k")
            .fetchall() for table in ("articles_fts", "articles_bigram")]


def test_a_version_7_database_merges_its_search_indexes_16_segments_at_a_time(tmp_path):
    """Migration 8: FTS5's automerge 16 (and crisismerge 32) on both search indexes, for new databases too;
    the indexes stay whole and keep finding what they found."""
    new = Store(tmp_path / "new.db")
    assert _merge_settings(new.conn) == [[("automerge", 16), ("crisismerge", 32)]] * 2
    new.close()
    db = tmp_path / "news.db"
    make_db(db)
    conn = sqlite3.connect(db)
    for table in ("articles_fts", "articles_bigram"):  # a version 7 database has FTS5's defaults
        conn.execute(f"DELETE FROM {table}_config WHERE k IN ('automerge', 'crisismerge')")
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    store = Store(db)
    try:
        assert _merge_settings(store.conn) == [[("automerge", 16), ("crisismerge", 32)]] * 2
        for table in ("articles_fts", "articles_bigram"):
            store.conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
        assert store.conn.execute("SELECT count(*) FROM articles_bigram WHERE articles_bigram MATCH"
                                  " newsrake_match('text')").fetchone() == (3,)
    finally:
        store.close()
