"""Per-visit query parameters, crawled: a site with a new ``?sid=`` in every link on every render,
and a site where ``?id=`` selects the story (tests/faults/session_site.py).

The sid site is an endless crawl unless ``sid`` is recognised. Its server lets
two list renders through and holds the later ones until the parameter is on
record (the test watches the database), so what the first night fetches does
not depend on how fast this machine extracts pages.
"""

from __future__ import annotations

import json
import sqlite3
import time
from types import SimpleNamespace

import pytest

from tests.faults.session_site import SessionWeb
from tests.helpers import crawl, finish, rows, start_crawl, wait_for, write_config
from tests.helpers import newsrake as cli

N_STORIES, N_LISTS, FREE_RENDERS = 5, 3, 2
# The first night fetches each story under the two sessions of the free renders; a story stored after
# `sid` was found may be fetched once more under its clean URL before its batch is committed.
FIRST_NIGHT_MAX = N_STORIES * FREE_RENDERS + N_STORIES


def session_params(db) -> list[tuple]:
    try:
        return rows(db, "SELECT site, param, run_id FROM session_params")
    except sqlite3.OperationalError:  # the crawl has not created the database yet
        return []


def site_config(tmp, web, **extra):
    return write_config(tmp / "sites.toml", [web.url("/list.html")], name="sess", follow_pattern=r"/list",
                        max_pages=200, **extra)  # max_pages: a broken build ends, counted, instead of looping


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sessions")
    db = tmp / "news.db"
    with SessionWeb("sid", n_stories=N_STORIES, n_lists=N_LISTS, hold_lists_after=FREE_RENDERS) as web:
        config = site_config(tmp, web, article_pattern=r"/news/")
        start = time.monotonic()
        proc = start_crawl(config, db)
        try:
            found = bool(wait_for(lambda: session_params(db), proc))
        finally:
            web.release()
            first = finish(proc, start)
        first_hits = web.article_hits
        renders_before = web.list_renders
        second = crawl(config, db)
        return SimpleNamespace(web=web, db=db, found=found, first=first, second=second, first_hits=first_hits,
                               second_hits=web.article_hits - first_hits,
                               second_renders=web.list_renders - renders_before)


def run_stats(db, run_id: int) -> dict:
    (stats,), = rows(db, "SELECT stats FROM runs WHERE id = ?", run_id)
    return json.loads(stats)["sites"]["sess"]


def test_first_night_finds_sid_and_stops_refetching(nights):
    assert nights.first.returncode == 0, nights.first.stderr[-3000:]
    assert nights.found, "sid was never recorded as per-visit"
    assert session_params(nights.db) == [("sess", "sid", 1)]
    assert N_STORIES < nights.first_hits <= FIRST_NIGHT_MAX
    assert rows(nights.db, "SELECT status FROM runs WHERE id = 1") == [("completed",)]
    assert run_stats(nights.db, 1)["session_param_links"] > 0


def test_each_story_is_stored_once_under_its_url_without_sid(nights):
    urls = sorted(u for (u,) in rows(nights.db, "SELECT url FROM articles"))
    assert urls == sorted(nights.web.url(nights.web.story_path(n)) for n in range(N_STORIES))
    (examples,), = rows(nights.db, "SELECT examples FROM session_params")
    assert all("?sid=" in url for url in json.loads(examples))


def test_second_night_fetches_no_story_and_each_list_page_once(nights):
    assert nights.second.returncode == 0, nights.second.stderr[-3000:]
    assert nights.second_hits == 0
    assert nights.second_renders == N_LISTS
    assert rows(nights.db, "SELECT count(*) FROM articles") == [(N_STORIES,)]
    assert rows(nights.db, "SELECT articles_stored FROM runs WHERE id = 2") == [(0,)]
    assert run_stats(nights.db, 2)["session_param_links"] > 0


def test_stats_command_shows_the_dropped_links(nights):
    out = cli("stats", "--db", nights.db)
    assert out.returncode == 0, out.stderr
    assert "session_param_links" in out.stdout.split("Skipped or retried")[1]


def test_a_parameter_that_selects_the_story_is_never_dropped(tmp_path):
    db = tmp_path / "news.db"
    # Every story is linked as ?id=N and ?id=0N: the same text under URLs differing only in id.
    with SessionWeb("id", n_stories=N_STORIES, n_lists=N_LISTS) as web:
        result = crawl(site_config(tmp_path, web, article_pattern=r"/article\.php"), db)
    assert result.returncode == 0, result.stderr[-3000:]
    assert session_params(db) == []
    assert web.article_hits == 2 * N_STORIES  # every URL fetched, none rewritten to /article.php
    titles = sorted(t for (t,) in rows(db, "SELECT title FROM articles"))
    assert titles == [f"Story {n}" for n in range(N_STORIES)]
    assert rows(db, "SELECT kind, count(*) FROM duplicates GROUP BY kind") == [("exact", N_STORIES)]
