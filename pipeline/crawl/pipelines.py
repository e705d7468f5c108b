"""Scrapy item pipelines: extract + clean, then dedup + store.

The spider yields a :class:`PageItem`; :class:`ExtractPipeline` returns an
:class:`ExtractedPage`; :class:`StorePipeline` returns the
:class:`StoredArticle`. The store pipeline owns the database for the whole
crawl: it takes the lock and opens the run when it is built (so a locked or
unusable database stops the crawl before the first request) and closes the
run with its counters when the spider closes.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import DropItem

from pipeline.core import counters
from pipeline.core.items import ExtractedPage, PageItem, StoredArticle
from pipeline.core.kinds import ErrorKind
from pipeline.crawl import signals as newsrake_signals
from pipeline.crawl.sites import site_rules, url_rules
from pipeline.dedup import Deduplicator
from pipeline.extract import ExtractionError
from pipeline.extract.workers import ExtractionPool, default_workers
from pipeline.store import Store
from pipeline.store.lock import DatabaseLock

logger = logging.getLogger(__name__)


def run_status(reason: str) -> str:
    """The runs.status for Scrapy's close reason: a CLOSESPIDER_* limit ends a run normally."""
    if reason == "finished" or reason.startswith("closespider_"):
        return "completed"
    return "stopped" if reason == "shutdown" else reason


class ExtractPipeline:
    """Decode, extract and clean each page (in worker processes) under the per-page time limit."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.sites = site_rules(crawler.settings)
        self.urls = url_rules(crawler.settings)
        self.timeout = crawler.settings.getfloat("NEWSRAKE_EXTRACT_TIMEOUT")
        workers = crawler.settings.getint("NEWSRAKE_EXTRACT_WORKERS", -1)
        self.pool = ExtractionPool(default_workers() if workers < 0 else workers)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_item(self, item: PageItem) -> ExtractedPage:
        try:
            article = await self.pool.extract(item, self.sites[item.site], self.urls, self.timeout)
        except ExtractionError as exc:  # a hostile page must not stop the crawl
            counters.count_error(self.crawler.stats, item.site, exc.kind)
            raise DropItem(str(exc)) from None
        except BrokenProcessPool as exc:  # a worker died on some page
            counters.count_error(self.crawler.stats, item.site, ErrorKind.EXTRACT_FAILED)
            raise DropItem(f"extraction failed on {item.url}: {exc!r}") from None
        return ExtractedPage(item, article)

    def close_spider(self):
        self.pool.close()


class StorePipeline:
    """Dedup and store articles; one run row per crawl; commits every NEWSRAKE_BATCH_SIZE items."""

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.db_path = Path(settings.get("NEWSRAKE_DB"))
        self.batch_size = settings.getint("NEWSRAKE_BATCH_SIZE")
        self.sites = site_rules(settings)
        self.aliases: dict[str, set[tuple[str, str]]] = defaultdict(set)  # article URL -> (site, disguise)
        self.pending = 0
        self.lock = DatabaseLock(self.db_path).acquire()  # LockedError: the crawl does not start
        try:
            self.store = Store(self.db_path)  # creates or migrates the schema, or raises StoreError
            self.dedup = Deduplicator(self.store, settings.getfloat("NEWSRAKE_NEAR_THRESHOLD"))
            config_path = settings.get("NEWSRAKE_CONFIG")
            config_text = Path(config_path).read_text("utf-8") if config_path else None
            self.run_id = self.store.start_run(config_path, config_text)
        except BaseException:
            self.lock.release()
            raise
        crawler.stats.set_value("newsrake_run_id", self.run_id)
        crawler.signals.connect(self.alias_found, signal=newsrake_signals.article_alias)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def alias_found(self, canonical: str, site: str, url: str) -> None:
        self.aliases[canonical].add((site, url))

    def process_item(self, item: ExtractedPage) -> StoredArticle:
        page, article = item.page, item.article
        outcome = self.dedup.ingest(page, article, self.run_id)
        counters.count(self.crawler.stats, page.site, "duplicates" if outcome.action == "duplicate" else outcome.action)
        if outcome.redirects:
            counters.count(self.crawler.stats, page.site, "duplicates", outcome.redirects)
        self.pending += 1
        if self.pending >= self.batch_size:
            self.store.commit()
            self.pending = 0
        return StoredArticle(id=outcome.article_id, url=page.url, site=page.site, outcome=outcome.action,
                             title=article.title, published_at=article.published_at, author=article.author,
                             lang=article.lang, text=article.text, duplicate_kind=outcome.kind,
                             similarity=outcome.similarity)

    def close_spider(self):
        self.store.commit()

    def spider_closed(self, spider, reason):
        try:
            for site in self.dedup.record_aliases(self.aliases, self.run_id):
                counters.count(self.crawler.stats, site, "duplicates")
            status = run_status(reason)
            all_stats = self.crawler.stats.get_stats()
            self.store.finish_run(self.run_id, status, counters.totals(all_stats),
                                  {site: counters.per_site(all_stats, site) for site in self.sites})
            self.store.close()
            logger.info("run %s %s", self.run_id, status)
        finally:
            self.lock.release()
