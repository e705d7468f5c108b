"""``newsrake extract``: the extract and clean stages on saved pages or URLs, nothing stored.

How a user checks a new site before adding it to the nightly config: URLs are
fetched with the crawl's downloader (its user agent, timeout, size limit and
robots.txt), and every page goes through the crawl's own ``extract_page``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.cli.archive import UsageError
from pipeline.core.config import SiteConfig, load_config
from pipeline.core.files import FileRefused, read_regular_file
from pipeline.core.items import Article, PageItem
from pipeline.core.urls import host_allowed
from pipeline.extract import ExtractionError, NoText, extract_page


def site_named(sites: list[SiteConfig], name: str) -> SiteConfig:
    """The config's site called ``name`` (``--site``); refused with the names the config has."""
    found = [s for s in sites if s.name == name]
    if not found:
        raise UsageError(f"no site named {name!r} in the config (sites: {', '.join(s.name for s in sites)})")
    return found[0]


def _rules(sites: list[SiteConfig], url: str, name: str | None) -> SiteConfig:
    """The config's site for ``url`` (by --site, else by host), or plain rules for its host."""
    if name:
        return site_named(sites, name)
    match = next((s for s in sites if host_allowed(url, s.allowed_hosts)), None)
    host = urlsplit(url).hostname or ""
    return match or SiteConfig(name=host or "file", allowed_hosts=[host] if host else [])


def _pages(inputs: list[str], sites: list[SiteConfig], url: str | None, site: str | None, overrides: dict,
           max_bytes: int):
    """``(input, page, rules)`` for each input, in order: files read (regular files of at most
    ``max_bytes``, the crawl's DOWNLOAD_MAXSIZE), URLs fetched in one crawl."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    targets = {src: _rules(sites, src, site) for src in inputs if src.startswith(("http://", "https://"))}
    fetched, failed = {}, {}
    if targets:
        from pipeline.crawl.runner import fetch_pages

        fetched, failed = fetch_pages(list(targets.items()), overrides)
    for src in inputs:
        if src in targets:
            if src not in fetched:
                raise UsageError(f"{src}: cannot fetch: {failed.get(src, 'no response')}")
            yield src, fetched[src], targets[src]
            continue
        try:
            body = read_regular_file(src, max_bytes)
        except FileRefused as exc:
            raise UsageError(f"{src}: cannot read file: {exc} (saved pages: regular files up to "
                             f"DOWNLOAD_MAXSIZE)") from None
        except OSError as exc:
            raise UsageError(f"{src}: cannot read file: {exc.strerror}") from None
        page_url = url or Path(src).resolve().as_uri()
        yield src, PageItem(site="file", url=page_url, body=body, fetched_at=now), _rules(sites, page_url, site)


def extracted(page: PageItem, rules: SiteConfig, settings) -> Article:
    """``page`` through the crawl's own extract_page, under its time limit; a page the cleaners left without
    text still gives its article, to show what they removed. Raises ExtractionError when there is no article."""
    from pipeline.crawl.sites import url_rules

    try:
        return extract_page(page, rules, url_rules(settings), settings.getfloat("NEWSRAKE_EXTRACT_TIMEOUT"))
    except NoText as exc:
        return exc.article


def removal_lines(article: Article) -> list[str]:
    """One line per removal: the cleaner, why, and the start of the text removed."""
    return [f"[{r.cleaner}] {r.reason}: {r.text[:120]!r}" for r in article.removals]


def cmd_extract(args) -> int:
    from pipeline.crawl.runner import newsrake_settings

    settings = newsrake_settings(dict(args.set or []))
    if args.site and not args.config:
        raise UsageError(f"--site {args.site}: names a site of a config; give --config FILE too")
    sites = load_config(args.config) if args.config else []
    pages = _pages(args.inputs, sites, args.url, args.site, dict(args.set or []), settings.getint("DOWNLOAD_MAXSIZE"))
    for source, page, rules in pages:
        try:
            article = extracted(page, rules, settings)
        except ExtractionError as exc:
            raise UsageError(f"{source}: {exc}") from None
        result = {"input": source, "title": article.title, "published_at": article.published_at,
                  "date_source": article.date_source, "author": article.author, "lang": article.lang,
                  "canonical_url": article.canonical_url,
                  "text": article.text, "meta": article.meta, "removed": [asdict(r) for r in article.removals]}
        if args.format == "json":
            print(json.dumps(result, ensure_ascii=False))
            continue
        print(f"== {source}\ntitle: {article.title}\npublished_at: {article.published_at}"
              f"{f' ({article.date_source})' if article.date_source else ''}\n")
        print(article.text)
        print(f"\n-- removed ({len(article.removals)}):")
        for line in removal_lines(article):
            print(line)
    return 0
