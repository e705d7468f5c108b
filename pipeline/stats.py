"""Namespaced crawl counters: ``newsrake/site/<site>/<name>`` plus a ``newsrake/<name>`` total."""

from __future__ import annotations

PREFIX = "newsrake/"
SITE_PREFIX = "newsrake/site/"


def count(stats, site: str, name: str, n: int = 1) -> None:
    stats.inc_value(f"{SITE_PREFIX}{site}/{name}", n)
    stats.inc_value(f"{PREFIX}{name}", n)


def totals(all_stats: dict) -> dict:
    """The run-wide counters (``fetched``, ``stored``, ``errors/http_404``, ...)."""
    return {k[len(PREFIX):]: v for k, v in all_stats.items()
            if k.startswith(PREFIX) and not k.startswith(SITE_PREFIX)}


def per_site(all_stats: dict, site: str) -> dict:
    prefix = f"{SITE_PREFIX}{site}/"
    return {k[len(prefix):]: v for k, v in all_stats.items() if k.startswith(prefix)}
