"""Turn one decoded article page into clean text and metadata.

:func:`extract_article` is the extract and clean stages on one HTML string;
the crawl, ``reclean`` and ``newsrake extract`` reach it through
:func:`pipeline.extract.extract_page`, which adds decoding and the time limit.

The page is parsed once. Metadata (title candidates, canonical URL, dates) is
read from the untouched tree; then the HTML cleaners prune it in place,
trafilatura extracts the main text from it, and the text cleaners finish.
Finally the text's leading and trailing lines that neither of two other
extractors (trafilatura's readability port, then, only if needed,
trafilatura in precision mode) found on the pruned page are cut
(:mod:`cleaners.agreement`).
"""

from __future__ import annotations

import re
from copy import copy
from datetime import datetime
from urllib.parse import urljoin

import trafilatura
from trafilatura.external import try_readability
from trafilatura.utils import load_html

from cleaners import dates, patterns
from cleaners.agreement import trim_unsupported_edges
from cleaners.html import clean_html, text_of
from cleaners.text import clean_text, source_in_meta_line
from cleaners.title import clean_title
from pipeline.core.items import Article

# A text is Chinese when CJK characters make up this share of its letters.
CJK_SHARE_FOR_ZH = 0.3
LATIN = re.compile(r"[A-Za-z]")
DATE_LINE_MARK = re.compile(r"date|time|pub|info|meta|byline|source|author|post", re.I)
# Where the date line is looked for: the first elements with a class or id after the headline.
DATE_LINE_AFTER_HEADLINE = "(//h1)[1]/following::*[@class or @id][position() <= 120]"
DATE_LINE_ANYWHERE = "(//body//*[@class or @id])[position() <= 300]"
MAX_DATE_LINE = 150
# The fast extraction (no fallback) is redone with trafilatura's own fallbacks
# (readability, justext) when it is empty or readability finds this many times more text.
FALLBACK_RATIO = 2


def _first(tree, xpath: str) -> str | None:
    for value in tree.xpath(xpath):
        value = value.strip() if isinstance(value, str) else text_of(value)
        if value:
            return value
    return None


def _meta_content(tree, *keys: str) -> str | None:
    for key in keys:
        value = _first(tree, f"//meta[@property='{key}' or @name='{key}']/@content")
        if value:
            return value
    return None


def canonical_url(tree, url: str) -> str | None:
    """<link rel=canonical> or og:url, made absolute against ``url``."""
    found = _first(tree, "//link[@href][contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href")
    found = found or _meta_content(tree, "og:url")
    return urljoin(url, found) if found else None


def detect_lang(tree, text: str) -> str | None:
    """"zh" when the text is largely CJK, else the page's declared language, else "en" for Latin text."""
    cjk = len(patterns.CJK.findall(text))
    latin = len(LATIN.findall(text))
    if cjk + latin == 0:
        return None
    if cjk >= CJK_SHARE_FOR_ZH * (cjk + latin):
        return "zh"
    declared = _first(tree, "/html/@lang") or _meta_content(tree, "og:locale", "language", "content-language")
    if declared and not declared.lower().startswith("zh"):
        return declared.split("-")[0].split("_")[0].lower()
    return "en"


def date_lines(tree) -> list[str]:
    """Short texts of date/meta-looking blocks after the headline: the page's visible date line."""
    lines = []
    for element in tree.xpath(DATE_LINE_AFTER_HEADLINE) or tree.xpath(DATE_LINE_ANYWHERE):
        if DATE_LINE_MARK.search(f"{element.get('class', '')} {element.get('id', '')}"):
            text = text_of(element)
            if text and len(text) <= MAX_DATE_LINE:
                lines.append(text)
    return lines


def _text(doc) -> str:
    return doc.text if doc is not None and doc.text else ""


def readability_text(tree) -> str:
    """The text trafilatura's readability port finds in (a copy of) ``tree``, one block a line."""
    summary = try_readability(copy(tree))
    return "\n".join(piece.strip() for piece in summary.itertext() if piece.strip())


def precise_text(tree, url: str) -> str:
    """trafilatura's precision-mode text of ``tree`` (no fallbacks)."""
    return _text(trafilatura.bare_extraction(tree, url=url, include_comments=False, fast=True,
                                             favor_precision=True))


def main_text(tree, url: str) -> tuple[str, str]:
    """The main text of the pruned ``tree``, and readability's text of it to check it against.

    trafilatura runs without its fallbacks first; only when that text is empty
    or much shorter than readability's is the full trafilatura run (which may
    choose readability's or justext's text) done as well.
    """
    text = _text(trafilatura.bare_extraction(tree, url=url, include_comments=False, fast=True))
    readable = readability_text(tree)
    if not text or len(readable) > FALLBACK_RATIO * len(text):
        text = _text(trafilatura.bare_extraction(tree, url=url, include_comments=False))
    return text, readable


def extract_article(html: str, url: str, *, site=None, fetched_at: datetime | None = None,
                    date_hint: str | None = None) -> Article:
    """Extract and clean ``html`` fetched from ``url``.

    ``site`` is the SiteConfig (per-site drop_selectors / drop_patterns),
    ``fetched_at`` anchors relative dates, ``date_hint`` is the date shown by
    the feed item or list page that linked here.
    """
    tree = load_html(html) if html else None
    if tree is None:
        return Article()
    h1 = _first(tree, "//h1")
    title, title_removals = clean_title(
        _first(tree, "//title"), h1=h1, og_title=_meta_content(tree, "og:title"),
        url=url, site_name=_meta_content(tree, "og:site_name"))
    page_metadata = dates.metadata_dates(tree)
    visible_dates = date_lines(tree)
    author = _meta_content(tree, "author", "article:author", "byl")
    page_canonical = canonical_url(tree, url)

    removals = [*title_removals, *clean_html(tree, site)]
    text, readable = main_text(tree, url)
    cleaned = clean_text(text, site, headlines=(title, h1))
    # The precision-mode pass runs only when readability leaves an edge line unsupported.
    trimmed = trim_unsupported_edges(cleaned.lines, [readable, lambda: precise_text(tree, url)])
    removals += cleaned.removals + trimmed.removals
    meta = dict(cleaned.meta)
    for line in visible_dates:  # "2023-03-04 17:05 来源:新华网" above the story
        for key, value in source_in_meta_line(line).items():
            meta.setdefault(key, value)
    meta_lines = [r.text for r in cleaned.removals if r.cleaner == "post_meta"]
    published_at = dates.find_published_at(
        metadata=page_metadata, date_lines=visible_dates + meta_lines, date_hint=date_hint,
        fetched_at=fetched_at)
    body = "\n".join(trimmed.lines)
    return Article(title=title or None, author=author, published_at=published_at,
                   lang=detect_lang(tree, body or title or ""), text=body, canonical_url=page_canonical,
                   removals=tuple(removals), meta=meta)
