"""The site and URL rules of a crawl, as every component reads them: from the settings.

``NEWSRAKE_SITES`` holds the validated :class:`SiteConfig` list (set by the
runner, or by the spider from ``-a config=``); ``NEWSRAKE_CONFIG`` is the file
it came from, recorded with the run.
"""

from __future__ import annotations

from pipeline.core.config import SiteConfig, load_config
from pipeline.core.urls import UrlRules


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
