"""The crawl's job for an extraction worker: everything per page that need not run in the crawl process.

Decoding, extraction and cleaning (:func:`extract_page`), then the dedup sketch (fingerprint and MinHash
signature) and the zlib of the raw page. What goes back to the crawl process is small: the article, its
sketch and the compressed page, not the page again (its ``body`` is emptied).
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

from pipeline.core.config import SiteConfig
from pipeline.core.items import ExtractedPage, PageItem
from pipeline.core.urls import UrlRules
from pipeline.dedup.policy import sketcher, text_sketch
from pipeline.extract.page import extract_page
from pipeline.store import page_compressed

_hasher = lru_cache(maxsize=None)(sketcher)  # one per threshold and process: its permutations are built once


def extracted_page(page: PageItem, site: SiteConfig, urls: UrlRules, timeout: float,
                   threshold: float) -> ExtractedPage:
    """``page`` extracted and cleaned within ``timeout`` seconds, sketched for the near-duplicate
    ``threshold`` and compressed; raises :class:`ExtractionError` as :func:`extract_page` does."""
    article = extract_page(page, site, urls, timeout)
    return ExtractedPage(dataclasses.replace(page, body=b""), article, text_sketch(_hasher(threshold), article.text),
                         page_compressed(page.body))
