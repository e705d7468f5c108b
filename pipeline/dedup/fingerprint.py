"""Exact-duplicate fingerprint of an article's clean text."""

from __future__ import annotations

import hashlib

from .tokens import spaced_tokens

__all__ = ["content_hash"]


def content_hash(text: str) -> str:
    """Fingerprint of ``text`` that ignores formatting differences.

    The text is normalised (Unicode NFKC, case folding) and every whitespace,
    punctuation and symbol character is dropped before hashing, so re-flowed
    paragraphs, full-width vs half-width forms, curly vs straight quotes and
    changed letter case all give the same value, while any change to a word,
    number or CJK character gives a different one.

    Dropping separators entirely (rather than collapsing them to one space)
    also makes ``"new york"`` and ``"newyork"`` equal; on whole articles such a
    collision between genuinely different texts is not a practical concern,
    and it makes the hash indifferent to spaces inserted between CJK
    characters.

    Args:
        text: the clean article text.

    Returns:
        32 hex characters (BLAKE2b, 128-bit digest). Stable across processes
        and Python versions, so it can be stored and indexed. Every text
        without any word character (e.g. ``""``) has the same hash.
    """
    key = spaced_tokens(text).replace(" ", "").encode("utf-8")
    return hashlib.blake2b(key, digest_size=16).hexdigest()
