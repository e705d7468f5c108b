"""The limits a local crawl keeps per run hold for the whole fleet: the thin-list rule and the extraction budget."""

from __future__ import annotations

import json
import time

from tests.crawl.test_extract_budget import LIMIT, PathologicalWeb
from tests.distributed.conftest import FLEET, fleet_args
from tests.faults.traps import TrapWeb
from tests.helpers import finish, rows, start_crawl, write_config


def run_row(db, site: str) -> tuple[str, dict]:
    (status, stats), = rows(db, "SELECT status, stats FROM runs")
    return status, json.loads(stats)["sites"][site]


def calendar_days(directory, args=()) -> tuple[int, dict]:
    """Crawl the trap site's endless calendar (a day page links its story and six other days) with the
    default thin-list rule: the day pages the server served, the site's counters."""
    directory.mkdir()
    with TrapWeb() as web:
        config = write_config(directory / "sites.toml", [web.url("/cal/2024-05-01.html")], name="traps",
                              article_pattern="/news/", follow_pattern=r"/cal/[\d-]+\.html$")
        db = directory / "news.db"
        result = finish(start_crawl(config, db, FLEET, args=args), time.monotonic(), 300)
        days = len(web.fetched("/cal/"))
    assert result.returncode == 0, result.stderr[-3000:]
    status, counts = run_row(db, "traps")
    assert status == "completed"
    return days, counts


def test_a_calendar_crawled_by_two_workers_goes_thin_after_about_the_local_crawl_s_pages(redis_server, tmp_path):
    days, counts = calendar_days(tmp_path / "fleet", fleet_args(redis_server.url, 2))
    local_days, local_counts = calendar_days(tmp_path / "local")
    assert counts["thin_lists"] > 0 and local_counts["thin_lists"] > 0
    assert "over_budget" not in counts and "follow_too_deep" not in counts
    # Each worker's own window would read about twice the local crawl's day pages before going thin.
    assert days <= 1.5 * local_days, (days, local_days)
    assert redis_server.client.keys("newsrake:*") == []  # the windows cleared with the run


N_HOSTILE = 20
BUDGET = 5.0  # NEWSRAKE_SITE_EXTRACT_BUDGET: each page costs at least LIMIT seconds
# One extraction process per worker, and a page checked against the budget may wait for it behind one other:
# at most BUDGET / LIMIT pages finish before the fleet's budget is spent, and 2 per worker were checked before.
FLEET_MAX_EXTRACTED = int(BUDGET / LIMIT) + 2 * 2


def test_the_extraction_budget_holds_for_two_workers_together(redis_server, tmp_path):
    """The site's delay shares its pages out between the workers (each would extract more than half of them
    within a budget of its own)."""
    with PathologicalWeb(n_good=0, faults=False) as hostile:
        hostile.article_paths = lambda: [f"/news/patho-{i}.html" for i in range(N_HOSTILE)]
        config = write_config(tmp_path / "sites.toml", [hostile.url("/list.html")], name="hostile",
                              download_delay=0.2)
        db = tmp_path / "news.db"
        settings = {**FLEET, "DOWNLOAD_TIMEOUT": "60", "NEWSRAKE_EXTRACT_TIMEOUT": str(LIMIT),
                    "NEWSRAKE_SITE_EXTRACT_BUDGET": str(BUDGET), "NEWSRAKE_EXTRACT_WORKERS": "1"}
        result = finish(start_crawl(config, db, settings, args=fleet_args(redis_server.url, 2)), time.monotonic(), 600)
        fetched = [hostile.requested(p) for p in hostile.article_paths()]
    assert result.returncode == 0, result.stderr[-3000:]
    assert fetched == [1] * N_HOSTILE  # every page fetched once, then extracted or dropped
    status, site = run_row(db, "hostile")
    assert status == "completed"
    assert site["extract_budget"] + site["errors/extract_timeout"] == N_HOSTILE
    assert site["errors/extract_timeout"] <= FLEET_MAX_EXTRACTED, site
    assert "used up NEWSRAKE_SITE_EXTRACT_BUDGET" in result.stderr
