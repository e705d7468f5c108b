"""Migration 3: a database of version 2 gets the ``session_params`` table and keeps its data."""

from __future__ import annotations

import sqlite3

from pipeline.store import Store
from pipeline.store import schema as store_mod
from tests.helpers import drop_search_index, make_db


def test_a_version_2_database_gets_the_session_params_table(tmp_path):
    db = tmp_path / "news.db"
    make_db(db)
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE session_params")  # what migration 3 adds
    conn.execute("DROP TABLE site_runs")  # what migration 4 adds
    conn.execute("ALTER TABLE runs DROP COLUMN kind")
    drop_search_index(conn)  # what migration 6 adds
    conn.execute("ALTER TABLE articles DROP COLUMN date_source")  # what migration 5 adds
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    s = Store(db)
    try:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == store_mod.SCHEMA_VERSION >= 3
        assert s.session_params() == {}
        assert s.conn.execute("SELECT count(*) FROM articles").fetchone() == (3,)
        s.add_session_param("example", "sid", 1, ["http://e/a?sid=1", "http://e/a?sid=2"])
        assert s.session_params() == {"example": {"sid"}}
    finally:
        s.close()
