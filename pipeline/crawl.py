"""Run one crawl in this process, with newsrake's own Scrapy settings.

The CLI uses this instead of ``scrapy crawl`` so that it works from any
working directory (cron starts jobs in $HOME): the settings module is loaded
by name, not found through scrapy.cfg.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from pipeline import lock, stats
from pipeline.config import SiteConfig
from pipeline.pipelines import run_status
from pipeline.store import Store
from spiders.news import NewsSpider


def newsrake_settings(overrides: dict | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("pipeline.settings", priority="project")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


@dataclass
class CrawlResult:
    run_id: int | None
    status: str
    sites: dict  # site -> counters (fetched, stored, duplicates, errors/<kind>, ...)


def run_crawl(config_path: Path, sites: list[SiteConfig], db_path: Path, overrides: dict | None = None) -> CrawlResult:
    """Crawl ``sites`` into ``db_path``; raises StoreError / LockedError before fetching if the DB is unusable."""
    lock.acquire(db_path)  # fail fast, before Scrapy starts; the pipeline re-enters the same lock
    try:
        Store(db_path).close()  # creates or migrates the schema, or raises StoreError
        settings = newsrake_settings({**(overrides or {}), "NEWSRAKE_DB": str(db_path)})
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(NewsSpider)
        process.crawl(crawler, config=str(config_path), sites=sites)
        process.start()
    finally:
        lock.release(db_path)
    all_stats = crawler.stats.get_stats()
    run_id = all_stats.get("newsrake_run_id")
    status = run_status(all_stats.get("finish_reason") or "failed")
    return CrawlResult(run_id, status, {s.name: stats.per_site(all_stats, s.name) for s in sites})
