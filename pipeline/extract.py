"""Turn one article page into clean text and metadata.

The single entry point for the extract and clean stages; the crawl, ``reclean``
and ``newsrake extract`` all call :func:`extract_article`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import trafilatura


@dataclass
class Article:
    title: str | None = None
    author: str | None = None
    published_at: str | None = None  # ISO 8601, date-only when the source gives only a date
    lang: str | None = None
    text: str = ""  # one paragraph per line
    canonical_url: str | None = None  # from <link rel=canonical> / og:url, as found on the page
    removals: list = field(default_factory=list)  # cleaners.Removal records
    meta: dict = field(default_factory=dict)  # editor, source, original_title, ...


def extract_article(html: str, url: str, *, site=None, fetched_at: datetime | None = None,
                    date_hint: str | None = None) -> Article:
    """Extract and clean ``html`` fetched from ``url``.

    ``site`` is the SiteConfig (per-site drop_selectors / drop_patterns),
    ``fetched_at`` anchors relative dates, ``date_hint`` is the date shown by
    the feed item or list page that linked here.
    """
    doc = trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=True)
    if doc is None:
        return Article()
    return Article(
        title=doc.title, author=doc.author, published_at=doc.date or date_hint,
        lang=doc.language, text=doc.text or "", canonical_url=None,
    )
