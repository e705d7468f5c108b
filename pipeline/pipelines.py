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

RUN_STATUS = {"finished": "completed", "shutdown": "stopped"}


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
        html, item["encoding"] = decode_html(item["body"], item.get("content_type"), site.encoding)
        try:
            article = await self.pool.extract(html, item["url"], site, datetime.fromisoformat(item["fetched_at"]),
                                              item.get("date_hint"), self.timeout)
        except Exception as exc:  # a hostile page must not stop the crawl
            stats.count(self.crawler.stats, site.name, "errors/extract_failed")
            raise DropItem(f"extraction failed on {item['url']}: {exc!r}") from None
        if article is None:
            stats.count(self.crawler.stats, site.name, "errors/extract_timeout")
            raise DropItem(f"extraction took over {self.timeout}s: {item['url']}")
        if not article.text.strip():
            stats.count(self.crawler.stats, site.name, "errors/no_text")
            raise DropItem(f"no article text found: {item['url']}")
        if article.canonical_url:
            canonical = canonical_url(article.canonical_url, spider.tracking)
            article.canonical_url = canonical if host_allowed(canonical, site.allowed_hosts) else None
        item["article"] = article
        return item

    def close_spider(self):
        self.pool.close()


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
        self.crawler.stats.set_value("newsrake/run_id", self.run_id)
        self.ingestor = Ingestor(self.store, self.threshold)

    def process_item(self, item):
        outcome = self.ingestor.ingest(item, item["article"], self.run_id)
        name = "duplicates" if outcome.action == "duplicate" else outcome.action
        stats.count(self.crawler.stats, item["site"], name)
        self.pending += 1
        if self.pending >= self.batch_size:
            self.store.commit()
            self.pending = 0
        return {"url": item["url"], "site": item["site"], "outcome": outcome.action,
                "article_id": outcome.article_id, "kind": outcome.kind}

    def close_spider(self):
        self.store.commit()

    def spider_closed(self, spider, reason):
        self.ingestor.record_aliases(spider.url_aliases, self.run_id)
        status = RUN_STATUS.get(reason, reason)
        all_stats = self.crawler.stats.get_stats()
        self.store.finish_run(self.run_id, status, stats.totals(all_stats, spider.sites),
                              {site: stats.per_site(all_stats, site) for site in spider.sites})
        self.store.close()
        lock.release(self.db_path)
        logger.info("run %s %s", self.run_id, status)
