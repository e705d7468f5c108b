"""The near-duplicate parameters, derived from the one user setting: the similarity threshold.

Permutations (128) and shingle size (5 tokens) fix the sketch; bands x rows
are chosen by datasketch's own optimiser (``MinHashLSH`` minimises the weighted
areas of false positives and false negatives under the candidate curve
``1 - (1 - s**r)**b``). The LSH only proposes candidates: every candidate
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

from dataclasses import asdict, dataclass

from datasketch import MinHashLSH

NUM_PERM = 128
SHINGLE = 5
SEED = 1
VERIFY_MARGIN = 0.1
# Weights of datasketch's optimiser: false negatives cost more than false positives (see above).
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


def derive(threshold: float, num_perm: int = NUM_PERM) -> LSHParams:
    """The parameters for ``threshold`` (an estimated Jaccard similarity in (0, 1])."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"near-duplicate threshold must be in (0, 1], got {threshold}")
    lsh = MinHashLSH(threshold=max(0.05, threshold - VERIFY_MARGIN), num_perm=num_perm,
                     weights=(FALSE_POSITIVE_WEIGHT, FALSE_NEGATIVE_WEIGHT))
    return LSHParams(threshold=threshold, num_perm=num_perm, bands=lsh.b, rows=lsh.r)
