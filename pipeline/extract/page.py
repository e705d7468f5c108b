"""The one decode -> extract -> clean path, under the per-page time limit."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from pipeline.core.config import SiteConfig
from pipeline.core.items import Article, PageItem
from pipeline.core.kinds import ErrorKind
from pipeline.core.urls import UrlRules
from pipeline.extract.article import extract_article
from pipeline.extract.decode import decode_html
from pipeline.extract.timeout import TimeLimitExceeded, time_limit


class ExtractionError(Exception):
    """A page that gave no article; ``kind`` says why (the error kind counted for it)."""

    kind = ErrorKind.EXTRACT_FAILED


class ExtractionTimeout(ExtractionError):
    kind = ErrorKind.EXTRACT_TIMEOUT


class NoText(ExtractionError):
    """Extraction worked but left no text; ``article`` still shows the removals that emptied it."""

    kind = ErrorKind.NO_TEXT

    def __init__(self, message: str, article: Article):
        super().__init__(message, article)
        self.article = article

    def __str__(self) -> str:
        return self.args[0]


def extract_page(page: PageItem, site: SiteConfig, urls: UrlRules, timeout: float) -> Article:
    """Decode ``page`` with the site's rules, extract and clean it within ``timeout`` seconds (0: no limit).

    The article's canonical link is kept only when it names an article of the
    site (see :meth:`UrlRules.canonical_link`). Raises :class:`ExtractionTimeout`,
    :class:`NoText` or :class:`ExtractionError`; never anything else, so one
    hostile page cannot stop a crawl.
    """
    try:
        with time_limit(timeout):
            html, _ = decode_html(page.body, page.content_type, site.encoding)
            article = extract_article(html, page.url, site=site, fetched_at=datetime.fromisoformat(page.fetched_at),
                                      date_hint=page.date_hint)
    except TimeLimitExceeded:
        raise ExtractionTimeout(f"extraction took over {timeout}s: {page.url}") from None
    except Exception as exc:
        raise ExtractionError(f"extraction failed on {page.url}: {exc!r}") from None
    if not article.text.strip():
        raise NoText(f"no article text found: {page.url}", article)
    return dataclasses.replace(article, canonical_url=urls.canonical_link(article.canonical_url, site))
