"""Re-run extraction, cleaning and dedup on stored raw HTML, without fetching.

After cleaning rules change, ``newsrake reclean`` brings every stored article
up to date: changed text is updated in place (the old text goes to
article_history), and an article whose new text now matches an older one
becomes its duplicate.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from datetime import datetime

from pipeline.config import SiteConfig, parse_config
from pipeline.decode import decode_html
from pipeline.ingest import Ingestor
from pipeline.store import Store, page_body
from pipeline.workers import extract_limited


def sites_from_last_run(store: Store) -> dict[str, SiteConfig]:
    """The site rules of the most recent crawl that recorded its config."""
    row = store.conn.execute(
        "SELECT config, config_path FROM runs WHERE config IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
    if not row:
        return {}
    return {s.name: s for s in parse_config(tomllib.loads(row[0]), row[1] or "<stored config>")}


def reclean(store: Store, sites: dict[str, SiteConfig], *, site: str | None = None,
            threshold: float = 0.8, timeout: float = 10.0, batch_size: int = 200) -> Counter:
    """Re-clean stored articles (of one ``site`` or all); return counts by outcome.

    Pages are read one at a time; a page whose extraction fails or exceeds
    ``timeout`` seconds keeps its stored text and is counted, never fatal.
    """
    ingestor = Ingestor(store, threshold)
    run_id = store.start_run("reclean", None)
    ids = [i for (i,) in store.conn.execute(
        "SELECT id FROM articles" + (" WHERE site = ?" if site else "") + " ORDER BY id", (site,) if site else ())]
    outcomes: Counter = Counter()
    status = "failed"
    try:
        for n, article_id in enumerate(ids, 1):
            outcomes[_reclean_one(store, ingestor, sites, article_id, run_id, timeout)] += 1
            if n % batch_size == 0:
                store.commit()
        status = "completed"
    finally:
        store.commit()
        store.finish_run(run_id, status, {"updated": outcomes["updated"]}, {})
    return outcomes


def _reclean_one(store: Store, ingestor: Ingestor, sites, article_id: int, run_id: int, timeout: float) -> str:
    row = store.conn.execute(
        "SELECT a.url, a.site, a.fetched_at, p.content_type, p.html_zlib, p.date_hint"
        " FROM articles a JOIN pages p ON p.url = a.url WHERE a.id = ?", (article_id,)).fetchone()
    if row is None:
        return "no_page"
    url, site_name, fetched_at, content_type, html_zlib, date_hint = row
    rules = sites.get(site_name) or SiteConfig(name=site_name)
    body = page_body(html_zlib)
    html, _ = decode_html(body, content_type, rules.encoding)
    try:
        article = extract_limited(html, url, rules, datetime.fromisoformat(fetched_at), date_hint, timeout)
    except Exception:  # keep the stored text rather than lose the article
        return "failed"
    if article is None:
        return "timeout"
    if not article.text.strip():
        return "no_text"
    page = {"url": url, "site": site_name, "fetched_at": fetched_at, "content_type": content_type,
            "body": body, "date_hint": date_hint}
    return ingestor.reingest(article_id, page, article, run_id).action
