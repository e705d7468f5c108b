"""Progress lines on stderr while a crawl runs (Scrapy's LogStats counts only pages and items)."""

from __future__ import annotations

import sys

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class ProgressReporter:
    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.loop = None

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("NEWSRAKE_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        ext = cls(crawler, interval)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=False)

    def report(self):
        get = self.crawler.stats.get_value
        errors = sum(v for k, v in self.crawler.stats.get_stats().items() if k.startswith("newsrake/errors/"))
        print(f"progress: {get('newsrake/fetched', 0)} pages fetched, {get('newsrake/stored', 0)} stored, "
              f"{get('newsrake/duplicates', 0)} duplicates, {errors} errors", file=sys.stderr, flush=True)

    def spider_closed(self, spider):
        if self.loop and self.loop.running:
            self.loop.stop()
