"""Agreement between extractors: trim the main text's edges that no other extractor saw.

Boilerplate that slips into the main extraction (a caption block, a byline, a
teaser list, a disclaimer) sits mostly at the start or the end of the text,
and independent extractors rarely agree on it. :func:`trim_unsupported_edges`
drops leading and trailing lines that no *witness* text contains; interior
lines are kept, since a story paragraph between two supported ones is story.

A line is supported when more than ``MIN_SUPPORT`` of its 4-token shingles
(each CJK character one token, other ``\\w+`` runs one token) occur in one
witness; a line shorter than a shingle must occur in a witness whole. When
no line is supported, or the trim would cut more than ``MAX_CUT_SHARE`` of
the text, the witnesses disagree with the main text too much to be trusted
and nothing is cut. Witnesses can be given lazily, so a
costly second extraction runs only when an edge line is in doubt.
"""

from __future__ import annotations

from typing import Callable, Iterable

from cleaners import Removal
from cleaners.shingles import SHINGLE, shared_share, shingle_bag, tokens
from cleaners.text import Cleaned

# A line is supported when more than this share of its shingles occurs in a witness.
MIN_SUPPORT = 0.5
# Never cut more than this share of the text's characters.
MAX_CUT_SHARE = 0.5


class Witness:
    """Another extractor's text, ready for support queries."""

    def __init__(self, text: str):
        found = tokens(text)
        self.bag = shingle_bag(found)
        self.joined = f" {' '.join(found)} "

    def support(self, line: str) -> float:
        """Share of ``line``'s shingles found here; a line shorter than a shingle must occur whole."""
        found = tokens(line)
        if not found:
            return 1.0
        if len(found) < SHINGLE:
            return 1.0 if f" {' '.join(found)} " in self.joined else 0.0
        return shared_share(shingle_bag(found), self.bag)


def support(line: str, witness: str) -> float:
    """Share of ``line``'s shingles found in the ``witness`` text (1.0 for a line without tokens)."""
    return Witness(witness).support(line)


def trim_unsupported_edges(lines: list[str], witnesses: Iterable[str | Callable[[], str]]) -> Cleaned:
    """Drop the leading and trailing lines that no witness supports.

    A witness may be a zero-argument callable producing the text: it is called
    only when the witnesses before it leave an edge line unsupported, so a
    costly extractor runs only on pages whose edges are in doubt.
    """
    pending = iter(witnesses)
    bags: list[Witness] = []

    def next_bag() -> bool:
        for witness in pending:
            text = witness() if callable(witness) else witness
            if text and text.strip():
                bags.append(Witness(text))
                return True
        return False

    def supported(line: str) -> bool:
        if any(bag.support(line) > MIN_SUPPORT for bag in bags):
            return True
        while next_bag():
            if bags[-1].support(line) > MIN_SUPPORT:
                return True
        return False

    if not lines:
        return Cleaned([])
    start, end = 0, len(lines)
    while start < end and not supported(lines[start]):
        start += 1
    while end > start and not supported(lines[end - 1]):
        end -= 1
    if start == end or not bags:
        return Cleaned(list(lines))
    cut = lines[:start] + lines[end:]
    if sum(map(len, cut)) > MAX_CUT_SHARE * sum(map(len, lines)):
        return Cleaned(list(lines))
    reason = "edge line no other extractor found"
    return Cleaned(lines[start:end], [Removal("extractor_agreement", reason, line) for line in cut])
