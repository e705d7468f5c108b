"""Fetch given pages once, with the crawl's downloader: ``newsrake extract URL``.

No discovery: each target URL is requested for its site and yielded as a
:class:`PageItem` (the robots.txt, size, time and host rules of the crawl
apply); a page that cannot be had is announced with the ``page_failed`` signal.
"""

from __future__ import annotations

from datetime import datetime, timezone

import scrapy

from pipeline.core.items import PageItem
from pipeline.core.kinds import ErrorKind
from pipeline.crawl.failures import failure_kind
from pipeline.crawl.signals import page_failed
from pipeline.crawl.sites import allowed_domains, url_rules


class FetchSpider(scrapy.Spider):
    name = "fetch"

    def __init__(self, targets=(), **kwargs):
        super().__init__(**kwargs)
        self.targets = list(targets)  # (url, site name)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.urls = url_rules(crawler.settings)
        spider.allowed_domains = allowed_domains(crawler.settings)
        return spider

    async def start(self):
        for url, site in self.targets:
            yield scrapy.Request(url, callback=self.parse, errback=self.on_error,
                                 meta={"site": site, "kind": "page", "target": url})

    def parse(self, response):
        if not response.body.strip():
            self._failed(response.request, ErrorKind.EMPTY_PAGE)
            return
        yield PageItem(site=response.meta["site"], url=self.urls.article(response.url), body=response.body,
                       fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                       content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None)

    def on_error(self, failure):
        self._failed(failure.request, failure_kind(failure))

    def _failed(self, request, kind: str) -> None:
        self.crawler.signals.send_catch_log(page_failed, url=request.meta["target"], kind=kind)
