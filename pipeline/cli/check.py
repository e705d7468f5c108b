"""``newsrake check``: try a site before adding it; ``newsrake init``: a commented site config to start from.

``check`` writes nothing. It reads the sites' start pages, feeds and sitemaps
with the crawl's downloader (:func:`pipeline.crawl.runner.check_sites`),
prints what the crawl would do with every link found and the rule that
decided, extracts a few of the article pages the way the crawl does
(:func:`.extract.extracted`), and warns about what would go wrong: exit 3.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.cli.archive import UsageError
from pipeline.cli.crawl import EXIT_FLAGGED
from pipeline.cli.extract import extracted, removal_lines, site_named
from pipeline.core.config import SiteConfig, load_config
from pipeline.core.config_template import CONFIG_TEMPLATE
from pipeline.core.kinds import SkipKind
from pipeline.crawl.sites import ARTICLE, FOLLOW, IGNORED, NO_PATTERN, SITEMAP
from pipeline.extract import ExtractionError

KIND_ORDER = (ARTICLE, FOLLOW, IGNORED)
TEXT_LINES = 3  # lines of a sample's text shown
LINE_WIDTH = 110  # terminal columns of a link, a text line or a removal shown (a CJK character takes two)


def _cut(text: str) -> str:
    """``text`` cut to LINE_WIDTH columns, as wide as the terminal shows it."""
    from wcwidth import wcwidth

    widths = [max(wcwidth(char), 0) for char in text]
    if sum(widths) <= LINE_WIDTH:
        return text
    columns = 0
    for i, width in enumerate(widths):
        columns += width
        if columns > LINE_WIDTH - 1:  # a column left for the ellipsis
            return text[:i] + "…"


def _rule_text(site: SiteConfig, rule: str) -> str:
    """The rule that decided a link, as the config or the crawl names it."""
    follow = f"follow_pattern '{site.follow_pattern.pattern}'" if site.follow_pattern else None
    return {
        "article_pattern": f"article_pattern '{site.article_pattern.pattern}'",
        "follow_pattern": follow,
        NO_PATTERN: ("matches neither article_pattern nor follow_pattern" if follow
                     else "does not match article_pattern (and there is no follow_pattern)"),
        SITEMAP: "a sitemap, named by robots.txt or a sitemap index",
        SkipKind.OFFSITE: f"off-site: not on allowed_hosts ({', '.join(site.allowed_hosts)})",
        SkipKind.ROBOTS: "disallowed by robots.txt",
        SkipKind.BAD_LINK: "bad link: cannot be read, or longer than URLLENGTH_LIMIT",
        SkipKind.SITEMAP_TOO_DEEP: "a sitemap below more than one sitemap index (not read)",
    }.get(rule, rule)


def _print_page(site: SiteConfig, page, shown: int) -> None:
    groups: dict[tuple[str, str], list[str]] = {}  # (kind, rule) -> its links, each once, in page order
    for url, kind, rule in dict.fromkeys(page.links):
        groups.setdefault((kind, rule), []).append(url or "(a link that cannot be read)")
    counts = {kind: sum(len(urls) for (k, _), urls in groups.items() if k == kind) for kind in KIND_ORDER}
    total = sum(counts.values())
    print(f"\n{page.kind} {page.url}: {total} link{'' if total == 1 else 's'} "
          f"({', '.join(f'{n} {kind}' for kind, n in counts.items())})")
    for (kind, rule), urls in sorted(groups.items(), key=lambda group: KIND_ORDER.index(group[0][0])):
        print(f"  {kind:8} {_rule_text(site, rule)}: {len(urls)}")
        for url in urls[:shown or None]:
            print(f"           {_cut(url)}")
        if shown and len(urls) > shown:
            print(f"           … and {len(urls) - shown} more (--links 0 lists all)")


def _extract_samples(site: SiteConfig, samples, settings, warn) -> list[tuple[str, object]]:
    """``(url, article)`` of every sample page that gave one; the others are warned about."""
    from pipeline.dedup import copies_among

    articles = []
    for page in samples:
        try:
            article = extracted(page, site, settings)
        except ExtractionError as exc:
            warn(f"{page.url}: extraction failed ({exc.kind})")
            continue
        if not article.text.strip():
            warn(f"{page.url}: no article text left after cleaning")
        articles.append((page.url, article))
    texts = [a.text for _, a in articles]
    copies = copies_among(texts, settings.getfloat("NEWSRAKE_NEAR_THRESHOLD"))
    for n, ((url, article), copy) in enumerate(zip(articles, copies), 1):
        print(f"\n  [{n}] {url}\n      title:   {article.title or '(none)'}\n"
              f"      date:    {article.published_at or '(none)'}"
              f"{f' ({article.date_source})' if article.date_source else ''}\n"
              f"      author:  {article.author or '(none)'}")
        lines = article.text.splitlines()
        print(f"      text:    {len(article.text)} characters, {len(lines)} lines")
        for line in lines[:TEXT_LINES]:
            print(f"        {_cut(line)}")
        if copy:
            print(f"      copy of: [{copy[0] + 1}] ({copy[1]})")
        print(f"      removed: {len(article.removals)}")
        for line in removal_lines(article):
            print(f"        {_cut(line)}")
    if len(articles) > 1 and all(copies):
        warn(f"every sampled article is a copy of another sample ({', '.join(sorted({c[1] for c in copies}))}): "
             f"article_pattern may match pages that are not articles")
    return articles


def _check_site(site: SiteConfig, result, settings, shown: int) -> list[str]:
    """Print what was read for ``site`` and its samples; return the warnings."""
    warnings: list[str] = []
    warn = warnings.append
    print(f"== {site.name}")
    pages = [p for p in result.pages if p.site == site.name]
    seeds = site.seed_urls
    pages.sort(key=lambda p: seeds.index(p.url) if p.url in seeds else len(seeds))
    for page in pages:
        _print_page(site, page, shown)
    for _, url, kind in (f for f in result.failed if f[0] == site.name):
        warn(f"{url}: cannot fetch: {kind}")
    article_links = {url for page in pages for url, kind, _ in page.links if kind == ARTICLE}
    if not pages:
        warn("no start page, feed or sitemap could be read")
    elif not article_links:
        n_links = len({url for page in pages for url, _, _ in page.links})
        warn(f"no article links: {n_links} links on {len(pages)} page{'' if len(pages) == 1 else 's'} read, none that "
             f"article_pattern '{site.article_pattern.pattern}' matches and the crawl would fetch")
    samples = sorted((p for p in result.samples if p.site == site.name), key=lambda p: p.url)
    if samples:
        print(f"\nsample articles: {len(samples)} of {len(article_links)} article links")
    articles = [a for _, a in _extract_samples(site, samples, settings, warn) if a.text.strip()]
    if articles and not any(a.published_at for a in articles):
        warn(f"none of the {len(articles)} sampled articles has a date")
    if articles and not any(a.author for a in articles):
        warn(f"none of the {len(articles)} sampled articles has an author")
    return [f"{site.name}: {w}" for w in warnings]


def cmd_check(args) -> int:
    from pipeline.crawl.runner import check_sites, newsrake_settings

    sites = load_config(args.config)
    if args.site:
        sites = [site_named(sites, args.site)]
    overrides = dict(args.set or [])
    settings = newsrake_settings(overrides)
    result = check_sites(sites, args.limit, overrides, args.verbose)
    warnings = []
    for site in sites:
        warnings += _check_site(site, result, settings, args.links)
        print()
    if not warnings:
        print("no warnings: " + ("the site looks" if len(sites) == 1 else "the sites look") + " usable")
        return 0
    print(f"{len(warnings)} warning{'s' if len(warnings) > 1 else ''}:")
    for line in warnings:
        print(f"  {line}")
    return EXIT_FLAGGED


def cmd_init(args) -> int:
    path = Path(args.path)
    if path.exists() and not path.is_file():
        raise UsageError(f"{path}: not a regular file; init writes a new config file")
    try:
        with open(path, "w" if args.force else "x", encoding="utf-8") as f:
            f.write(CONFIG_TEMPLATE)
    except FileExistsError:
        raise UsageError(f"{path}: file exists (use --force to overwrite)") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror}") from None
    print(f"wrote {path}: edit its URLs and patterns, then try it: newsrake check {path}")
    return 0
