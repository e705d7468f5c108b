"""The dedup stage: one story, one row.

Owns the fingerprint of exact copies (:mod:`.fingerprint`, over the tokens of
:mod:`.tokens`), MinHash sketches (:mod:`.minhash`), the LSH index
(:mod:`.lsh`, its parameters derived from the threshold in :mod:`.params`),
the re-check of candidates near the threshold (:mod:`.verify`), the policy
that decides what a page is and has the store write it (:mod:`.policy`), the
per-visit query parameters its exact copies reveal (:mod:`.session_params`),
the report for people (:mod:`.report`), and copies among a few texts without an
index (:mod:`.among`, for ``newsrake check``). Imports ``pipeline.core`` and
``pipeline.store``. See docs/architecture.md.
"""

from .among import copies_among
from .fingerprint import content_hash
from .lsh import LSHIndex, Match
from .minhash import MinHasher
from .params import LSHParams, derive
from .policy import Deduplicator, Outcome
from .report import dedup_report
from .verify import verified_match

__all__ = ["content_hash", "copies_among", "MinHasher", "LSHIndex", "LSHParams", "Match", "Deduplicator", "Outcome", "derive",
           "dedup_report", "verified_match"]
