"""The SQL of the near-duplicate index: band rows, signatures and the parameters they were built with.

The tables are created by migration 2 (:mod:`pipeline.store.schema`); what
they mean is :class:`pipeline.dedup.lsh.LSHIndex`'s business. Statements run
inside the caller's transaction and never commit (so they are plain statements:
sqlite-utils' table API commits when no transaction is open).
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

PARAM_NAMES = ("num_perm", "shingle", "seed", "bands", "rows")


class LSHTables:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self._lookups: dict[int, str] = {}

    def params(self) -> dict | None:
        """The parameters the stored index was built with, or None when none is stored."""
        if not self.db["lsh_params"].exists():
            return None
        return next(self.db["lsh_params"].rows_where("id = 1", select=", ".join(PARAM_NAMES)), None)

    def set_params(self, params: dict) -> None:
        self.conn.execute(f"INSERT OR REPLACE INTO lsh_params (id, {', '.join(PARAM_NAMES)}) VALUES (1, ?, ?, ?, ?, ?)",
                          [params[k] for k in PARAM_NAMES])

    def clear(self) -> None:
        """Drop every indexed article (before a rebuild with other parameters)."""
        self.conn.execute("DELETE FROM lsh_bands")
        self.conn.execute("DELETE FROM lsh_signatures")

    def count(self) -> int:
        return self.db["lsh_signatures"].count if self.db["lsh_signatures"].exists() else 0

    def add(self, article_id: int, keys: list[int], sig: bytes) -> None:
        # Plain statements, not the table API: they must join the caller's transaction, never open their own.
        self.conn.executemany("INSERT OR IGNORE INTO lsh_bands (band_key, article_id) VALUES (?, ?)",
                              [(k, article_id) for k in keys])
        self.conn.execute("INSERT INTO lsh_signatures (article_id, sig) VALUES (?, ?)", (article_id, sig))

    def remove(self, article_id: int, keys: list[int]) -> None:
        self.conn.executemany("DELETE FROM lsh_bands WHERE band_key = ? AND article_id = ?",
                              [(k, article_id) for k in keys])
        self.conn.execute("DELETE FROM lsh_signatures WHERE article_id = ?", (article_id,))

    def signature(self, article_id: int) -> bytes | None:
        row = self.conn.execute("SELECT sig FROM lsh_signatures WHERE article_id = ?", (article_id,)).fetchone()
        return None if row is None else row[0]

    def lookup(self, keys: list[int]) -> list[tuple[int, bytes]]:
        """``(article_id, sig)`` of every article sharing a band key with ``keys``."""
        sql = self._lookups.get(len(keys))
        if sql is None:
            sql = self._lookups[len(keys)] = (
                "SELECT article_id, sig FROM lsh_signatures WHERE article_id IN "
                f"(SELECT article_id FROM lsh_bands WHERE band_key IN ({','.join('?' * len(keys))}))")
        return self.conn.execute(sql, keys).fetchall()

    def signatures_of_run(self, run_id: int | None) -> list[tuple[int, bytes]]:
        """``(article_id, sig)`` of the articles a run stored."""
        if not self.db["lsh_signatures"].exists():
            return []
        return self.conn.execute("SELECT s.article_id, s.sig FROM lsh_signatures s"
                                 " JOIN articles a ON a.id = s.article_id WHERE a.run_id IS ?", (run_id,)).fetchall()

    def texts(self):
        """``(article_id, text)`` of every stored article, for a rebuild."""
        return self.conn.execute("SELECT id, text FROM articles ORDER BY id")
