"""The baseline: a bare Scrapy spider that only calls trafilatura.extract on each article.

With ``-a extract=0`` it does not even that: Scrapy's own cost of fetching the pages, the floor under
any crawl process that fetches with Scrapy."""

import scrapy
import trafilatura


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start=None, extract="1", **kwargs):
        super().__init__(**kwargs)
        self.start_url, self.extract = start, extract != "0"

    async def start(self):
        yield scrapy.Request(self.start_url, callback=self.parse_list)

    def parse_list(self, response):
        for href in response.css("a::attr(href)").getall():
            if href.startswith("/news/"):
                yield response.follow(href, callback=self.parse_article)
            elif href.startswith("/list/"):
                yield response.follow(href, callback=self.parse_list)

    def parse_article(self, response):
        text = trafilatura.extract(response.text, url=response.url, include_comments=False) if self.extract else ""
        yield {"url": response.url, "chars": len(text or "")}
