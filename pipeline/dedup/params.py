"""The near-duplicate parameters, derived from the one user setting: the similarity threshold.

Permutations (128) and shingle size (5 tokens) fix the sketch; bands x rows
are chosen the way datasketch's ``MinHashLSH`` chooses them: the ``(b, r)``
with ``b * r <= num_perm`` that minimises the weighted areas of false
positives (below the threshold) and false negatives (above it) under the
candidate curve ``1 - (1 - s**r)**b``. The LSH only proposes candidates: every candidate
estimated in ``[threshold - VERIFY_MARGIN, threshold + VERIFY_MARGIN)`` is
re-checked on the text (:mod:`.verify`), so the bands are tuned for the lowest
estimate that is still re-checked, weighted towards recall (a missed candidate
is a duplicate stored twice; a spurious one costs one comparison). At the
default threshold 0.8 that gives 16 bands of 8 rows: candidate probability
0.61 at s = 0.7, 0.95 at 0.8, > 0.9999 at 0.9.

The parameters are stored with the index (table ``lsh_params``); an index built
with other ones is rebuilt before it is used (see :class:`.lsh.LSHIndex`).
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass

import numpy as np

NUM_PERM = 128
SHINGLE = 5
SEED = 1
VERIFY_MARGIN = 0.1
# Weights of the optimiser: false negatives cost more than false positives (see above).
FALSE_POSITIVE_WEIGHT, FALSE_NEGATIVE_WEIGHT = 0.3, 0.7


@dataclass(frozen=True)
class LSHParams:
    threshold: float
    num_perm: int = NUM_PERM
    shingle: int = SHINGLE
    seed: int = SEED
    bands: int = 16
    rows: int = 8

    @property
    def verify_low(self) -> float:
        return max(0.0, self.threshold - VERIFY_MARGIN)

    @property
    def verify_high(self) -> float:
        return min(1.0, self.threshold + VERIFY_MARGIN)

    def index_key(self) -> dict:
        """What the stored index depends on (the threshold is applied at query time)."""
        return {k: v for k, v in asdict(self).items() if k != "threshold"}


def optimal_bands(threshold: float, num_perm: int, fp_weight: float, fn_weight: float) -> tuple[int, int]:
    """datasketch's ``_optimal_param``, integrated with numpy (datasketch's pulls in scipy: +50 MB
    in the crawl process for two integrals). tests/dedup checks both choose the same ``(b, r)``."""
    below, above = np.linspace(0.0, threshold, 2001), np.linspace(threshold, 1.0, 2001)
    best, choice = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = np.trapezoid(1 - (1 - below ** r) ** b, below)
            fn = np.trapezoid((1 - above ** r) ** b, above)
            if (error := fp * fp_weight + fn * fn_weight) < best:
                best, choice = error, (b, r)
    return choice


@functools.lru_cache
def derive(threshold: float, num_perm: int = NUM_PERM) -> LSHParams:
    """The parameters for ``threshold`` (an estimated Jaccard similarity in (0, 1])."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"near-duplicate threshold must be in (0, 1], got {threshold}")
    bands, rows = optimal_bands(max(0.05, threshold - VERIFY_MARGIN), num_perm, FALSE_POSITIVE_WEIGHT,
                                FALSE_NEGATIVE_WEIGHT)
    return LSHParams(threshold=threshold, num_perm=num_perm, bands=bands, rows=rows)
