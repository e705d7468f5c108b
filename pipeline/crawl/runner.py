"""Run Scrapy in this process with newsrake's settings: the crawl, the fetch of ``newsrake extract``, the
read of ``newsrake check``.

The CLI uses this instead of ``scrapy crawl`` so that it works from any
working directory (cron starts jobs in $HOME): the settings module is loaded
by name, not found through scrapy.cfg. Spiders are named to Scrapy by name
(``news``, ``fetch``, ``check``), never imported from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from pipeline.core import counters
from pipeline.core.config import SiteConfig
from pipeline.core.items import PageItem
from pipeline.crawl import signals as newsrake_signals
from pipeline.crawl.logs import install_log_handler
from pipeline.crawl.pipelines import run_status
from pipeline.store.db import RUN_COUNTS


def newsrake_settings(overrides: dict | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("pipeline.crawl.settings", priority="project")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def crawler_process(settings: Settings, verbose: bool) -> CrawlerProcess:
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")  # ours instead: see pipeline.crawl.logs
    install_log_handler(settings, verbose)  # before Scrapy's first line; LogFileError before anything is opened
    return CrawlerProcess(settings)


def run_to_end(process: CrawlerProcess, crawler, **spider_args) -> None:
    """Run one crawl to its end; re-raise what stopped it from starting (LockedError, StoreError, StorageFailure)."""
    failures = []
    process.crawl(crawler, **spider_args).addErrback(failures.append)
    process.start()
    if failures:
        failures[0].raiseException()


@dataclass
class CrawlResult:
    run_id: int | None
    status: str
    sites: dict  # site -> counters (fetched, errors/<kind>, ...); stored, updated, duplicates: what the database holds
    failure: str | None = None  # why a failed run could not store what it fetched
    site_runs: dict = field(default_factory=dict)  # site -> its site_runs figures and flags, as written (none: not)


def run_crawl(config_path: Path, sites: list[SiteConfig], db_path: Path, overrides: dict | None = None,
              verbose: bool = False, spider="news", **spider_args) -> CrawlResult:
    """Crawl ``sites`` into ``db_path``; raises StoreError / LockedError / StorageFailure before fetching if the
    DB is unusable. The stored, updated and duplicate counts are read back from the database (None: unknown).
    ``spider``: another source of pages for the store pipeline (the distributed crawl's stream reader)."""
    settings = newsrake_settings({"LOG_LEVEL": "INFO", **(overrides or {}), "NEWSRAKE_DB": str(db_path),
                                  "NEWSRAKE_CONFIG": str(config_path), "NEWSRAKE_SITES": sites})
    process = crawler_process(settings, verbose)
    crawler = process.create_crawler(spider)
    run_to_end(process, crawler, **spider_args)
    all_stats = crawler.stats.get_stats()
    failure = all_stats.get("newsrake_failure")
    status = run_status(all_stats.get("finish_reason") or "failed", failure)
    held = all_stats.get("newsrake_held")
    none_held = dict.fromkeys(RUN_COUNTS, 0 if held is not None else None)  # None: unknown
    return CrawlResult(all_stats.get("newsrake_run_id"), status,
                       {s.name: {**counters.per_site(all_stats, s.name), **none_held, **(held or {}).get(s.name, {})}
                        for s in sites}, failure, all_stats.get("newsrake_site_runs") or {})


def _storeless(spider: str, sites: list[SiteConfig], overrides: dict | None, verbose: bool, **fixed):
    """A process and a crawler of ``spider`` that store nothing (no database, no item pipelines), with the
    crawl's downloader and its politeness."""
    settings = newsrake_settings({"LOG_LEVEL": "INFO", "NEWSRAKE_PROGRESS_INTERVAL": 0, **(overrides or {}),
                                  "NEWSRAKE_DB": "", "ITEM_PIPELINES": {}, "NEWSRAKE_SITES": sites, **fixed})
    process = crawler_process(settings, verbose)
    return process, process.create_crawler(spider)


def fetch_pages(targets: list[tuple[str, SiteConfig]], overrides: dict | None = None,
                verbose: bool = False) -> tuple[dict[str, PageItem], dict[str, str]]:
    """Fetch each ``(url, site)`` with the crawl's downloader (user agent, timeout, size limit,
    robots.txt, redirects); returns ``({url: page}, {url: error kind})``."""
    sites = list({s.name: s for _, s in targets}.values())
    process, crawler = _storeless("fetch", sites, overrides, verbose)
    pages: dict[str, PageItem] = {}
    failed: dict[str, str] = {}
    crawler.signals.connect(lambda url, kind, **kw: failed.__setitem__(url, kind),
                            signal=newsrake_signals.page_failed, weak=False)
    crawler.signals.connect(lambda item, **kw: pages.__setitem__(kw["response"].meta["target"], item),
                            signal=signals.item_scraped, weak=False)
    run_to_end(process, crawler, targets=[(url, site.name) for url, site in targets])
    return pages, failed


@dataclass(frozen=True)
class PageRead:
    """A start page, feed or sitemap ``newsrake check`` read, and what the crawl would do with its links."""

    site: str
    url: str
    kind: str  # list | feed | sitemap
    links: list  # (url, article | follow | ignored, the rule that decided), in page order


@dataclass
class CheckResult:
    pages: list[PageRead]  # in the order they were read
    samples: list[PageItem]  # the sample article pages fetched
    failed: list[tuple[str, str, str]]  # (site, url, error or skip kind) of every page that could not be had


def check_sites(sites: list[SiteConfig], limit: int, overrides: dict | None = None,
                verbose: bool = False) -> CheckResult:
    """Read each site's start pages, feeds and sitemaps (through one sitemap index level at most) as the
    crawl would, and fetch up to ``limit`` of the article pages they link to (the ``check`` spider)."""
    process, crawler = _storeless("check", sites, overrides, verbose, NEWSRAKE_SITEMAP_DEPTH=1)
    result = CheckResult([], [], [])
    crawler.signals.connect(lambda site, url, kind, **kw: result.failed.append((site, url, kind)),
                            signal=newsrake_signals.page_failed, weak=False)
    crawler.signals.connect(lambda site, url, kind, links, **kw: result.pages.append(PageRead(site, url, kind, links)),
                            signal=newsrake_signals.page_read, weak=False)
    crawler.signals.connect(lambda item, **kw: result.samples.append(item), signal=signals.item_scraped, weak=False)
    run_to_end(process, crawler, limit=limit)
    return result
