"""Catastrophic backtracking in the site config's regexes, found before the crawl starts.

Python's ``re`` backtracks: a repeat whose body can match one text in more
than one way (``(a+)+``, ``(\\d+,?)+``, ``(a|ab)*``) takes exponential time on
a long text it does not match, and a user regex runs in the crawl's main
thread. Hand-written because no library of the crawl's dependencies checks
this: it walks the parse tree ``re`` itself compiles from (``re._parser``)
and compares, inside every repeat, the characters a variable repeat can take
with the characters that may follow it (the next iteration included), and the
first characters of alternatives. Characters are compared on a probe alphabet
(ASCII and a few non-ASCII letters, digits and spaces), which is enough for
URL and text-line patterns.
"""

from __future__ import annotations

import re
from re import _constants as sre
from re import _parser

PROBES = frozenset(map(chr, range(128))) | frozenset("éß中я\u00a0\u3000٣")
_CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
               sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W"}
CATEGORY_CHARS = {cat: frozenset(c for c in PROBES if re.fullmatch(rx, c)) for cat, rx in _CATEGORIES.items()}
REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)


class Backtracking(ValueError):
    """The pattern can backtrack exponentially; the message says where."""


def _cased(code: int) -> set[str]:
    c = chr(code)
    return {c, c.lower(), c.upper()}  # case-insensitive flags are not tracked: both cases, to be safe


def _class_chars(items) -> frozenset[str]:
    chars, negate = set(), False
    for op, av in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            chars |= _cased(av)
        elif op is sre.RANGE:
            chars |= {c for c in PROBES if av[0] <= ord(c) <= av[1]}
        elif op is sre.CATEGORY:
            chars |= CATEGORY_CHARS.get(av, PROBES)
        else:
            chars |= PROBES
    return PROBES - chars if negate else frozenset(chars)


def _first_item(op, av) -> tuple[frozenset[str], bool]:
    """The characters ``(op, av)`` can start with, and whether it can match the empty string."""
    if op is sre.LITERAL:
        return frozenset(_cased(av)), False
    if op is sre.NOT_LITERAL:
        return PROBES - {chr(av)}, False
    if op is sre.ANY:
        return PROBES, False
    if op is sre.IN:
        return _class_chars(av), False
    if op in REPEATS:
        chars, nullable = first(av[2])
        return chars, nullable or av[0] == 0
    if op is sre.SUBPATTERN:
        return first(av[3])
    if op is sre.ATOMIC_GROUP:
        return first(av)
    if op is sre.BRANCH:
        parts = [first(alt) for alt in av[1]]
        return frozenset().union(*(c for c, _ in parts)), any(n for _, n in parts)
    if op in ZERO_WIDTH:
        return frozenset(), True
    return PROBES, True  # back-references and conditionals: anything


def first(seq) -> tuple[frozenset[str], bool]:
    """The characters a sequence of parse-tree items can start with, and whether it can match nothing."""
    chars = frozenset()
    for op, av in seq:
        item_chars, nullable = _first_item(op, av)
        chars |= item_chars
        if not nullable:
            return chars, False
    return chars, True


def _walk(seq, follow: frozenset[str], in_repeat: bool) -> None:
    """Raise Backtracking for an ambiguous repeat or alternation in ``seq``; ``follow``: what may come next."""
    items = list(seq)
    for i, (op, av) in enumerate(items):
        rest, rest_nullable = first(items[i + 1:])
        after = rest | follow if rest_nullable else rest
        if op in REPEATS:
            lo, hi, body = av
            body_first, _ = first(body)
            if in_repeat and lo < hi and op is not sre.POSSESSIVE_REPEAT and body_first & after:
                raise Backtracking("a variable repeat inside a repeat can take the characters that follow it")
            repeating = hi > 1
            _walk(body, body_first | after if repeating else after, in_repeat or repeating)
        elif op is sre.BRANCH:
            alternatives = [first(alt) for alt in av[1]]
            if in_repeat:
                if any(nullable for _, nullable in alternatives):
                    raise Backtracking("an alternative inside a repeat can match the empty string")
                for j, (chars, _) in enumerate(alternatives):
                    if any(chars & other for other, _ in alternatives[j + 1:]):
                        raise Backtracking("alternatives inside a repeat can start with the same character")
            for alt in av[1]:
                _walk(alt, after, in_repeat)
        elif op is sre.SUBPATTERN:
            _walk(av[3], after, in_repeat)
        elif op is sre.ATOMIC_GROUP:
            _walk(av, after, in_repeat)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            _walk(av[1], frozenset(), in_repeat)


def check(pattern: str) -> None:
    """Raise :class:`Backtracking` if ``pattern`` (already known to compile) can backtrack exponentially."""
    _walk(_parser.parse(pattern), frozenset(), in_repeat=False)
