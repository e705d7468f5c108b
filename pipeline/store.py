"""The SQLite database: schema, migrations, runs, and the row-level writes.

sqlite-utils builds the schema and the full-text index; the per-article writes
are plain SQL on one connection so that a crawl commits in batches (sqlite-utils
commits after every call). WAL mode keeps readers (``newsrake query``) working
while a crawl writes.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

SCHEMA_VERSION = 1


class StoreError(RuntimeError):
    """The database cannot be used: unreadable, not SQLite, or from a newer newsrake."""


def utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


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


MIGRATIONS = {1: _create_v1}  # version -> function bringing the schema from version-1 to version


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open the database; read-only opens fail rather than create a file."""
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a database file")
    try:
        if readonly:
            if not path.exists():
                raise StoreError(f"{path}: no such database")
            conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True, isolation_level=None)
        else:
            if not path.parent.is_dir():
                raise StoreError(f"{path}: directory {path.parent} does not exist")
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open database: {exc}") from None
    try:
        conn.execute("PRAGMA schema_version").fetchone()
        if not readonly:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path}: not a usable SQLite database: {exc}") from None
    return conn


def _check_version(version: int, path) -> None:
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path}: schema version {version} is newer than this newsrake "
                         f"understands ({SCHEMA_VERSION}); upgrade newsrake")


def check_database(path: str | Path) -> None:
    """Raise StoreError if ``path`` cannot be opened as a newsrake database; writes nothing.

    Run before taking the lock and opening for writing, so that a bad --db leaves no lock
    file behind and a database from a newer newsrake is not even switched to WAL mode.
    """
    path = Path(path)
    if not path.exists() and not path.is_dir():
        if not path.parent.is_dir():
            raise StoreError(f"{path}: directory {path.parent} does not exist")
        return
    conn = connect(path, readonly=True)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a usable SQLite database: {exc}") from None
    finally:
        conn.close()
    _check_version(version, path)


def migrate(conn: sqlite3.Connection, path) -> None:
    """Bring the schema to SCHEMA_VERSION; refuse databases from a newer newsrake."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    _check_version(version, path)
    db = sqlite_utils.Database(conn)
    for target in range(version + 1, SCHEMA_VERSION + 1):
        with conn:
            conn.execute("BEGIN")
            MIGRATIONS[target](db)
            conn.execute(f"PRAGMA user_version = {target}")


class Store:
    """One writable newsrake database."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.conn = connect(self.path)
        try:
            migrate(self.conn, self.path)
        except Exception:
            self.conn.close()
            raise
        self.db = sqlite_utils.Database(self.conn)

    def close(self) -> None:
        self.commit()
        self.conn.close()

    # -- transactions -------------------------------------------------------

    def begin(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN")

    def commit(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")

    # -- runs ------------------------------------------------------------------

    def start_run(self, config_path: str | None, config_text: str | None) -> int:
        """Record a new run; runs left 'running' by a killed process become 'interrupted'."""
        self.conn.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
        cur = self.conn.execute(
            "INSERT INTO runs (started_at, status, config_path, config) VALUES (?, 'running', ?, ?)",
            (utcnow(), config_path, config_text))
        return cur.lastrowid

    def finish_run(self, run_id: int, status: str, stats: dict, site_stats: dict) -> None:
        """Close the run with its counters: ``stats`` run-wide, ``site_stats`` per site."""
        errors = {k: v for k, v in stats.items() if k.startswith("errors/")}
        counts = self.conn.execute(
            "SELECT (SELECT count(*) FROM articles WHERE run_id = :r),"
            " (SELECT count(*) FROM duplicates WHERE run_id = :r)", {"r": run_id}).fetchone()
        self.commit()
        self.conn.execute(
            "UPDATE runs SET finished_at = ?, status = ?, pages_fetched = ?, articles_stored = ?,"
            " articles_updated = ?, duplicates = ?, errors = ?, errors_by_kind = ?, stats = ? WHERE id = ?",
            (utcnow(), status, stats.get("fetched", 0), counts[0], stats.get("updated", 0), counts[1],
             sum(errors.values()), json.dumps({k[7:]: v for k, v in sorted(errors.items())}),
             json.dumps({**stats, "sites": site_stats}, sort_keys=True), run_id))

    # -- lookups ---------------------------------------------------------------

    def article_at(self, url: str) -> int | None:
        """The article stored under exactly this URL."""
        row = self.conn.execute("SELECT id FROM articles WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    def article_id_for_url(self, url: str) -> int | None:
        """The article stored under this URL, or whose page named it as canonical."""
        row = self.conn.execute(
            "SELECT id FROM articles WHERE url = ? UNION ALL SELECT id FROM articles WHERE canonical_url = ?"
            " LIMIT 1", (url, url)).fetchone()
        return row[0] if row else None

    def article(self, article_id: int) -> dict:
        cur = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,))
        return dict(zip([c[0] for c in cur.description], cur.fetchone()))

    def duplicate_target(self, url: str) -> int | None:
        """The article a duplicate URL points at, if ``url`` is recorded as a duplicate."""
        row = self.conn.execute("SELECT article_id FROM duplicates WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    def article_with_hash(self, content_hash: str, exclude: int | None = None) -> int | None:
        row = self.conn.execute("SELECT id FROM articles WHERE content_hash = ? AND id IS NOT ? ORDER BY id LIMIT 1",
                                (content_hash, exclude)).fetchone()
        return row[0] if row else None

    # -- writes ----------------------------------------------------------------

    def insert_article(self, row: dict) -> int:
        self.begin()
        cols = ", ".join(row)
        cur = self.conn.execute(f"INSERT INTO articles ({cols}) VALUES ({', '.join('?' * len(row))})",
                                list(row.values()))
        return cur.lastrowid

    def update_article(self, article_id: int, row: dict, run_id: int) -> None:
        """Replace an article's content in place, keeping the previous text in article_history."""
        self.begin()
        self.conn.execute(
            "INSERT INTO article_history (article_id, title, text, content_hash, replaced_at, run_id)"
            " SELECT id, title, text, content_hash, ?, ? FROM articles WHERE id = ?",
            (utcnow(), run_id, article_id))
        assignments = ", ".join(f"{col} = ?" for col in row)
        self.conn.execute(f"UPDATE articles SET {assignments} WHERE id = ?", [*row.values(), article_id])
        self.conn.execute("DELETE FROM removals WHERE article_id = ?", (article_id,))

    def demote_article(self, article_id: int, target: int, kind: str, similarity: float, run_id: int) -> None:
        """Turn a stored article into a duplicate of ``target``; its own duplicates follow it there."""
        self.begin()
        row = self.article(article_id)
        self.conn.execute("UPDATE duplicates SET article_id = ? WHERE article_id = ?", (target, article_id))
        self.insert_duplicate({"url": row["url"], "site": row["site"], "article_id": target, "kind": kind,
                               "similarity": round(similarity, 4), "title": row["title"],
                               "fetched_at": row["fetched_at"], "run_id": run_id})
        for table in ("removals", "article_history"):
            self.conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        self.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    def insert_duplicate(self, row: dict) -> bool:
        """Record a duplicate URL; False when that URL is already on record."""
        self.begin()
        cols = ", ".join(row)
        cur = self.conn.execute(f"INSERT OR IGNORE INTO duplicates ({cols}) VALUES ({', '.join('?' * len(row))})",
                                list(row.values()))
        return cur.rowcount == 1

    def add_removals(self, article_id: int, removals) -> None:
        self.begin()
        self.conn.executemany(
            "INSERT INTO removals (article_id, cleaner, reason, text) VALUES (?, ?, ?, ?)",
            [(article_id, r.cleaner, r.reason, r.text) for r in removals])

    def save_page(self, url: str, site: str, fetched_at: str, content_type: str | None, body: bytes,
                  date_hint: str | None) -> None:
        """Keep the raw HTML (zlib-compressed) so ``reclean`` can re-extract without fetching."""
        self.begin()
        self.conn.execute(
            "INSERT OR REPLACE INTO pages (url, site, fetched_at, content_type, html_zlib, date_hint)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (url, site, fetched_at, content_type, zlib.compress(body, 6), date_hint))


def page_body(html_zlib: bytes) -> bytes:
    return zlib.decompress(html_zlib)
