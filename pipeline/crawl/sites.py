"""The site and URL rules of a crawl, as every component reads them: from the settings.

``NEWSRAKE_SITES`` holds the validated :class:`SiteConfig` list (set by the
runner, or by the spider from ``-a config=``); ``NEWSRAKE_CONFIG`` is the file
it came from, recorded with the run. :func:`link_rule` is what discovery does
with a link (the ``news`` and ``check`` spiders, and ``newsrake check``'s report).
"""

from __future__ import annotations

from pipeline.core.config import SiteConfig, load_config
from pipeline.core.kinds import SkipKind
from pipeline.core.urls import UrlRules

ARTICLE, FOLLOW, IGNORED = "article", "follow", "ignored"  # what discovery does with a link
NO_PATTERN = "no_pattern"  # the rule of a link that matches neither article_pattern nor follow_pattern
SITEMAP = "sitemap"  # the rule of a sitemap named by robots.txt or a sitemap index


def site_rules(settings) -> dict[str, SiteConfig]:
    sites = settings.get("NEWSRAKE_SITES")
    if sites is None and settings.get("NEWSRAKE_CONFIG"):
        sites = load_config(settings.get("NEWSRAKE_CONFIG"))
    return {s.name: s for s in sites or ()}


def allowed_domains(settings) -> list[str]:
    """Every site's hosts: the spider's ``allowed_domains``, for Scrapy's own requests (robots.txt)."""
    return sorted({h for s in site_rules(settings).values() for h in s.allowed_hosts})


def url_rules(settings) -> UrlRules:
    return UrlRules(settings.getlist("NEWSRAKE_TRACKING_PARAMS"))


def link_rule(site: SiteConfig, url: str | None, max_length: int) -> tuple[str, str]:
    """What discovery does with a link found on a page, and the rule that decided it.

    ``(ARTICLE, "article_pattern")``, ``(FOLLOW, "follow_pattern")``, or
    ``(IGNORED, NO_PATTERN | "bad_links")``: ``url`` is the absolute link, None
    when it cannot be joined; one longer than ``max_length`` is a bad link, and
    no site regex runs on it.
    """
    if url is None or len(url) > max_length:
        return IGNORED, SkipKind.BAD_LINK
    if site.is_article(url):
        return ARTICLE, "article_pattern"
    if site.is_followable(url):
        return FOLLOW, "follow_pattern"
    return IGNORED, NO_PATTERN
