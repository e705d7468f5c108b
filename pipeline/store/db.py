"""Opening a newsrake database, migrating it, and the writer's row-level reads and writes.

Writes go through sqlite-utils' table API inside the writer's explicit
transaction (:meth:`Store.begin` / :meth:`Store.commit`): sqlite-utils nests
each call in a savepoint, so a crawl still commits once per batch. WAL mode
keeps readers (``newsrake query``) working while a crawl writes. The writer
holds the database's lock (:mod:`.lock`) from open to close; what a failing
disk or file does to a write is raised as :class:`StorageFailure`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import time
import zlib
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from pipeline.core import counters
from pipeline.store import checked, figures, health, queries, schema, search
from pipeline.store.lock import DatabaseLock


class StoreError(RuntimeError):
    """The database cannot be used: unreadable, not SQLite, damaged, or from a newer newsrake."""


class StorageFailure(RuntimeError):
    """What a run fetched can no longer be stored: disk full, I/O error, damaged file, file replaced."""


class DatabaseReplaced(StorageFailure):
    """The path no longer names the file the writer locked: replaced by another, or deleted."""


# Primary SQLite result codes of a failing disk or file, or of a second writer; not of a bad statement.
STORAGE_FAULTS = {sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB,
                  sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_PROTOCOL}


@contextlib.contextmanager
def storage_faults(path):
    """Raise what a write meets on a failing disk or file (SQLITE_FULL, IOERR, CORRUPT, ..., OSError) as
    StorageFailure naming ``path``; other errors (a bad statement is a bug) pass as they are."""
    try:
        yield
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in STORAGE_FAULTS:
            raise
        raise StorageFailure(f"cannot write {path}: {exc}") from exc
    except OSError as exc:
        raise StorageFailure(f"cannot write {path}: {exc.strerror or exc}") from exc


LOGGER = logging.getLogger(__name__)


def utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def is_damaged(exc: Exception) -> bool:
    """The error says the file is damaged (a corrupted page) or not a database at all."""
    return getattr(exc, "sqlite_errorcode", None) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def database_error(path, exc: sqlite3.Error) -> StoreError:
    """An SQLite error as one line naming the file; a damaged file with how to salvage what it holds."""
    if is_damaged(exc):
        return StoreError(f"{path}: not a usable SQLite database: {exc} "
                          f"(salvage it with: sqlite3 {path} .recover | sqlite3 recovered.db)")
    return StoreError(f"{path}: not a usable SQLite database: {exc}")


def _is_wal(path: Path) -> bool:
    """Byte 18 of the SQLite header (the file format write version) is 2 in WAL mode."""
    with open(path, "rb") as f:
        return f.read(20)[18:19] == b"\x02"


def _read_only_uri(path: Path) -> tuple[str, bool]:
    """How a read-only command opens ``path``, and whether it must remove the WAL files the open creates.

    A reader of a WAL database needs its -wal and -shm files: ``mode=ro`` uses them when they exist
    (a writer may be live) or can be created and removed again; on read-only media or for a user who
    may not write the directory, ``immutable=1`` (no -wal means no writer is live, so nothing is missed).
    """
    uri = f"file:{quote(str(path.resolve()))}"
    if not _is_wal(path) or all(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm")):
        return f"{uri}?mode=ro", False
    if os.access(path.parent, os.W_OK) and os.access(path, os.W_OK):
        return f"{uri}?mode=ro", True
    return f"{uri}?immutable=1", False


class _ReadOnlyConnection(sqlite3.Connection):
    """A read-only connection that, closed, removes the -wal/-shm files its open created.

    A ``mode=ro`` connection cannot delete them itself; a read-write open and close does, the
    way SQLite always does, only when no other connection (a crawl that started meanwhile) uses them.
    """

    path: Path | None = None

    def close(self) -> None:
        super().close()
        if self.path is not None:
            cleaner = sqlite3.connect(self.path, timeout=1)
            try:
                cleaner.execute("PRAGMA schema_version").fetchone()  # opens the WAL, so closing removes it
            except sqlite3.Error:
                pass  # busy or gone: the files stay, as SQLite would leave them
            finally:
                cleaner.close()
            self.path = None


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open the database; read-only opens never create a file that outlives the connection."""
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a database file")
    try:
        if readonly:
            if not path.exists():
                raise StoreError(f"{path}: no such database")
            uri, creates_wal_files = _read_only_uri(path)
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, factory=_ReadOnlyConnection)
            conn.path = path if creates_wal_files else None
        else:
            if not path.parent.is_dir():
                raise StoreError(f"{path}: directory {path.parent} does not exist")
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
    except OSError as exc:  # the header could not be read
        raise StoreError(f"{path}: cannot open database: {exc.strerror}") from None
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open database: {exc}") from None
    search.register(conn)
    try:
        conn.execute("PRAGMA schema_version").fetchone()
        if not readonly:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise database_error(path, exc) from None
    return conn


def connect_for_query(path: str | Path, time_limit: float | None = None) -> sqlite3.Connection:
    """A read-only connection for users' SQL: no writes, no ATTACH (nor VACUUM INTO), no new files.

    With ``time_limit``, a statement still running that many seconds after the open is
    interrupted (sqlite3.OperationalError "interrupted").
    """
    check_database(path)
    conn = connect(Path(path), readonly=True)
    conn.execute("PRAGMA query_only = 1")
    conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    if time_limit:
        deadline = time.monotonic() + time_limit
        conn.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
    return conn


def _check_version(version: int, path) -> None:
    if version > schema.SCHEMA_VERSION:
        raise StoreError(f"{path}: schema version {version} is newer than this newsrake "
                         f"understands ({schema.SCHEMA_VERSION}); upgrade newsrake")


def check_database(path: str | Path) -> None:
    """Raise StoreError if ``path`` cannot be opened as a newsrake database; writes nothing.

    Run before opening for writing, so that a bad --db creates no file and a database from a
    newer newsrake is not even switched to WAL mode.
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


def check_integrity(path: str | Path) -> None:
    """Raise StoreError if ``PRAGMA quick_check`` finds the database damaged; writes nothing.

    The writer runs it before its first write, so no run adds rows to a file that may lose them;
    a new (missing or empty) file has nothing to check, nor one still as the last writer left it
    after a clean close (:mod:`.checked`: the check reads the whole file).
    """
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return
    if checked.unchanged_since_checked(path):
        LOGGER.info("%s is as the last run closed it: quick_check skipped", path)
        return
    start = time.monotonic()
    conn = connect(path, readonly=True)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    finally:
        conn.close()
    LOGGER.info("%s: PRAGMA quick_check %s in %.1f s", path, problems[0], time.monotonic() - start)
    if problems != ["ok"]:
        raise StoreError(f"{path}: the database is damaged (PRAGMA quick_check: {problems[0]}); nothing was "
                         f"written. Restore it from a backup, or salvage what it holds with: "
                         f"sqlite3 {path} .recover | sqlite3 recovered.db")


def migrate(conn: sqlite3.Connection, path) -> None:
    """Bring the schema to SCHEMA_VERSION, one migration per transaction; refuse newer databases."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    _check_version(version, path)
    db = sqlite_utils.Database(conn)
    for target in range(version + 1, schema.SCHEMA_VERSION + 1):
        with db.atomic():
            schema.MIGRATIONS[target](db)
            conn.execute(f"PRAGMA user_version = {target}")


def upgrade(path: str | Path) -> None:
    """Migrate an existing database of an earlier release now, as its next crawl would (taking the
    writer's lock), for the readers that need the current schema (``search``, ``serve``); a missing or
    current database is left alone."""
    path = Path(path)
    if not path.is_file():
        return
    check_database(path)
    with contextlib.closing(connect(path, readonly=True)) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version < schema.SCHEMA_VERSION:
        Store(path).close()


def page_compressed(body: bytes) -> bytes:
    """A fetched page as the ``pages`` table keeps it (zlib); made in the extraction workers during a crawl."""
    return zlib.compress(body, 6)


def page_body(html_zlib: bytes) -> bytes:
    return zlib.decompress(html_zlib)


# The WAL size at which a commit copies it into the file: SQLite's automatic checkpoint (1000 pages).
CHECKPOINT_BYTES = 1000 * 4096


# What run_counts reads back for a run, per site.
RUN_COUNTS = ("stored", "updated", "duplicates")


class Store:
    """One writable newsrake database: the only writer of articles, duplicates, pages and runs.

    Opening takes the database's lock (LockedError while another run holds it) and refuses a
    damaged file (StoreError) before anything is written; every commit first checks that the
    path still names the locked file (DatabaseReplaced).
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.lock = DatabaseLock(self.path)
        try:
            self.lock.acquire()
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open for writing: {exc.strerror}") from None
        self.conn = None
        try:
            check_integrity(self.path)
            checked.forget_checked(self.path)  # only a clean close of this run records the file again
            self.conn = connect(self.path)
            self.conn.execute("PRAGMA wal_autocheckpoint = 0")  # checkpoint() runs them, watching the file
            self._identity, self.foreign_write = checked.identity(self.path), False
            with storage_faults(self.path):
                migrate(self.conn, self.path)
        except BaseException:
            self.abort()
            raise
        self.db = sqlite_utils.Database(self.conn)

    @property
    def is_open(self) -> bool:
        return self.conn is not None

    def close(self) -> None:
        """Commit what is pending, close, and release the lock (also when the commit fails). A clean
        close empties the WAL into the file and records the file as sound (:mod:`.checked`)."""
        try:
            self.commit()
            self._record_sound()
        finally:
            self.abort()

    def _record_sound(self) -> None:
        """Empty the WAL into the file (a reader may hold it open), close, and record the file; a
        checkpoint that fails, or a write into the file by another program during the run, leaves no
        record, so the next writer checks."""
        try:
            self.checkpoint("TRUNCATE")
        except sqlite3.Error:
            return
        self.conn.close()
        self.conn = None
        if self.foreign_write:
            LOGGER.warning("%s was written by another program during the run: the next run checks it", self.path)
        elif not self.lock.lost():
            checked.record_checked(self.path)

    def checkpoint(self, mode: str = "PASSIVE") -> None:
        """Copy the WAL into the database file, as SQLite's automatic checkpoint would; a file changed
        since the last one was written by someone else (:mod:`.checked`)."""
        self.foreign_write |= checked.identity(self.path) != self._identity
        self.conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
        self._identity = checked.identity(self.path)

    def abort(self) -> None:
        """Close without committing (SQLite drops the open batch), then release the lock: in this
        order, see pipeline/store/lock.py."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        self.lock.release()

    # -- transactions -------------------------------------------------------

    def begin(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN")

    def verify(self) -> None:
        """Raise DatabaseReplaced unless the path still names the file this store locked and writes."""
        if change := self.lock.lost():
            raise DatabaseReplaced(f"{self.path} was {change} during the run")

    def commit(self) -> None:
        if self.conn.in_transaction:
            self.verify()  # never commit into a file that is no longer the database
            self.conn.execute("COMMIT")
            if checked.wal_size(self.path) >= CHECKPOINT_BYTES:
                self.checkpoint()

    def rollback(self) -> None:
        """Drop the open batch after a storage failure. If even the rollback fails, SQLite ignores the
        uncommitted frames anyway, so that error adds nothing to the one being handled."""
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    # -- runs ------------------------------------------------------------------

    def start_run(self, config_path: str | None, config_text: str | None, kind: str = "crawl") -> int:
        """Record a new run of ``kind`` (``crawl`` or ``reclean``); runs left 'running' by a killed process
        become 'interrupted'."""
        runs = self.db["runs"]
        with self.db.atomic():
            for row in list(runs.rows_where("status = 'running'", select="id")):
                runs.update(row["id"], {"status": "interrupted"})
            return runs.insert({"started_at": utcnow(), "status": "running", "kind": kind,
                                "config_path": config_path, "config": config_text}).last_pk

    def run_counts(self, run_id: int) -> dict[str, dict[str, int]]:
        """What the database holds for the run, per site that has any: articles it stored, articles it
        updated, duplicates it recorded (the RUN_COUNTS)."""
        counts: dict[str, dict[str, int]] = {}
        for name, sql in (
                ("stored", "SELECT site, count(*) FROM articles WHERE run_id = ? GROUP BY site"),
                ("updated", "SELECT a.site, count(DISTINCT h.article_id) FROM article_history h"
                            " JOIN articles a ON a.id = h.article_id WHERE h.run_id = ? GROUP BY a.site"),
                ("duplicates", "SELECT site, count(*) FROM duplicates WHERE run_id = ? GROUP BY site")):
            for site, n in self.conn.execute(sql, (run_id,)):
                counts.setdefault(site, dict.fromkeys(RUN_COUNTS, 0))[name] = n
        return counts

    def finish_run(self, run_id: int, status: str, stats: dict, site_stats: dict, failure: str | None = None,
                   thresholds: health.Thresholds | None = None) -> dict[str, dict]:
        """Close the run with its counters (``stats`` run-wide, ``site_stats`` per site) and, for a failed
        run, its cause (``stats["failure"]``). The stored, updated and duplicate counts, run-wide and per
        site, are what the database holds for the run (:meth:`run_counts`); NULL when the failure left
        them unreadable. Every site's figures go to ``site_runs``, with the flags of its health against its
        own history when the run completed and ``thresholds`` are given (None: not assessed); returns them,
        ``{site: figures}``."""
        self.commit()
        try:
            held = self.run_counts(run_id)
            articles = queries.article_figures(self.conn, run_id)
        except sqlite3.DatabaseError:
            if failure is None:
                raise
            held = articles = None  # unknown, not zero
        zero = dict.fromkeys(RUN_COUNTS, 0 if held is not None else None)
        sites = {site: {**site_stats.get(site, {}), **zero, **(held or {}).get(site, {})}
                 for site in site_stats.keys() | (held or {}).keys()}
        totals = {name: sum(c[name] for c in held.values()) if held is not None else None for name in RUN_COUNTS}
        errors = dict(sorted(counters.errors_of(stats).items()))
        assess = thresholds if status == "completed" else None
        site_figures = {site: self._site_figures(run_id, site, c, articles, assess)
                        for site, c in sorted(sites.items())}
        with self.db.atomic():
            self.db["runs"].update(run_id, {
                "finished_at": utcnow(), "status": status, "pages_fetched": stats.get("fetched", 0),
                "articles_stored": totals["stored"], "articles_updated": totals["updated"],
                "duplicates": totals["duplicates"],
                "errors": sum(errors.values()), "errors_by_kind": json.dumps(errors),
                "stats": json.dumps({**stats, **totals, "sites": sites,
                                     **({"failure": failure} if failure else {})}, sort_keys=True)})
            self.db["site_runs"].insert_all((figures.encoded({"run_id": run_id, "site": site, **row})
                                             for site, row in site_figures.items()), replace=True)
        return site_figures

    def _site_figures(self, run_id: int, site: str, site_counters: dict, articles: dict | None,
                      thresholds: health.Thresholds | None) -> dict:
        """A site's ``site_runs`` figures: its counters, what the database holds for it (``articles``:
        :func:`queries.article_figures`, None when unreadable) and its flags (None: not assessed)."""
        held = figures.no_articles(None) if articles is None else articles.get(site) or figures.no_articles({})
        row = {**figures.from_counters(site_counters), **{name: site_counters[name] for name in RUN_COUNTS},
               **held, "flags": None}
        if thresholds is not None:
            history = queries.site_history(self.conn, site, run_id, thresholds.window)
            row["flags"] = health.flags(row, history, thresholds)
        return row

    # -- lookups ---------------------------------------------------------------

    def _one(self, sql: str, params) -> int | None:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def article_at(self, url: str) -> int | None:
        """The article stored under exactly this URL."""
        return self._one("SELECT id FROM articles WHERE url = ?", (url,))

    def article_id_for_url(self, url: str) -> int | None:
        """The article stored under this URL, else one whose page named it as canonical.

        For dedup only (two pages naming one canonical URL are one story): it is no proof that
        the URL was fetched, so the seen-URL check does not use it (``queries.known_article``).
        """
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

    def _insert(self, table: str, row: dict, verb: str = "INSERT") -> int:
        """One row of a table of the crawl's hot path; the row id. A plain statement, not sqlite-utils'
        ``insert``: that one reads the table's schema and opens a savepoint on every call, about 0.1 ms an
        article in the serial crawl process."""
        self.begin()
        columns = ", ".join(row)
        cursor = self.conn.execute(f"{verb} INTO {table} ({columns}) VALUES ({', '.join('?' * len(row))})",
                                   tuple(row.values()))
        return cursor.lastrowid

    def insert_article(self, row: dict) -> int:
        return self._insert("articles", row)

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
        before = self.conn.total_changes
        self._insert("duplicates", row, "INSERT OR IGNORE")
        return self.conn.total_changes > before

    def add_removals(self, article_id: int, removals) -> None:
        self.begin()
        self.conn.executemany("INSERT INTO removals (article_id, cleaner, reason, text) VALUES (?, ?, ?, ?)",
                              [(article_id, r.cleaner, r.reason, r.text) for r in removals])

    def save_page(self, url: str, site: str, fetched_at: str, content_type: str | None, html_zlib: bytes,
                  date_hint: str | None) -> None:
        """Keep the raw HTML (:func:`page_compressed`) so ``reclean`` can re-extract without fetching."""
        self._insert("pages", {"url": url, "site": site, "fetched_at": fetched_at, "content_type": content_type,
                               "html_zlib": html_zlib, "date_hint": date_hint}, "INSERT OR REPLACE")

    # -- per-visit query parameters -------------------------------------------------

    def session_params(self) -> dict[str, set[str]]:
        return queries.session_params(self.conn)

    def add_session_param(self, site: str, param: str, run_id: int, examples: list[str]) -> None:
        self.begin()
        self.db["session_params"].insert({"site": site, "param": param, "run_id": run_id, "found_at": utcnow(),
                                          "examples": json.dumps(examples)}, ignore=True)

    def site_article_urls(self, site: str, containing: str) -> list[tuple[int, str]]:
        """``(id, url)`` of the site's articles whose URL contains the text ``containing``."""
        return self.conn.execute("SELECT id, url FROM articles WHERE site = ? AND instr(url, ?) > 0",
                                 (site, containing)).fetchall()

    def move_article_url(self, article_id: int, old: str, new: str) -> None:
        """Keep an article (and its fetched page) under another URL; a ``canonical_url`` that was the
        old URL follows it."""
        self.begin()
        self.conn.execute("UPDATE articles SET url = ?2, canonical_url = CASE canonical_url WHEN ?3 THEN ?2"
                          " ELSE canonical_url END WHERE id = ?1", (article_id, new, old))
        self.conn.execute("UPDATE pages SET url = ? WHERE url = ?", (new, old))
