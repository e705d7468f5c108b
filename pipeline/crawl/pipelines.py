"""Scrapy item pipelines: extract + clean, then dedup + store.

The spider yields a :class:`PageItem`; :class:`ExtractPipeline` returns an
:class:`ExtractedPage`; :class:`StorePipeline` returns the
:class:`StoredArticle`. The store pipeline owns the database for the whole
crawl: it takes the lock and opens the run when it is built (so a locked,
damaged or unusable database stops the crawl before the first request) and
closes the run with its counters when the spider closes. A storage failure
(disk full, I/O error, damaged or replaced file) stops the crawl through the
engine and fails the run.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from contextlib import contextmanager
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from pipeline.core import counters
from pipeline.core.items import ExtractedPage, PageItem, StoredArticle
from pipeline.core.kinds import ErrorKind, SkipKind
from pipeline.crawl import signals as newsrake_signals
from pipeline.crawl.page_job import extracted_page
from pipeline.crawl.sites import site_rules, url_rules
from pipeline.dedup import Deduplicator
from pipeline.extract.workers import ExtractionPool, default_workers
from pipeline.store import DatabaseReplaced, StorageFailure, Store, storage_faults
from pipeline.store.health import Thresholds

logger = logging.getLogger(__name__)

STORAGE_FAILED = "storage_failed"  # the close reason when what was fetched can no longer be stored


def run_status(reason: str, failure: str | None = None) -> str:
    """The runs.status for Scrapy's close reason: ``failed`` when the run could not store what it
    fetched (``failure``, its cause); a CLOSESPIDER_* limit ends a run normally."""
    if failure:
        return "failed"
    if reason == "finished" or reason.startswith("closespider_"):
        return "completed"
    return "stopped" if reason == "shutdown" else reason


class ExtractPipeline:
    """Decode, extract and clean each page (in worker processes, with its dedup sketch and compression:
    :mod:`.page_job`) under the per-page time limit, and within the site's budget of extraction time per
    run (NEWSRAKE_SITE_EXTRACT_BUDGET).

    A page waits here for room in a worker (the pool's ``capacity``), not in the pool, so the budget
    is checked when its extraction is about to start: once the seconds the site's pages took in the workers
    reach the budget, its remaining pages are dropped unextracted and counted ``extract_budget``.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.sites = site_rules(crawler.settings)
        self.urls = url_rules(crawler.settings)
        self.timeout = crawler.settings.getfloat("NEWSRAKE_EXTRACT_TIMEOUT")
        self.budget = crawler.settings.getfloat("NEWSRAKE_SITE_EXTRACT_BUDGET")
        self.spent: dict[str, float] = defaultdict(float)  # site -> CPU seconds of extraction this run
        workers = crawler.settings.getint("NEWSRAKE_EXTRACT_WORKERS", -1)
        self.threshold = crawler.settings.getfloat("NEWSRAKE_NEAR_THRESHOLD")
        self.pool = ExtractionPool(default_workers() if workers < 0 else workers, extracted_page)
        self.slots = asyncio.Semaphore(self.pool.capacity)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_item(self, item: PageItem) -> ExtractedPage:
        async with self.slots:
            if self.budget and self._budget_used(item.site):
                counters.count(self.crawler.stats, item.site, SkipKind.EXTRACT_BUDGET)
                raise DropItem(f"{item.site}: extraction budget used up, not extracted: {item.url}",
                               log_level="DEBUG")
            try:
                done = await self.pool.extract(item, self.sites[item.site], self.urls, self.timeout, self.threshold)
            except BrokenProcessPool as exc:  # a worker died on some page
                counters.count_error(self.crawler.stats, item.site, ErrorKind.EXTRACT_FAILED)
                raise DropItem(f"extraction failed on {item.url}: {exc!r}") from None
            self._spend(item.site, done.seconds)
        if done.error is not None:  # a hostile page must not stop the crawl
            counters.count_error(self.crawler.stats, item.site, done.error.kind)
            raise DropItem(str(done.error))
        return done.page

    def _budget_used(self, site: str) -> bool:
        """Whether ``site`` has used up its budget; with :meth:`_spend`, the override point (a fleet shares it)."""
        return self.spent[site] >= self.budget

    def _spend(self, site: str, seconds: float) -> None:
        before = self.spent[site]
        self.spent[site] += seconds
        if self.budget and before < self.budget <= self.spent[site]:
            logger.warning("%s: %.0f s of extraction used up NEWSRAKE_SITE_EXTRACT_BUDGET (%g s); "
                           "its remaining pages are not extracted this run", site, self.spent[site], self.budget)

    def open_spider(self):
        self.pool.start()

    def close_spider(self):
        self.pool.close()


class StorePipeline:
    """Dedup and store articles; one run row per crawl; commits every NEWSRAKE_BATCH_SIZE items.

    On a storage failure the open batch is rolled back, every later item is dropped, and the
    spider is closed with reason ``storage_failed``; the run is marked ``failed`` with its cause
    (stat ``newsrake_failure``). A replaced or deleted file gets no write at all after that.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.db_path = Path(settings.get("NEWSRAKE_DB"))
        self.batch_size = settings.getint("NEWSRAKE_BATCH_SIZE")
        self.sites = site_rules(settings)
        self.aliases: dict[str, set[tuple[str, str]]] = defaultdict(set)  # article URL -> (site, disguise)
        self.pending = 0
        self.failure: str | None = None
        self.closing = False  # the engine is closing the spider (a storage failure asked, or for its own reason)
        config_path = settings.get("NEWSRAKE_CONFIG")
        config_text = Path(config_path).read_text("utf-8") if config_path else None
        # Raised from here, the crawl does not start: LockedError, StoreError (damaged, not SQLite), StorageFailure.
        self.store = Store(self.db_path)  # takes the lock, checks the file, creates or migrates the schema
        try:
            with storage_faults(self.db_path):
                self.dedup = Deduplicator(self.store, settings.getfloat("NEWSRAKE_NEAR_THRESHOLD"))
                self.run_id = self.store.start_run(config_path, config_text)
        except BaseException:
            self.store.abort()
            raise
        crawler.stats.set_value("newsrake_run_id", self.run_id)
        crawler.signals.connect(self.alias_found, signal=newsrake_signals.article_alias)
        crawler.signals.connect(self.run_failed, signal=newsrake_signals.run_failed)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def alias_found(self, canonical: str, site: str, url: str) -> None:
        self.aliases[canonical].add((site, url))

    def run_failed(self, cause: str) -> None:
        if self.failure is None:
            self.failure = cause

    def _commit(self) -> None:
        self.store.commit()
        self.crawler.signals.send_catch_log(newsrake_signals.batch_committed)

    @contextmanager
    def _storing(self):
        """Around the store's reads and writes: a storage failure stops the crawl instead of raising."""
        try:
            with storage_faults(self.db_path):
                yield
        except StorageFailure as exc:
            self._fail(exc)

    def _fail(self, exc: StorageFailure) -> None:
        if self.failure is None:  # the first cause is the one to tell
            kept = ("nothing more was written to it" if isinstance(exc, DatabaseReplaced)
                    else "the rows committed before are kept")
            self.failure = f"{exc}; the crawl stopped, {kept}"
            logger.info("cannot store, closing the spider: %s", exc)
            if not self.closing:
                self.closing = True
                self.close_request = deferred_from_coro(self.crawler.engine.close_spider_async(reason=STORAGE_FAILED))
        if isinstance(exc, DatabaseReplaced):
            self.store.abort()  # close at once: SQLite's -wal beside the path must not outlive us
        elif self.store.is_open:
            self.store.rollback()

    def process_item(self, item: ExtractedPage) -> StoredArticle:
        page, article = item.page, item.article
        if self.failure is None:
            with self._storing():
                outcome = self.dedup.ingest(page, article, self.run_id, item.sketch, item.html_zlib)
                self.pending += 1
                if self.pending >= self.batch_size:
                    self._commit()
                    self.pending = 0
        if self.failure is not None:
            raise DropItem(f"{page.url} not stored: {self.failure}", log_level="DEBUG")
        counters.count(self.crawler.stats, page.site, "duplicates" if outcome.action == "duplicate" else outcome.action)
        if outcome.redirects:
            counters.count(self.crawler.stats, page.site, "duplicates", outcome.redirects)
        if outcome.session_param:  # the request middleware drops it from the site's requests from now on
            self.crawler.signals.send_catch_log(newsrake_signals.session_param_found, site=page.site,
                                                param=outcome.session_param)
        return StoredArticle(id=outcome.article_id, url=page.url, site=page.site, outcome=outcome.action,
                             title=article.title, published_at=article.published_at, date_source=article.date_source,
                             author=article.author, lang=article.lang, text=article.text, duplicate_kind=outcome.kind,
                             similarity=outcome.similarity)

    def close_spider(self):
        self.closing = True  # a failure from now on fails the run; the engine is already closing the spider
        if self.failure is None:
            with self._storing():
                self._commit()

    def spider_closed(self, spider, reason):
        """Finish the run; for the summary, stats ``newsrake_held`` (what the database holds for the run,
        per site; unset when unknown), ``newsrake_site_runs`` (the figures and flags written; unset when
        not written) and ``newsrake_failure`` (the cause of a failed run)."""
        stats = self.crawler.stats
        try:
            if self.failure is None:
                with self._storing():
                    self.store.verify()  # also when nothing was left to commit
                    for site in self.dedup.record_aliases(self.aliases, self.run_id):
                        counters.count(stats, site, "duplicates")
                    self.store.commit()
            if self.store.is_open:
                with self._storing():
                    stats.set_value("newsrake_held", self.store.run_counts(self.run_id))
            if self.store.is_open and not self._finish_run(run_status(reason, self.failure)):
                self.failure += "; the run could not be marked failed in the database (the next run marks it " \
                                "interrupted)"
            logger.info("run %s %s", self.run_id, run_status(reason, self.failure))
        finally:
            stats.set_value("newsrake_failure", self.failure)
            if self.failure is None:
                self.store.close()
            elif self.store.is_open:
                self.store.abort()

    def _finish_run(self, status: str) -> bool:
        """Write the run row and its sites' figures and flags (stat ``newsrake_site_runs``, for the summary);
        False when a storage failure prevented it."""
        stats = self.crawler.stats
        all_stats = stats.get_stats()
        with self._storing():
            stats.set_value("newsrake_site_runs", self.store.finish_run(
                self.run_id, status, counters.totals(all_stats),
                {site: counters.per_site(all_stats, site) for site in self.sites}, self.failure,
                Thresholds.from_settings(self.crawler.settings)))
            return True
        return False
