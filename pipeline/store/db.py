"""Opening a newsrake database, migrating it, and the writer's row-level reads and writes.

Writes go through sqlite-utils' table API inside the writer's explicit
transaction (:meth:`Store.begin` / :meth:`Store.commit`): sqlite-utils nests
each call in a savepoint, so a crawl still commits once per batch. WAL mode
keeps readers (``newsrake query``) working while a crawl writes.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from pipeline.core import counters
from pipeline.store import schema


class StoreError(RuntimeError):
    """The database cannot be used: unreadable, not SQLite, or from a newer newsrake."""


def utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


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


def connect_for_query(path: str | Path) -> sqlite3.Connection:
    """A read-only connection for users' SQL: no writes, no ATTACH (nor VACUUM INTO), no new files."""
    check_database(path)
    conn = connect(Path(path), readonly=True)
    conn.execute("PRAGMA query_only = 1")
    conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    return conn


def _check_version(version: int, path) -> None:
    if version > schema.SCHEMA_VERSION:
        raise StoreError(f"{path}: schema version {version} is newer than this newsrake "
                         f"understands ({schema.SCHEMA_VERSION}); upgrade newsrake")


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
    """Bring the schema to SCHEMA_VERSION, one migration per transaction; refuse newer databases."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    _check_version(version, path)
    db = sqlite_utils.Database(conn)
    for target in range(version + 1, schema.SCHEMA_VERSION + 1):
        with db.atomic():
            schema.MIGRATIONS[target](db)
            conn.execute(f"PRAGMA user_version = {target}")


def page_body(html_zlib: bytes) -> bytes:
    return zlib.decompress(html_zlib)


class Store:
    """One writable newsrake database: the only writer of articles, duplicates, pages and runs."""

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
        runs = self.db["runs"]
        with self.db.atomic():
            for row in list(runs.rows_where("status = 'running'", select="id")):
                runs.update(row["id"], {"status": "interrupted"})
            return runs.insert({"started_at": utcnow(), "status": "running", "config_path": config_path,
                                "config": config_text}).last_pk

    def finish_run(self, run_id: int, status: str, stats: dict, site_stats: dict) -> None:
        """Close the run with its counters (``stats`` run-wide, ``site_stats`` per site); the stored
        and duplicate counts are what the database holds for the run."""
        self.commit()
        errors = dict(sorted(counters.errors_of(stats).items()))
        with self.db.atomic():
            self.db["runs"].update(run_id, {
                "finished_at": utcnow(), "status": status, "pages_fetched": stats.get("fetched", 0),
                "articles_stored": self.db["articles"].count_where("run_id = ?", [run_id]),
                "articles_updated": stats.get("updated", 0),
                "duplicates": self.db["duplicates"].count_where("run_id = ?", [run_id]),
                "errors": sum(errors.values()), "errors_by_kind": json.dumps(errors),
                "stats": json.dumps({**stats, "sites": site_stats}, sort_keys=True)})

    # -- lookups ---------------------------------------------------------------

    def _one(self, sql: str, params) -> int | None:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def article_at(self, url: str) -> int | None:
        """The article stored under exactly this URL."""
        return self._one("SELECT id FROM articles WHERE url = ?", (url,))

    def article_id_for_url(self, url: str) -> int | None:
        """The article stored under this URL, or whose page named it as canonical."""
        return self._one("SELECT id FROM articles WHERE url = ? UNION ALL SELECT id FROM articles"
                         " WHERE canonical_url = ? LIMIT 1", (url, url))

    def article(self, article_id: int) -> dict:
        return self.db["articles"].get(article_id)

    def duplicate_target(self, url: str) -> int | None:
        """The article a duplicate URL points at, if ``url`` is recorded as a duplicate."""
        return self._one("SELECT article_id FROM duplicates WHERE url = ?", (url,))

    def article_with_hash(self, content_hash: str, exclude: int | None = None) -> int | None:
        return self._one("SELECT id FROM articles WHERE content_hash = ? AND id IS NOT ? ORDER BY id LIMIT 1",
                         (content_hash, exclude))

    # -- writes (inside the batch transaction) -------------------------------

    def insert_article(self, row: dict) -> int:
        self.begin()
        return self.db["articles"].insert(row).last_pk

    def update_article(self, article_id: int, row: dict, run_id: int) -> None:
        """Replace an article's content in place, keeping the previous text in article_history."""
        self.begin()
        old = self.article(article_id)
        self.db["article_history"].insert({
            "article_id": article_id, "title": old["title"], "text": old["text"],
            "content_hash": old["content_hash"], "replaced_at": utcnow(), "run_id": run_id})
        self.db["articles"].update(article_id, row)
        self.db["removals"].delete_where("article_id = ?", [article_id])

    def demote_article(self, article_id: int, target: int, kind: str, similarity: float, run_id: int) -> None:
        """Turn a stored article into a duplicate of ``target``; its own duplicates follow it there."""
        self.begin()
        row = self.article(article_id)
        self.conn.execute("UPDATE duplicates SET article_id = ? WHERE article_id = ?", (target, article_id))
        self.insert_duplicate({"url": row["url"], "site": row["site"], "article_id": target, "kind": kind,
                               "similarity": round(similarity, 4), "title": row["title"],
                               "fetched_at": row["fetched_at"], "run_id": run_id})
        for table in ("removals", "article_history"):
            self.db[table].delete_where("article_id = ?", [article_id])
        self.db["articles"].delete(article_id)

    def insert_duplicate(self, row: dict) -> bool:
        """Record a duplicate URL; False when that URL is already on record."""
        self.begin()
        before = self.conn.total_changes
        self.db["duplicates"].insert(row, ignore=True)
        return self.conn.total_changes > before

    def add_removals(self, article_id: int, removals) -> None:
        self.begin()
        self.db["removals"].insert_all(
            {"article_id": article_id, "cleaner": r.cleaner, "reason": r.reason, "text": r.text} for r in removals)

    def save_page(self, url: str, site: str, fetched_at: str, content_type: str | None, body: bytes,
                  date_hint: str | None) -> None:
        """Keep the raw HTML (zlib-compressed) so ``reclean`` can re-extract without fetching."""
        self.begin()
        self.db["pages"].insert({"url": url, "site": site, "fetched_at": fetched_at, "content_type": content_type,
                                 "html_zlib": zlib.compress(body, 6), "date_hint": date_hint}, replace=True)
