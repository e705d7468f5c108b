"""Tokens and 4-token shingles of a text: how the cleaners tell that one text holds another's lines.

A token is one CJK character or one run of other word characters; a shingle is
four tokens in a row, so a line is "in" a text when most of its shingles are.
"""

from __future__ import annotations

import re
from collections import Counter

from cleaners.patterns import CJK_CHARS

TOKEN = re.compile(rf"[{CJK_CHARS}]|[^\W{CJK_CHARS}]+")
SHINGLE = 4


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text or "")


def shingle_bag(found: list[str]) -> Counter:
    """The shingles of a token list, with their counts (none for fewer than ``SHINGLE`` tokens)."""
    return Counter(zip(*(found[i:] for i in range(SHINGLE))))  # zip: the tuples built in C, not in a generator


def shared_share(own: Counter, bag: Counter) -> float:
    """Share of the shingles in ``own`` that ``bag`` holds too (counts matter)."""
    return sum(min(count, bag[shingle]) for shingle, count in own.items()) / sum(own.values())
