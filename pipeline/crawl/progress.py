"""Progress lines while a crawl runs: Scrapy's LogStats, counting what newsrake counts.

A subclass, so the lines go through logging (timestamps, log files) like
Scrapy's own; it replaces LogStats in the settings and reads its interval
from ``NEWSRAKE_PROGRESS_INTERVAL`` (0: off).
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.extensions.logstats import LogStats
from scrapy.utils.asyncio import create_looping_call

from pipeline.core import counters

logger = logging.getLogger("newsrake.progress")


class ProgressLogStats(LogStats):
    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("NEWSRAKE_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        ext = cls(crawler.stats, interval)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:
        self.task = create_looping_call(self.log, spider)
        self.task.start(self.interval, now=False)  # the first line after one interval, not a line of zeros

    def log(self, spider) -> None:
        totals = counters.totals(self.stats.get_stats())
        errors = sum(counters.errors_of(totals).values())
        logger.info("progress: %d pages fetched, %d stored, %d duplicates, %d errors", totals.get("fetched", 0),
                    totals.get("stored", 0), totals.get("duplicates", 0), errors)
