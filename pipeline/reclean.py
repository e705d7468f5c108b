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
from pipeline.extract import extract_article
from pipeline.ingest import Ingestor
from pipeline.store import Store, page_body


def sites_from_last_run(store: Store) -> dict[str, SiteConfig]:
    """The site rules of the most recent crawl that recorded its config."""
    row = store.conn.execute(
        "SELECT config, config_path FROM runs WHERE config IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
    if not row:
        return {}
    return {s.name: s for s in parse_config(tomllib.loads(row[0]), row[1] or "<stored config>")}


def reclean(store: Store, sites: dict[str, SiteConfig], *, site: str | None = None,
            threshold: float = 0.8, batch_size: int = 200) -> Counter:
    """Re-clean stored articles (of one ``site`` or all); return counts by outcome."""
    ingestor = Ingestor(store, threshold)
    run_id = store.start_run("reclean", None)
    query = ("SELECT a.id, a.url, a.site, a.fetched_at, p.content_type, p.html_zlib, p.date_hint"
             " FROM articles a JOIN pages p ON p.url = a.url")
    rows = store.conn.execute(query + (" WHERE a.site = ?" if site else "") + " ORDER BY a.id",
                              (site,) if site else ()).fetchall()
    outcomes: Counter = Counter()
    for n, (article_id, url, site_name, fetched_at, content_type, html_zlib, date_hint) in enumerate(rows, 1):
        rules = sites.get(site_name) or SiteConfig(name=site_name)
        body = page_body(html_zlib)
        html, _ = decode_html(body, content_type, rules.encoding)
        article = extract_article(html, url, site=rules, fetched_at=datetime.fromisoformat(fetched_at),
                                  date_hint=date_hint)
        if not article.text.strip():
            outcomes["no_text"] += 1  # keep the stored text rather than lose the article
            continue
        page = {"url": url, "site": site_name, "fetched_at": fetched_at, "content_type": content_type,
                "body": body, "date_hint": date_hint}
        outcomes[ingestor.reingest(article_id, page, article, run_id).action] += 1
        if n % batch_size == 0:
            store.commit()
    store.commit()
    store.finish_run(run_id, "completed", {"updated": outcomes["updated"]}, {})
    return outcomes
