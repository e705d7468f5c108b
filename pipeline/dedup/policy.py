"""The dedup policy: decide what a cleaned article is, then have the store write it.

A page is, in this order: a correction of an article already stored under its
URL; a URL-level duplicate (its ``rel=canonical`` names a stored article); an
exact copy (same normalised-text fingerprint); a near duplicate (MinHash/LSH,
estimated Jaccard >= threshold, re-checked near it); or a new article.
Duplicates always point at a row of ``articles``, never at another duplicate.
An exact copy under a URL that differs from the stored one in one query
parameter is evidence that the parameter is per-visit (:mod:`.session_params`).
Used by the crawl's store pipeline and by ``newsrake reclean``.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

from pipeline.core.items import Article, PageItem
from pipeline.dedup.fingerprint import content_hash
from pipeline.dedup.lsh import LSHIndex
from pipeline.dedup.minhash import MinHasher
from pipeline.dedup.params import derive
from pipeline.dedup.session_params import SessionParams
from pipeline.dedup.verify import verified_match
from pipeline.store import Store, page_compressed, utcnow

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    action: str  # stored | updated | unchanged | duplicate
    article_id: int
    kind: str | None = None  # url | exact | near, for duplicates
    similarity: float | None = None
    redirects: int = 0  # URLs that redirected here, newly recorded as URL-level duplicates
    session_param: str | None = None  # a query parameter this copy proved per-visit for its site


def sketcher(threshold: float) -> MinHasher:
    """The MinHasher for ``threshold``'s LSH parameters: the writer's and every sketch made for it agree."""
    params = derive(threshold)
    return MinHasher(num_perm=params.num_perm, shingle=params.shingle, seed=params.seed)


def text_sketch(hasher: MinHasher, text: str) -> tuple:
    """What dedup computes of a text before looking anything up: (fingerprint, MinHash signature)."""
    return content_hash(text), hasher.sketch(text)


class Deduplicator:
    """Dedup and store articles into one :class:`Store`, with the LSH index for ``threshold``."""

    def __init__(self, store: Store, threshold: float = 0.8):
        self.store = store
        self.hasher = sketcher(threshold)
        self.index = LSHIndex(store.conn, derive(threshold))
        self.session_params = SessionParams(store)
        if self.index.needs_rebuild():  # built for another threshold: never mix two banding schemes
            logger.warning("rebuilding the near-duplicate index for threshold %s", threshold)
            with store.db.atomic():
                n = self.index.rebuild(self.hasher.sketch, self.index.tables.texts())
            logger.warning("near-duplicate index rebuilt: %d articles", n)
        else:
            self.index.mark_built()

    def ingest(self, page: PageItem, article: Article, run_id: int, sketch: tuple | None = None,
               html_zlib: bytes | None = None) -> Outcome:
        """Store ``article`` (cleaned from ``page``) or record it as a duplicate; ``sketch``: its
        :func:`text_sketch` and ``html_zlib``: the page compressed, when made elsewhere (an extraction
        worker), else computed here.

        URLs that redirected to the page are recorded as URL-level duplicates
        of the result, so later nights skip them without a request. The site's
        per-visit parameters are not part of any URL stored.
        """
        page = self.session_params.clean(page)
        outcome = self._ingest(page, article, run_id, sketch, html_zlib)
        recorded = sum(self._record_duplicate(source, page.site, page.fetched_at, article, outcome.article_id,
                                              "url", 1.0, run_id)
                       for source in page.redirected_from if source != page.url)
        return dataclasses.replace(outcome, redirects=recorded)

    def _ingest(self, page: PageItem, article: Article, run_id: int, sketch: tuple | None,
                html_zlib: bytes | None) -> Outcome:
        url = page.url
        digest, signature = sketch or (content_hash(article.text), None)
        existing = self.store.article_at(url)
        if existing is not None:
            return self._correct(existing, page, article, digest, run_id, html_zlib)
        canonical = article.canonical_url or url
        if canonical != url and (target := self.store.article_id_for_url(canonical)) is not None:
            if self._same_story(target, article.text, digest):
                return self._copy(page, article, target, digest, "url", run_id)
            canonical = url  # a canonical link shared by different stories (a site-wide one) is not honoured
        if (target := self.store.article_with_hash(digest)) is not None:
            return self._copy(page, article, target, digest, "exact", run_id)
        if signature is None:
            signature = self.hasher.sketch(article.text)
        if match := self._near(article.text, signature):
            return self._duplicate(page, article, match.article_id, "near", match.similarity, run_id)
        article_id = self.store.insert_article(
            {"url": url, "canonical_url": canonical, "site": page.site, **_content(article, digest),
             "fetched_at": page.fetched_at, "run_id": run_id})
        self.store.add_removals(article_id, article.removals)
        self.index.add(article_id, signature)
        self._save_page(page, html_zlib)
        return Outcome("stored", article_id)

    def record_aliases(self, aliases: dict, run_id: int) -> list[str]:
        """Record tracking-parameter disguises of stored URLs as URL-level duplicates.

        ``aliases`` maps a canonical article URL to the ``(site, url)`` forms it
        was linked under. They were never fetched (the canonical form was), so
        they are recorded once the run knows what the canonical URL holds.
        Returns the site of each alias recorded.
        """
        recorded = []
        for canonical, variants in aliases.items():
            # Fetched under that URL, not merely named by another page's canonical link.
            target = self.store.article_at(canonical) or self.store.duplicate_target(canonical)
            if target is None:
                continue
            for site, url in sorted(variants):
                if self.store.insert_duplicate({"url": url, "site": site, "article_id": target, "kind": "url",
                                                "similarity": 1.0, "fetched_at": utcnow(), "run_id": run_id}):
                    recorded.append(site)
        return recorded

    def reingest(self, article_id: int, article: Article, run_id: int) -> Outcome:
        """Re-cleaned stored article: update it, or demote it to a duplicate of an older article
        that its new text now matches."""
        digest = content_hash(article.text)
        stored = self.store.article(article_id)
        if stored["content_hash"] == digest:
            if all(stored[column] == value for column, value in _content(article, digest).items()):
                return Outcome("unchanged", article_id)  # same text and same metadata (author, date, ...)
            self._update(article_id, article, digest, run_id)
            return Outcome("updated", article_id)
        self.index.remove(article_id)
        signature = self.hasher.sketch(article.text)
        target = self.store.article_with_hash(digest, exclude=article_id)
        similarity = 1.0
        if target is None and (match := self._near(article.text, signature)):
            target, similarity = match.article_id, match.similarity
        if target is not None:
            kind = "exact" if similarity == 1.0 else "near"
            self.store.demote_article(article_id, target, kind, similarity, run_id)
            return Outcome("duplicate", target, kind, similarity)
        self._update(article_id, article, digest, run_id)
        self.index.add(article_id, signature)
        return Outcome("updated", article_id)

    def _update(self, article_id: int, article: Article, digest: str, run_id: int) -> None:
        self.store.update_article(article_id, {**_content(article, digest), "updated_at": utcnow()}, run_id)
        self.store.add_removals(article_id, article.removals)

    def _same_story(self, article_id: int, text: str, digest: str) -> bool:
        stored = self.store.article(article_id)
        return stored["content_hash"] == digest or self.hasher.jaccard(text, stored["text"]) >= self.index.threshold

    def _near(self, text: str, signature):
        return verified_match(self.index, self.hasher, text, signature, lambda i: self.store.article(i)["text"])

    def _correct(self, article_id: int, page: PageItem, article: Article, digest: str, run_id: int,
                 html_zlib: bytes | None) -> Outcome:
        """Re-fetched article: update in place (history kept) when its clean text changed."""
        if self.store.article(article_id)["content_hash"] == digest:
            return Outcome("unchanged", article_id)
        self._update(article_id, article, digest, run_id)
        self.index.add(article_id, self.hasher.sketch(article.text))
        self._save_page(page, html_zlib)
        return Outcome("updated", article_id)

    def _copy(self, page: PageItem, article: Article, target: int, digest: str, kind: str, run_id: int) -> Outcome:
        """A duplicate with similarity 1; when its text is the stored one exactly, also evidence of a
        per-visit parameter in its URL."""
        stored = self.store.article(target)
        found = (self.session_params.observe(page.site, page.url, stored["url"], run_id)
                 if stored["content_hash"] == digest else None)
        return dataclasses.replace(self._duplicate(page, article, target, kind, 1.0, run_id), session_param=found)

    def _duplicate(self, page: PageItem, article: Article, target, kind, similarity, run_id) -> Outcome:
        self._record_duplicate(page.url, page.site, page.fetched_at, article, target, kind, similarity, run_id)
        return Outcome("duplicate", target, kind, similarity)

    def _record_duplicate(self, url, site, fetched_at, article, target, kind, similarity, run_id) -> bool:
        return self.store.insert_duplicate({
            "url": url, "site": site, "article_id": target, "kind": kind, "similarity": round(similarity, 4),
            "title": article.title, "fetched_at": fetched_at, "run_id": run_id})

    def _save_page(self, page: PageItem, html_zlib: bytes | None) -> None:
        self.store.save_page(page.url, page.site, page.fetched_at, page.content_type,
                             html_zlib or page_compressed(page.body), page.date_hint)


def _content(article: Article, digest: str) -> dict:
    meta = article.meta or {}
    return {
        "title": article.title, "author": article.author, "published_at": article.published_at,
        "date_source": article.date_source, "lang": article.lang, "text": article.text, "content_hash": digest,
        "editor": meta.get("editor"), "source": meta.get("source"), "original_title": meta.get("original_title"),
    }
