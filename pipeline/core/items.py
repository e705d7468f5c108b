"""The data passed between stages, as declared types (Scrapy accepts dataclass items).

spider --PageItem--> extract --ExtractedPage--> dedup + store --StoredArticle--> feeds
Each stage returns a new object; none is reshaped in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PageItem:
    """An article page as fetched: what the spider yields."""

    site: str
    url: str  # canonical form of the URL the page was fetched from (after redirects)
    body: bytes = field(repr=False)  # a dropped item's log line must not carry the whole page
    fetched_at: str  # ISO 8601 UTC
    content_type: str | None = None
    date_hint: str | None = None  # the date the linking feed, sitemap or list page showed
    redirected_from: tuple[str, ...] = ()  # canonical URLs that redirected here


@dataclass(frozen=True)
class Article:
    """The clean text and metadata extracted from one page."""

    title: str | None = None
    author: str | None = None
    published_at: str | None = None  # ISO 8601, date-only when the source gives only a date
    date_source: str | None = None  # how published_at was found (cleaners.dates.SOURCES)
    lang: str | None = None
    text: str = ""  # one paragraph per line
    canonical_url: str | None = None  # the page's rel=canonical / og:url, when it names an article of the site
    removals: tuple = ()  # cleaners.Removal records
    meta: dict = field(default_factory=dict)  # editor, source, original_title


@dataclass(frozen=True)
class ExtractedPage:
    """A page and the article extracted from it: what the extract stage passes on.

    Made in an extraction worker, it carries the per-page work done there so the crawl process need not:
    the dedup sketch and the compressed page (``page.body`` is then empty: the page does not travel back).
    """

    page: PageItem
    article: Article
    sketch: tuple | None = None  # (fingerprint, MinHash signature) of article.text, when made upstream
    html_zlib: bytes | None = field(default=None, repr=False)  # page.body as the pages table keeps it, when made upstream


@dataclass(frozen=True)
class StoredArticle:
    """What the store stage did with a page: the article row it stored, updated or matched.

    The item the crawl finally yields, so ``scrapy crawl news -O items.jsonl`` writes articles.
    """

    id: int  # the articles row (for a duplicate: the article it duplicates)
    url: str
    site: str
    outcome: str  # stored | updated | unchanged | duplicate
    title: str | None
    published_at: str | None
    date_source: str | None
    author: str | None
    lang: str | None
    text: str
    duplicate_kind: str | None = None  # url | exact | near, for duplicates
    similarity: float | None = None
