"""Run Scrapy in this process with newsrake's settings: the crawl, and the fetch of ``newsrake extract``.

The CLI uses this instead of ``scrapy crawl`` so that it works from any
working directory (cron starts jobs in $HOME): the settings module is loaded
by name, not found through scrapy.cfg. Spiders are named to Scrapy by name
(``news``, ``fetch``), never imported from here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from pipeline.core import counters
from pipeline.core.config import SiteConfig
from pipeline.core.items import PageItem
from pipeline.crawl import signals as newsrake_signals
from pipeline.crawl.pipelines import run_status
from pipeline.store.db import RUN_COUNTS


def newsrake_settings(overrides: dict | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("pipeline.crawl.settings", priority="project")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


class _Quiet(logging.Filter):
    """Without -v, the libraries' and the stages' INFO lines stay out; progress lines and every problem show."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or record.name.startswith("newsrake")


def _log_handler(settings: Settings, verbose: bool) -> logging.Handler:
    # Our own root handler: Scrapy's takes one level for every logger, and re-creates itself per crawl.
    handler = (logging.FileHandler(settings["LOG_FILE"], encoding="utf-8") if settings.get("LOG_FILE")
               else logging.StreamHandler())
    handler.setFormatter(logging.Formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT")))
    handler.setLevel(settings.get("LOG_LEVEL"))
    if not verbose:
        handler.addFilter(_Quiet())
    return handler


def _process(settings: Settings, verbose: bool) -> CrawlerProcess:
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(settings)
    logging.root.setLevel(logging.NOTSET)  # the handler decides
    logging.root.addHandler(_log_handler(settings, verbose))
    return process


def _run(process: CrawlerProcess, crawler, **spider_args) -> None:
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


def run_crawl(config_path: Path, sites: list[SiteConfig], db_path: Path, overrides: dict | None = None,
              verbose: bool = False) -> CrawlResult:
    """Crawl ``sites`` into ``db_path``; raises StoreError / LockedError / StorageFailure before fetching if the
    DB is unusable. The stored, updated and duplicate counts are read back from the database (None: unknown)."""
    settings = newsrake_settings({"LOG_LEVEL": "INFO", **(overrides or {}), "NEWSRAKE_DB": str(db_path),
                                  "NEWSRAKE_CONFIG": str(config_path), "NEWSRAKE_SITES": sites})
    process = _process(settings, verbose)
    crawler = process.create_crawler("news")
    _run(process, crawler)
    all_stats = crawler.stats.get_stats()
    failure = all_stats.get("newsrake_failure")
    status = run_status(all_stats.get("finish_reason") or "failed", failure)
    held = all_stats.get("newsrake_held")
    none_held = dict.fromkeys(RUN_COUNTS, 0 if held is not None else None)  # None: unknown
    return CrawlResult(all_stats.get("newsrake_run_id"), status,
                       {s.name: {**counters.per_site(all_stats, s.name), **none_held, **(held or {}).get(s.name, {})}
                        for s in sites}, failure)


def fetch_pages(targets: list[tuple[str, SiteConfig]], overrides: dict | None = None,
                verbose: bool = False) -> tuple[dict[str, PageItem], dict[str, str]]:
    """Fetch each ``(url, site)`` with the crawl's downloader (user agent, timeout, size limit,
    robots.txt, redirects); returns ``({url: page}, {url: error kind})``."""
    settings = newsrake_settings({"LOG_LEVEL": "INFO", "NEWSRAKE_PROGRESS_INTERVAL": 0, **(overrides or {}),
                                  "NEWSRAKE_DB": "", "ITEM_PIPELINES": {},
                                  "NEWSRAKE_SITES": list({s.name: s for _, s in targets}.values())})
    process = _process(settings, verbose)
    crawler = process.create_crawler("fetch")
    pages: dict[str, PageItem] = {}
    failed: dict[str, str] = {}
    crawler.signals.connect(lambda item, **kw: pages.__setitem__(kw["response"].meta["target"], item),
                            signal=signals.item_scraped, weak=False)
    crawler.signals.connect(lambda url, kind, **kw: failed.__setitem__(url, kind),
                            signal=newsrake_signals.page_failed, weak=False)
    _run(process, crawler, targets=[(url, site.name) for url, site in targets])
    return pages, failed
