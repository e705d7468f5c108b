"""The demo web crawled by a coordinator and 2 workers through a real Redis: the local crawl's archive."""

from __future__ import annotations

import json
import time
from collections import Counter

from tests.crawl.test_crawl import path_of, story
from tests.distributed.conftest import FLEET, fleet_args
from tests.helpers import finish, rows, start_crawl


def distributed_crawl(config, db, url, workers=2, settings=None, timeout=240):
    start = time.monotonic()
    return finish(start_crawl(config, db, {**FLEET, **(settings or {})}, args=fleet_args(url, workers)), start,
                  timeout)


def archive(db):
    """What a crawl of the demo web leaves, independent of which copy of a story came first: the stories
    stored, the duplicates as (story, kind) pointing at an article of the same story, the run's counts."""
    keys = {id_: f"{site}:{path_of(url)}" for id_, site, url in rows(db, "SELECT id, site, url FROM articles")}
    duplicates = Counter()
    for url, site, target, kind in rows(db, "SELECT url, site, article_id, kind FROM duplicates"):
        key = f"{site}:{path_of(url)}"
        assert story(keys[target]) == story(key), key
        duplicates[story(key), kind] += 1
    (run,) = rows(db, "SELECT status, pages_fetched, articles_stored, articles_updated, duplicates, errors, stats "
                      "FROM runs ORDER BY id DESC LIMIT 1")
    sites = json.loads(run[-1])["sites"]
    links = {site: (s.get("fetched"), s.get("new_links"), s.get("known_links")) for site, s in sites.items()}
    return sorted(story(k) for k in keys.values()), duplicates, run[:-1], links


def test_two_workers_give_the_local_crawl_s_archive_and_the_next_night_fetches_no_known_article(
        crawled, demo_web, demo_config, redis_server, tmp_path):
    local_db, local_result, _ = crawled
    db = tmp_path / "news.db"
    result = distributed_crawl(demo_config, db, redis_server.url)
    assert result.returncode == local_result.returncode, result.stderr[-3000:]
    assert archive(db) == archive(local_db)
    assert "run 1 completed: 4 sites, 26 stored, 0 flagged" in result.stdout.splitlines()[-1]
    assert redis_server.client.keys("newsrake:*") == []  # frontier, dupefilter, stream, leases: cleared

    # the next night: articles stored or recorded as duplicates are not fetched again
    stored = {path_of(u) for (u,) in rows(db, "SELECT url FROM articles UNION SELECT url FROM duplicates")}
    before = len(demo_web.requests)
    again = distributed_crawl(demo_config, db, redis_server.url)
    assert again.returncode == local_result.returncode, again.stderr[-3000:]
    fetched = {path for _, path in demo_web.requests[before:]}
    assert fetched and not fetched & stored
    assert rows(db, "SELECT status, articles_stored, duplicates FROM runs WHERE id = 2") == [("completed", 0, 0)]


def test_the_fault_site_s_faults_are_counted_as_in_a_local_crawl(redis_server, tmp_path):
    from tests.crawl.test_faults import EXPECTED_ERRORS, N_GOOD, TIMEOUT
    from tests.faults import FaultWeb, HangServer, good_path
    from tests.helpers import write_config

    with FaultWeb(host="127.0.0.2", n_good=2, faults=False) as other, HangServer() as hang:
        with FaultWeb(n_good=N_GOOD, offsite_target=other.url("/news/offsite-target.html"), drip_seconds=4 * TIMEOUT,
                      extra_links=[hang.url("/news/hang.html"), other.url(good_path(0))]) as web:
            paths = web.article_paths()
            web.article_paths = lambda: [p for p in paths if p != "/news/pathological.html"]
            config = write_config(tmp_path / "sites.toml", [web.url("/list.html")])
            db = tmp_path / "news.db"
            result = distributed_crawl(config, db, redis_server.url, settings={"DOWNLOAD_TIMEOUT": str(TIMEOUT)},
                                       timeout=600)
    assert result.returncode in (0, 3), result.stderr[-3000:]
    ((status, errors),) = rows(db, "SELECT status, errors_by_kind FROM runs")
    assert status == "completed"
    assert json.loads(errors) == EXPECTED_ERRORS
    good = {web.url(good_path(n)) for n in range(N_GOOD)}
    assert good <= {u for (u,) in rows(db, "SELECT url FROM articles")}
