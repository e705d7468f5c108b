"""Duplicate detection: exact fingerprints and MinHash LSH near-duplicates.

- :func:`content_hash` -- fingerprint of the normalised text (verbatim copies).
- :class:`MinHasher` -- MinHash signatures of 5-token shingles.
- :class:`LSHIndex` -- banded LSH over signatures, persisted in SQLite.
- :func:`verified_match` -- LSH candidates near the threshold re-checked on the text.
- :func:`dedup_report` -- biggest clusters, duplicate share per site, near misses.
"""

from .fingerprint import content_hash
from .lsh import LSHIndex, Match
from .minhash import MinHasher
from .report import dedup_report
from .verify import verified_match

__all__ = ["content_hash", "MinHasher", "LSHIndex", "Match", "dedup_report", "verified_match"]
