"""LSH parameters derived from the threshold, the way datasketch derives them."""

import pytest
from datasketch import MinHashLSH

from pipeline.dedup.params import FALSE_NEGATIVE_WEIGHT, FALSE_POSITIVE_WEIGHT, derive, optimal_bands


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 0.95])
def test_bands_and_rows_are_datasketchs_choice(threshold):
    weights = (FALSE_POSITIVE_WEIGHT, FALSE_NEGATIVE_WEIGHT)
    lsh = MinHashLSH(threshold=threshold, num_perm=128, weights=weights)
    assert optimal_bands(threshold, 128, *weights) == (lsh.b, lsh.r)


def test_the_default_threshold_keeps_the_index_of_earlier_releases():
    params = derive(0.8)
    assert (params.num_perm, params.shingle, params.bands, params.rows) == (128, 5, 16, 8)
    assert (params.verify_low, params.verify_high) == pytest.approx((0.7, 0.9))


def test_a_higher_threshold_needs_longer_bands():
    assert derive(0.9).rows > derive(0.8).rows > derive(0.6).rows
    with pytest.raises(ValueError, match="threshold"):
        derive(1.5)
