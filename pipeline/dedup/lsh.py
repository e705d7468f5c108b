"""MinHash LSH index persisted in SQLite."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass

import numpy as np

from pipeline.dedup.params import LSHParams, derive
from pipeline.store.lsh import LSHTables

__all__ = ["LSHIndex", "Match"]

_SIG_DTYPE = np.dtype("<u4")


@dataclass(frozen=True)
class Match:
    """An indexed article and its estimated Jaccard similarity to the query."""

    article_id: int
    similarity: float


class LSHIndex:
    """Banded MinHash LSH over signatures stored in SQLite.

    A signature's first ``bands * rows`` values are cut into ``bands`` bands of
    ``rows`` values; two articles become candidates when at least one band is
    identical, and a candidate is accepted when the fraction of equal
    signature values (the Jaccard estimate) reaches ``threshold``. For an
    article pair with Jaccard similarity ``s`` the candidate probability is
    ``1 - (1 - s**rows)**bands``; the bands and rows are derived from the
    threshold (:mod:`.params`). More bands (or fewer rows) raise recall just
    above the threshold at the cost of more band rows per article and more
    candidates to verify.

    Everything lives in tables of the caller's database (created by the
    store's migrations, SQL in :mod:`pipeline.store.lsh`), so the index
    persists across runs and the process holds nothing but the connection:

    ``lsh_bands(band_key, article_id)``
        ``WITHOUT ROWID``, primary key ``(band_key, article_id)``: one row per
        band of each article. ``band_key`` is a 48-bit BLAKE2b hash of the
        band number and the band's values, so one B-tree serves all bands
        and a lookup is ``bands`` index seeks in one statement. A chance key
        collision only adds a candidate, which the signature comparison then
        rejects; 48 bits keep that below one spurious candidate per 10**6
        queries at 10**6 articles while fitting SQLite's 6-byte integer.
    ``lsh_signatures(article_id INTEGER PRIMARY KEY, sig BLOB)``
        the full signature, ``num_perm`` little-endian uint32 values, used to
        verify candidates and to recompute band keys for :meth:`remove`.
    ``lsh_params``
        the parameters the index was built with (see :meth:`needs_rebuild`).

    The index never commits: statements run inside whatever transaction the
    caller's connection has open, and the caller decides when to commit.
    """

    def __init__(self, conn: sqlite3.Connection, params: LSHParams | None = None):
        self.params = params or derive(0.8)
        self.tables = LSHTables(conn)

    @property
    def bands(self) -> int:
        return self.params.bands

    @property
    def rows(self) -> int:
        return self.params.rows

    @property
    def threshold(self) -> float:
        return self.params.threshold

    @classmethod
    def as_stored(cls, conn: sqlite3.Connection, threshold: float) -> "LSHIndex":
        """The index as it was built (for readers): its stored parameters, the given threshold."""
        stored = LSHTables(conn).params()
        return cls(conn, LSHParams(threshold=threshold, **stored) if stored else derive(threshold))

    def needs_rebuild(self) -> bool:
        """True when the stored index was built with other parameters than ``self.params``."""
        stored = self.tables.params()
        if stored is None:
            return self.tables.count() > 0
        return stored != self.params.index_key()

    def rebuild(self, sketch, texts) -> int:
        """Re-index every ``(article_id, text)`` of ``texts`` with ``sketch(text)``; returns the count."""
        self.tables.clear()
        n = 0
        for n, (article_id, text) in enumerate(texts, 1):
            self.add(article_id, sketch(text))
        self.tables.set_params(self.params.index_key())
        return n

    def mark_built(self) -> None:
        """Record this index's parameters (an empty index is built with any)."""
        if self.tables.params() is None:
            self.tables.set_params(self.params.index_key())

    def band_keys(self, sig: np.ndarray) -> list[int]:
        """The ``bands`` band keys of ``sig`` as signed 48-bit integers."""
        if len(sig) < self.bands * self.rows:
            raise ValueError(f"signature has {len(sig)} values, index expects "
                             f"{self.bands} bands x {self.rows} rows")
        raw = np.asarray(sig, dtype=_SIG_DTYPE).tobytes()
        width = 4 * self.rows
        return [
            int.from_bytes(
                hashlib.blake2b(raw[i * width:(i + 1) * width], digest_size=6,
                                salt=i.to_bytes(2, "little")).digest(),
                "little", signed=True)
            for i in range(self.bands)
        ]

    def add(self, article_id: int, sig: np.ndarray) -> None:
        """Index ``sig`` under ``article_id``, replacing any earlier entry."""
        self.remove(article_id)
        self.tables.add(article_id, self.band_keys(sig), np.asarray(sig, dtype=_SIG_DTYPE).tobytes())

    def remove(self, article_id: int) -> None:
        """Drop ``article_id`` from the index (no-op if it is not indexed)."""
        sig = self.signature(article_id)
        if sig is not None:
            self.tables.remove(article_id, self.band_keys(sig))

    def signature(self, article_id: int) -> np.ndarray | None:
        """The stored signature of ``article_id``, or None."""
        blob = self.tables.signature(article_id)
        return None if blob is None else np.frombuffer(blob, dtype=_SIG_DTYPE)

    def candidates(self, sig: np.ndarray) -> list[Match]:
        """All articles sharing at least one band with ``sig``, with their
        estimated similarity, most similar first (ties: lowest id first)."""
        rows = self.tables.lookup(self.band_keys(sig))
        if not rows:
            return []
        ids = [r[0] for r in rows]
        stored = np.frombuffer(b"".join(r[1] for r in rows), dtype=_SIG_DTYPE)
        sims = (stored.reshape(len(rows), -1) == np.asarray(sig, dtype=_SIG_DTYPE)).mean(axis=1)
        order = sorted(range(len(rows)), key=lambda i: (-sims[i], ids[i]))
        return [Match(ids[i], float(sims[i])) for i in order]

    def query(self, sig: np.ndarray) -> Match | None:
        """The most similar indexed article with estimated Jaccard similarity
        ``>= threshold`` (ties go to the lowest, i.e. oldest, id), or None."""
        found = self.candidates(sig)
        if found and found[0].similarity >= self.threshold:
            return found[0]
        return None

    def near_misses(self, sig: np.ndarray, low: float = 0.6) -> list[Match]:
        """Candidates with ``low <= similarity < threshold``, most similar
        first: pairs just below the threshold, for human review.

        Only LSH candidates are seen, so this is a sample that thins out with
        falling similarity (see the candidate probabilities above): about a
        quarter of the pairs at 0.6, most of those at 0.75."""
        return [m for m in self.candidates(sig) if low <= m.similarity < self.threshold]
