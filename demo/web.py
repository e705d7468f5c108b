"""The four demo sites: their default loopback addresses and page builders."""

from __future__ import annotations

from demo import site_en_wire, site_gbk_news, site_zh_agg, site_zh_repost
from demo.page import Page

SITE_MODULES = {m.SITE: m for m in (site_zh_agg, site_gbk_news, site_en_wire, site_zh_repost)}

DEFAULT_HOSTS = {
    "zh-agg": "127.0.0.11",
    "gbk-news": "127.0.0.12",
    "en-wire": "127.0.0.13",
    "zh-repost": "127.0.0.14",
}


def build_pages(site: str, base_url: str) -> dict[str, Page]:
    """Every page of ``site`` by path (query string included where it matters)."""
    return SITE_MODULES[site].pages(base_url)


def chrome(article) -> dict:
    """The boilerplate strings printed around ``article`` on its site."""
    return SITE_MODULES[article.site].chrome(article)
