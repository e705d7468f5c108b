"""Re-run the extract, clean and dedup stages on stored raw HTML, without fetching.

After cleaning rules change, ``newsrake reclean`` brings every stored article
up to date: changed text is updated in place (the old text goes to
article_history), and an article whose new text now matches an older one
becomes its duplicate. The same :func:`~pipeline.extract.extract_page` as the
crawl, under the same time limit. See docs/architecture.md.
"""

from __future__ import annotations

import logging
import tomllib
from collections import Counter

from pipeline.core import counters
from pipeline.core.config import SiteConfig, parse_config
from pipeline.core.items import PageItem
from pipeline.core.kinds import ErrorKind
from pipeline.core.urls import UrlRules
from pipeline.dedup import Deduplicator
from pipeline.extract import ExtractionError, ExtractionTimeout, NoText, extract_page
from pipeline.store import Store, page_body, queries

logger = logging.getLogger("newsrake.reclean")

# What reclean counts for a page that keeps its stored text, by the extraction error that kept it.
KEPT = {NoText: ErrorKind.NO_TEXT, ExtractionTimeout: ErrorKind.EXTRACT_TIMEOUT,
        ExtractionError: ErrorKind.EXTRACT_FAILED}


def sites_from_last_run(store: Store) -> dict[str, SiteConfig]:
    """The site rules of the most recent crawl that recorded its config."""
    row = queries.last_config(store.conn)
    if not row:
        return {}
    return {s.name: s for s in parse_config(tomllib.loads(row[0]), row[1] or "<stored config>")}


def reclean(store: Store, sites: dict[str, SiteConfig], urls: UrlRules, *, site: str | None = None,
            threshold: float = 0.8, timeout: float = 10.0, batch_size: int = 200) -> Counter:
    """Re-clean stored articles (of one ``site`` or all); return counts by outcome.

    Pages are read one at a time; a page whose extraction fails or exceeds
    ``timeout`` seconds keeps its stored text and is counted, never fatal (per
    site as an error of its kind, in the run's ``site_runs`` rows).
    """
    dedup = Deduplicator(store, threshold)
    run_id = store.start_run(None, None, kind="reclean")
    outcomes: Counter = Counter()
    site_counters: dict[str, Counter] = {}
    status = "failed"
    try:
        for n, article_id in enumerate(queries.article_ids(store.conn, site), 1):
            page_site, outcome = _reclean_one(store, dedup, sites, urls, article_id, run_id, timeout)
            outcomes[outcome] += 1
            if page_site is not None:
                errors = site_counters.setdefault(page_site, Counter())
                if outcome in KEPT.values():
                    errors[counters.ERROR_PREFIX + outcome] += 1
            if n % batch_size == 0:
                store.commit()
        status = "completed"
    finally:
        store.commit()
        store.finish_run(run_id, status, {"updated": outcomes["updated"]}, site_counters)
    return outcomes


def _reclean_one(store: Store, dedup: Deduplicator, sites, urls: UrlRules, article_id: int, run_id: int,
                 timeout: float) -> tuple[str | None, str]:
    """``(site, outcome)`` of one article (no site: its page was not kept)."""
    row = queries.stored_page(store.conn, article_id)
    if row is None:
        return None, "no_page"
    page = PageItem(site=row["site"], url=row["url"], body=page_body(row["html_zlib"]), fetched_at=row["fetched_at"],
                    content_type=row["content_type"], date_hint=row["date_hint"])
    try:
        article = extract_page(page, sites.get(page.site) or SiteConfig(name=page.site), urls, timeout)
    except ExtractionError as exc:  # keep the stored text rather than lose the article
        logger.warning("%s: article %d kept as it was: %s", page.site, article_id, exc)
        return page.site, KEPT[type(exc)]
    return page.site, dedup.reingest(article_id, article, run_id).action
