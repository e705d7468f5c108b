"""Re-check near-threshold LSH candidates against the stored text.

With 128 permutations the Jaccard estimate has a standard deviation of about
0.035, so pairs whose true similarity lies within a few hundredths of the
threshold land on the wrong side of it in a few percent of cases: partial
reposts accepted at 0.78, light edits rejected at 0.82. Candidates estimated
in ``[threshold - 0.1, threshold + 0.1)`` (:mod:`.params`) are therefore decided by the exact shingle Jaccard of the
two texts (about the cost of two sketches; such candidates are rare), while
estimates ``>= high`` are accepted outright. The benchmark in
``bench/dedup/accuracy.py`` measures both decisions.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .lsh import LSHIndex, Match
from .minhash import MinHasher


def verified_match(index: LSHIndex, hasher: MinHasher, text: str, sig: np.ndarray,
                   stored_text: Callable[[int], str], *, low: float | None = None,
                   high: float | None = None) -> Match | None:
    """The best candidate whose similarity reaches ``index.threshold``.

    Args:
        index: the LSH index to draw candidates from.
        hasher: the MinHasher that made ``sig`` (its shingling defines Jaccard).
        text: the new article's clean text; ``sig`` is its signature.
        stored_text: returns the clean text of a stored article by id.
        low, high: estimates in ``[low, high)`` are re-checked exactly
            (default: the index parameters' verification band).

    Returns the candidate with its estimated (accepted outright) or exact
    (re-checked) similarity, or None.
    """
    low = index.params.verify_low if low is None else low
    high = index.params.verify_high if high is None else high
    for candidate in index.candidates(sig):
        if candidate.similarity >= high:
            return candidate
        if candidate.similarity < low:
            return None  # candidates come most similar first
        exact = hasher.jaccard(text, stored_text(candidate.article_id))
        if exact >= index.threshold:
            return Match(candidate.article_id, exact)
    return None
