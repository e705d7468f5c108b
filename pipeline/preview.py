"""``newsrake extract``: run extraction and cleaning on saved pages or one URL.

This is how a user checks a new site before adding it to the nightly config:
the same code path as the crawl, nothing stored.
"""

from __future__ import annotations

import urllib.request
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from pipeline.config import ConfigError, SiteConfig, load_config
from pipeline.decode import decode_html
from pipeline.extract import extract_article
from pipeline.urls import host_allowed

MAX_FETCH_BYTES = 16 * 1024 * 1024
FETCH_TIMEOUT = 30


def _fetch(url: str) -> tuple[bytes, str | None]:
    request = urllib.request.Request(url, headers={"User-Agent": "newsrake-extract/0.1"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            body = response.read(MAX_FETCH_BYTES + 1)
            content_type = response.headers.get("Content-Type")
    except OSError as exc:
        raise ConfigError(f"{url}: cannot fetch: {exc}") from None
    if len(body) > MAX_FETCH_BYTES:
        raise ConfigError(f"{url}: page larger than {MAX_FETCH_BYTES} bytes")
    return body, content_type


def _read(source: str) -> tuple[bytes, str | None]:
    if source.startswith(("http://", "https://")):
        return _fetch(source)
    try:
        return Path(source).read_bytes(), None
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read file: {exc.strerror}") from None


def _rules(sites: list[SiteConfig], url: str, name: str | None) -> SiteConfig | None:
    if name:
        found = [s for s in sites if s.name == name]
        if not found:
            raise ConfigError(f"no site named {name!r} in the config")
        return found[0]
    return next((s for s in sites if host_allowed(url, s.allowed_hosts)), None)


def inspect_inputs(inputs: list[str], *, url: str | None = None, config: str | None = None,
                   site: str | None = None) -> Iterator[dict]:
    """Yield ``{input, title, published_at, text, removed, ...}`` for each file or URL."""
    sites = load_config(config) if config else []
    now = datetime.now(timezone.utc)
    for source in inputs:
        body, content_type = _read(source)
        page_url = url or (source if "://" in source else Path(source).resolve().as_uri())
        rules = _rules(sites, page_url, site)
        html, _ = decode_html(body, content_type, rules.encoding if rules else None)
        article = extract_article(html, page_url, site=rules, fetched_at=now)
        yield {
            "input": source, "title": article.title, "published_at": article.published_at,
            "author": article.author, "lang": article.lang, "canonical_url": article.canonical_url,
            "text": article.text, "meta": article.meta, "removed": [asdict(r) for r in article.removals],
        }
