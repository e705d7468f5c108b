"""Scrapy item pipelines: extract + clean, then dedup + store.

The spider yields raw pages (``url``, ``site``, ``body``, ...);
ExtractPipeline adds the cleaned :class:`~pipeline.extract.Article`;
StorePipeline writes it to SQLite in batched transactions.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import DropItem

from pipeline import lock, stats
from pipeline.decode import decode_html
from pipeline.ingest import Ingestor
from pipeline.store import Store
from pipeline.urls import canonical_url, host_allowed
from pipeline.workers import ExtractionPool, default_workers

logger = logging.getLogger(__name__)

def run_status(reason: str) -> str:
    """The runs.status for Scrapy's close reason: a CLOSESPIDER_* limit ends a run normally."""
    if reason == "finished" or reason.startswith("closespider_"):
        return "completed"
    return "stopped" if reason == "shutdown" else reason


class ExtractPipeline:
    """Decode the page, run extraction and cleaning (in worker processes) under a time limit."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.timeout = crawler.settings.getfloat("NEWSRAKE_EXTRACT_TIMEOUT")
        workers = crawler.settings.getint("NEWSRAKE_EXTRACT_WORKERS", -1)
        self.pool = ExtractionPool(default_workers() if workers < 0 else workers)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_item(self, item):
        spider = self.crawler.spider
        site = spider.sites[item["site"]]
        html, _ = decode_html(item["body"], item.get("content_type"), site.encoding)
        try:
            article = await self.pool.extract(html, item["url"], site, datetime.fromisoformat(item["fetched_at"]),
                                              item.get("date_hint"), self.timeout)
            if article is not None:
                article.canonical_url = _honoured_canonical(article.canonical_url, site, spider.tracking)
        except Exception as exc:  # a hostile page must not stop the crawl
            stats.count(self.crawler.stats, site.name, "errors/extract_failed")
            raise DropItem(f"extraction failed on {item['url']}: {exc!r}") from None
        if article is None:
            stats.count(self.crawler.stats, site.name, "errors/extract_timeout")
            raise DropItem(f"extraction took over {self.timeout}s: {item['url']}")
        if not article.text.strip():
            stats.count(self.crawler.stats, site.name, "errors/no_text")
            raise DropItem(f"no article text found: {item['url']}")
        item["article"] = article
        return item

    def close_spider(self):
        self.pool.close()


def _honoured_canonical(link: str | None, site, tracking) -> str | None:
    """A page's rel=canonical / og:url, when it names an article URL on the site's own hosts.

    A canonical pointing at a home or section page (some sites put one on every
    page) says nothing about the article, so it is not kept.
    """
    if not link:
        return None
    canonical = canonical_url(link, tracking)
    return canonical if host_allowed(canonical, site.allowed_hosts) and site.is_article(canonical) else None


class StorePipeline:
    """Dedup and store articles; one run row per crawl; commits every NEWSRAKE_BATCH_SIZE items."""

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.db_path = Path(settings.get("NEWSRAKE_DB"))
        self.batch_size = settings.getint("NEWSRAKE_BATCH_SIZE")
        self.threshold = settings.getfloat("NEWSRAKE_NEAR_THRESHOLD")
        self.pending = 0
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        lock.acquire(self.db_path)
        self.store = Store(self.db_path)
        spider = self.crawler.spider
        config_text = Path(spider.config_path).read_text("utf-8") if spider.config_path else None
        self.run_id = self.store.start_run(spider.config_path, config_text)
        self.crawler.stats.set_value("newsrake_run_id", self.run_id)
        self.ingestor = Ingestor(self.store, self.threshold)

    def process_item(self, item):
        outcome = self.ingestor.ingest(item, item["article"], self.run_id)
        name = "duplicates" if outcome.action == "duplicate" else outcome.action
        stats.count(self.crawler.stats, item["site"], name)
        if outcome.redirects:
            stats.count(self.crawler.stats, item["site"], "duplicates", outcome.redirects)
        self.pending += 1
        if self.pending >= self.batch_size:
            self.store.commit()
            self.pending = 0
        return {"url": item["url"], "site": item["site"], "outcome": outcome.action,
                "article_id": outcome.article_id, "kind": outcome.kind}

    def close_spider(self):
        self.store.commit()

    def spider_closed(self, spider, reason):
        for site in self.ingestor.record_aliases(spider.url_aliases, self.run_id):
            stats.count(self.crawler.stats, site, "duplicates")
        status = run_status(reason)
        all_stats = self.crawler.stats.get_stats()
        self.store.finish_run(self.run_id, status, stats.totals(all_stats),
                              {site: stats.per_site(all_stats, site) for site in spider.sites})
        self.store.close()
        lock.release(self.db_path)
        logger.info("run %s %s", self.run_id, status)
