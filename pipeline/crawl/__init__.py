"""The crawl: newsrake's Scrapy components around the spiders.

Owns the Scrapy settings (:mod:`.settings`), the in-process runner the CLI
uses (:mod:`.runner`), the item pipelines that hand pages to the extract stage
and articles to the dedup and store stages (:mod:`.pipelines`), the
downloader middlewares (:mod:`.middlewares`, and :mod:`.session_params`
dropping per-visit query parameters), failure classification
(:mod:`.failures`), progress lines (:mod:`.progress`), the log handler
(:mod:`.logs`, :mod:`.logformatter`), the site rules as the
components read them (:mod:`.sites`) and newsrake's signals (:mod:`.signals`).
See docs/architecture.md.
"""
