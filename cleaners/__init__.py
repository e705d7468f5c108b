"""Boilerplate cleaners: HTML-level before extraction, text-level after.

Every cleaner is small, named and reports what it removed and why as
:class:`Removal` records, which the pipeline stores next to the article.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Removal:
    """One piece of a page a cleaner removed: which cleaner, why, and the text."""

    cleaner: str
    reason: str
    text: str
