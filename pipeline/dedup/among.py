"""Copies among a handful of texts, pair by pair: ``newsrake check``'s sample articles.

The same two tests as the crawl's dedup (the exact fingerprint, then shingle
Jaccard against the near-duplicate threshold, with the crawl's shingling),
without an index: every pair is compared exactly, which is cheap for a few texts.
"""

from __future__ import annotations

from .fingerprint import content_hash
from .minhash import MinHasher
from .params import derive


def copies_among(texts: list[str], threshold: float) -> list[tuple[int, str] | None]:
    """For each text, another of ``texts`` it is a copy of: ``(its index, "exact" | "near")``, or None.

    An exact copy is preferred to a near one; among equals, the first.
    """
    params = derive(threshold)
    hasher = MinHasher(num_perm=params.num_perm, shingle=params.shingle, seed=params.seed)
    hashes = [content_hash(t) for t in texts]

    def copy_of(i: int) -> tuple[int, str] | None:
        others = [j for j in range(len(texts)) if j != i]
        for j in others:
            if hashes[j] == hashes[i]:
                return j, "exact"
        for j in others:
            if hasher.jaccard(texts[i], texts[j]) >= threshold:
                return j, "near"
        return None

    return [copy_of(i) for i in range(len(texts))]
