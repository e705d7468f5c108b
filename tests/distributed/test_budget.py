"""A site's page budget (max_pages) holds for the whole fleet: two workers fetch what one local crawl fetches."""

from __future__ import annotations

import json
import time

from tests.distributed.conftest import FLEET, fleet_args
from tests.faults.traps import TrapWeb
from tests.helpers import finish, rows, start_crawl, write_config

MAX_PAGES = 20
# Thin-list detection off (it would end the calendar first). The site's delay (fleet-wide) makes its pages
# outlast a worker's start-up, and with one request leased at a time both workers fetch day pages and find
# links of the site (a worker schedules a full budget of links after three day pages).
SETTINGS = {**FLEET, "NEWSRAKE_THIN_LIST_WINDOW": "0", "CONCURRENT_REQUESTS": "1"}
DELAY = 0.25


def calendar_crawl(directory, args=()):
    """Crawl the trap site's endless calendar (every day page links its story and six other days) with
    ``max_pages``: the site's distinct pages and articles the server served, the run's stored + duplicates
    + errors, the site's counters."""
    directory.mkdir()
    with TrapWeb() as web:
        config = write_config(directory / "sites.toml", [web.url("/cal/2024-05-01.html")], name="traps",
                              article_pattern="/news/", follow_pattern=r"/cal/[\d-]+\.html$", max_pages=MAX_PAGES,
                              download_delay=DELAY)
        db = directory / "news.db"
        result = finish(start_crawl(config, db, SETTINGS, args=args), time.monotonic(), 240)
        pages, articles = web.fetched("/cal/"), web.fetched("/news/")
    assert result.returncode == 0, result.stderr[-3000:]
    ((status, stored, duplicates, errors, stats),) = rows(
        db, "SELECT status, articles_stored, duplicates, errors, stats FROM runs")
    assert status == "completed"
    return pages, articles, stored + duplicates + errors, json.loads(stats)["sites"]["traps"]


def test_two_workers_fetch_at_most_the_site_s_max_pages_between_them(redis_server, tmp_path):
    pages, articles, outcomes, counts = calendar_crawl(tmp_path / "fleet", fleet_args(redis_server.url, 2))
    assert len(pages | articles) == MAX_PAGES == counts["fetched"]
    assert outcomes == len(articles)  # every article fetched was stored, recorded as a duplicate or an error
    assert counts["over_budget"] > 0  # the links left over, counted by whichever worker found them
    assert redis_server.client.keys("newsrake:*") == []  # the admitted URLs cleared with the run

    local_pages, local_articles, _, local_counts = calendar_crawl(tmp_path / "local")
    assert len(local_pages | local_articles) == local_counts["fetched"] == MAX_PAGES
