"""Namespaced crawl counters: ``newsrake/site/<site>/<name>`` plus a ``newsrake/<name>`` total.

Errors are counted as ``errors/<ErrorKind>``, skips under their
:class:`~pipeline.core.kinds.SkipKind` name; Scrapy's own keys
(``offsite/filtered``, ``robotstxt/forbidden``, ``retry/*``) stay as Scrapy writes them.
"""

from __future__ import annotations

from pipeline.core.kinds import SkipKind

PREFIX = "newsrake/"
SITE_PREFIX = "newsrake/site/"
ERROR_PREFIX = "errors/"
SCRAPY_KEYS = ("offsite/filtered", "robotstxt/forbidden", "retry/count", "retry/max_reached")


def count(stats, site: str, name: str, n: int = 1) -> None:
    stats.inc_value(f"{SITE_PREFIX}{site}/{name}", n)
    stats.inc_value(f"{PREFIX}{name}", n)


def count_error(stats, site: str, kind: str) -> None:
    count(stats, site, ERROR_PREFIX + kind)


def totals(all_stats: dict) -> dict:
    """The run-wide counters (``fetched``, ``stored``, ``errors/http_404``, ...) and Scrapy's own."""
    own = {k[len(PREFIX):]: v for k, v in all_stats.items()
           if k.startswith(PREFIX) and not k.startswith(SITE_PREFIX)}
    return {**own, **{k: all_stats[k] for k in SCRAPY_KEYS if k in all_stats}}


def per_site(all_stats: dict, site: str) -> dict:
    prefix = f"{SITE_PREFIX}{site}/"
    return {k[len(prefix):]: v for k, v in all_stats.items() if k.startswith(prefix)}


def errors_of(counters: dict) -> dict:
    """``{kind: n}`` of the ``errors/<kind>`` entries of a counters dict."""
    return {k[len(ERROR_PREFIX):]: v for k, v in counters.items() if k.startswith(ERROR_PREFIX)}


def skips_of(counters: dict) -> dict:
    """``{kind: n}`` of the skip entries of a counters dict."""
    return {k: v for k, v in counters.items() if k in set(SkipKind)}
