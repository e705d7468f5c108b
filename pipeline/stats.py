"""Namespaced crawl counters: ``newsrake/<site>/<name>`` plus a ``newsrake/<name>`` total."""

from __future__ import annotations

PREFIX = "newsrake/"


def count(stats, site: str, name: str, n: int = 1) -> None:
    stats.inc_value(f"{PREFIX}{site}/{name}", n)
    stats.inc_value(f"{PREFIX}{name}", n)


def totals(all_stats: dict, sites) -> dict:
    """The run-wide counters (``fetched``, ``stored``, ``errors/http_404``, ...)."""
    site_prefixes = tuple(f"{PREFIX}{s}/" for s in sites)
    return {k[len(PREFIX):]: v for k, v in all_stats.items()
            if k.startswith(PREFIX) and not k.startswith(site_prefixes)}


def per_site(all_stats: dict, site: str) -> dict:
    prefix = f"{PREFIX}{site}/"
    return {k[len(prefix):]: v for k, v in all_stats.items() if k.startswith(prefix)}
