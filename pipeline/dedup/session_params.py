"""Per-visit query parameters (session IDs, cache-busters): recognised from exact copies, then dropped.

A site that puts a new ``?sid=`` into every link on every render makes every
link a new URL, so the same five stories are fetched again and again, every
night. The evidence is what dedup already finds: an exact copy (same text
fingerprint) of a stored article under a URL that differs from the stored
article's URL only in the value of one query parameter. That parameter is
recorded as per-visit for the site once this has been seen on
``EVIDENCE_ARTICLES`` different articles whose URLs without it differ:

- Dropping a parameter that selects content loses articles silently, and for
  good (the dropped URL is never requested); not dropping a per-visit one costs
  fetches, bounded by the crawl's limits. So the rule leans to keeping.
- More than one article: one story served the same under ``?page=1`` and
  ``?page=2`` (a short story without a second page) is chance, and ``page``
  may select the pages of longer ones; two stories agreeing is the site's rule.
  Session IDs give the evidence on every story of the second render at once,
  so asking for two costs nothing there.
- URLs without the parameter must differ: when ``/article.php?id=7`` and
  ``?id=07`` carry the same story, ``id`` still selects the story (without it
  every article would be ``/article.php``), however many stories show it.

Once recorded, the parameter is taken out of the site's stored article URLs
(so the next night knows them under the URL it will request) and out of every
page ingested after (requests already on their way when it was found).
"""

from __future__ import annotations

import dataclasses
import logging
from collections import defaultdict

from pipeline.core.items import PageItem
from pipeline.core.urls import differing_param, without_params
from pipeline.store import Store

logger = logging.getLogger(__name__)

EVIDENCE_ARTICLES = 2


class SessionParams:
    """The per-visit parameters of each site: those on record, and this run's evidence for new ones."""

    def __init__(self, store: Store):
        self.store = store
        self.known: dict[str, set[str]] = store.session_params()
        # (site, param) -> {article URL without param: (stored URL, URL of the copy)}
        self._evidence: dict[tuple[str, str], dict[str, tuple[str, str]]] = defaultdict(dict)

    def clean(self, page: PageItem) -> PageItem:
        """``page`` under its URLs without the site's per-visit parameters."""
        names = self.known.get(page.site)
        if not names:
            return page
        return dataclasses.replace(page, url=without_params(page.url, names),
                                   redirected_from=tuple(without_params(u, names) for u in page.redirected_from))

    def observe(self, site: str, copy_url: str, stored_url: str, run_id: int) -> str | None:
        """An exact copy of the article stored at ``stored_url`` was fetched from ``copy_url``: return
        the parameter this proves per-visit for ``site`` (now recorded), or None."""
        param = differing_param(copy_url, stored_url)
        if param is None or param in self.known.get(site, ()):
            return None
        evidence = self._evidence[site, param]
        evidence.setdefault(without_params(stored_url, {param}), (stored_url, copy_url))
        if len(evidence) < EVIDENCE_ARTICLES:
            return None
        self.known.setdefault(site, set()).add(param)
        self.store.add_session_param(site, param, run_id, [url for pair in evidence.values() for url in pair])
        moved = self._strip_stored(site, param)
        self.store.commit()  # the crawl's seen-URL check reads the database through its own connection
        logger.warning("%s: query parameter %r is per-visit (same text under URLs differing only in it): "
                       "dropped from now on; %d stored URLs shortened", site, param, moved)
        return param

    def _strip_stored(self, site: str, param: str) -> int:
        """Take ``param`` out of the site's stored article URLs, unless the shorter URL is already on record."""
        moved = 0
        for article_id, url in self.store.site_article_urls(site, param):
            short = without_params(url, {param})
            if short != url and self.store.article_at(short) is None and self.store.duplicate_target(short) is None:
                self.store.move_article_url(article_id, url, short)
                moved += 1
        return moved
