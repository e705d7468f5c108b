"""Text normalisation and tokenisation shared by the exact and near-duplicate stages.

A *token* is one CJK character (Han, Hiragana, Katakana: scripts written
without spaces) or one run of other word characters (a Latin, Cyrillic,
Hangul, ... word or a number). Everything else -- whitespace, punctuation,
symbols, underscores -- only separates tokens. Tokens are hashed to 64 bits
with vectorised numpy arithmetic so that a 2,000-character article costs a few
numpy calls instead of one Python call per token.

All hashing here is fixed integer arithmetic (no ``hash()``, no RNG), so the
values are stable across processes, platforms and library versions: they end
up persisted in the LSH index.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np

from cleaners.patterns import CJK_RANGES

__all__ = ["normalize", "spaced_tokens", "token_hashes", "mix64"]

# Common whitespace and punctuation (ASCII, general punctuation, CJK symbols
# and punctuation, full-width forms) whose NFKC images are again only
# separators. Replacing them by a space *before* NFKC gives the same tokens
# as normalising first, but spares the slow path of
# ``unicodedata.normalize``: full-width Chinese punctuation (，。：) makes
# almost every Chinese text "not NFKC", and normalising it costs ~0.3 ms per
# 2,000 characters against ~3 us once the punctuation is gone.
_PLAIN_SEPARATORS = re.compile(
    r"[\s!-/:-@\[-`{-~\u2000-\u206f\u3000-\u3004\u3008-\u3020\u3030\u3036\u3037"
    r"\u303d-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+"
)

# Runs of characters that are not tokens. ``\W`` is Unicode-aware for str
# patterns; ``_`` is a word character to ``re`` but punctuation (Pc) to us.
_SEPARATORS = re.compile(r"[\W_]+")

# Characters that are one token each (after NFKC, so half-width katakana are
# already full-width): the project's one CJK definition. Hangul is not in it on
# purpose: Korean separates words with spaces, so a Hangul run is a word like a Latin one.
_CJK_RANGES = np.array(CJK_RANGES, dtype=np.uint32)
_SPACE = np.uint32(ord(" "))

# Polynomial base for folding a word's code points, and the powers table
# (grown on demand for unusually long words).
_BASE = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime


def _power_table(n: int) -> np.ndarray:
    """``BASE**0 .. BASE**(n-1)`` modulo 2**64."""
    table = np.ones(n, dtype=np.uint64)
    table[1:] = np.cumprod(np.full(n - 1, _BASE, dtype=np.uint64))
    return table


_powers = _power_table(256)


def normalize(text: str) -> str:
    """Unicode NFKC then case folding: full-width/half-width forms, ligatures,
    compatibility characters and letter case no longer distinguish texts.

    Runs of common whitespace and punctuation come out as one space (see
    ``_PLAIN_SEPARATORS``); other separators are kept, so the result still
    needs :func:`spaced_tokens` before it is hashed or tokenised.
    """
    return unicodedata.normalize("NFKC", _PLAIN_SEPARATORS.sub(" ", text)).casefold()


@functools.lru_cache(maxsize=2)  # a text's fingerprint and its MinHash sketch are made one after the other
def spaced_tokens(text: str) -> str:
    """``text`` normalised, every run of whitespace, punctuation and symbols one space: its tokens, one space
    apart, which the fingerprint (without the spaces) and the shingles are made of."""
    return _SEPARATORS.sub(" ", normalize(text)).strip()


def mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: a bijective avalanche of uint64 values (in place
    on ``x``, which is also returned)."""
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def _powers_upto(n: int) -> np.ndarray:
    global _powers
    if n > len(_powers):
        _powers = _power_table(max(n, 2 * len(_powers)))
    return _powers


def token_hashes(text: str) -> np.ndarray:
    """64-bit hashes of the tokens of ``text``, in order.

    Args:
        text: raw text; it is normalised with :func:`spaced_tokens` here.

    Returns:
        ``numpy.ndarray`` of ``uint64``, one value per token. A word hashes
        as the SplitMix64 mix of the polynomial ``sum(cp_i * B**i) mod 2**64``
        of its code points; a CJK character is a one-code-point word.
    """
    s = spaced_tokens(text)
    if not s:
        return np.empty(0, dtype=np.uint64)
    cp = np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32)
    # CJK test: position of each code point among the sorted range bounds;
    # odd positions fall inside a [lo, hi] range.
    is_cjk = (np.searchsorted(_CJK_RANGES.ravel(), cp, side="right") & 1).astype(bool)
    is_sep = cp == _SPACE
    prev_breaks = np.empty_like(is_sep)
    prev_breaks[0] = True
    prev_breaks[1:] = is_sep[:-1] | is_cjk[:-1]
    starts = ~is_sep & (is_cjk | prev_breaks)
    keep = ~is_sep
    cp, starts = cp[keep], starts[keep]
    start_idx = np.flatnonzero(starts)
    # Offset of every code point inside its token.
    token_of = np.cumsum(starts) - 1
    offset = np.arange(len(cp)) - start_idx[token_of]
    terms = (cp.astype(np.uint64) + np.uint64(1)) * _powers_upto(int(offset.max()) + 1)[offset]
    return mix64(np.add.reduceat(terms, start_idx))
