"""Schema migrations: new, empty and older databases come out at the current schema with their data."""

from __future__ import annotations

import sqlite3

import pytest

from pipeline.dedup import Deduplicator
from pipeline.store import SCHEMA_VERSION, Store
from pipeline.store import schema as store_mod
from tests.helpers import make_db


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
    conn.execute("INSERT INTO lsh_signatures VALUES (1, ?)", (bytes(512),))
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    store = Store(db)
    assert store.conn.execute("SELECT num_perm, shingle, seed, bands, rows FROM lsh_params").fetchall() == [
        (128, 5, 1, 16, 8)]
    assert not Deduplicator(store, 0.8).index.needs_rebuild()  # the default threshold derives the same banding
    store.close()
