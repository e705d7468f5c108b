"""Ground truth for every article URL the demo web links to.

Built from the same catalog the pages are rendered from, so it cannot drift.
Keys are "site:path" with the path exactly as linked (query or fragment kept).
"""

from __future__ import annotations

from demo.catalog import ARTICLES, HARD_NEGATIVES
from demo.web import chrome


def _flatten(values) -> list[str]:
    out = []
    for value in values:
        out.extend(_flatten(value) if isinstance(value, list) else [value])
    return out


def truth() -> dict[str, dict]:
    """{"site:path": {title, published_at, paragraphs, boilerplate, duplicate_of, duplicate_kind}}."""
    return {
        a.key: {
            "title": a.title,
            "published_at": a.published_at,
            "paragraphs": list(a.paragraphs),
            "boilerplate": _flatten(chrome(a).values()),
            "duplicate_of": a.duplicate_of,
            "duplicate_kind": a.duplicate_kind,
        }
        for a in ARTICLES
    }


def hard_negatives() -> list[tuple[str, str]]:
    """Pairs of truth keys built from one template with different facts: NOT duplicates."""
    return list(HARD_NEGATIVES)
