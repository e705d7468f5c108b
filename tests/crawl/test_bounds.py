"""Bounded discovery: crawler traps end by themselves, big inputs are capped, hostile regexes are refused.

Crawls run through the CLI against :class:`tests.faults.traps.TrapWeb`. Each
test asserts on what ends the crawl, through the counters of the run row
(``runs.stats``), the exit code and the server's request log; never on time.
"""

from __future__ import annotations

import json
import re
import signal
import time
from pathlib import Path

import pytest

from pipeline.core.config import parse_config
from pipeline.crawl import settings as defaults
from tests.faults.traps import TrapWeb
from tests.helpers import ROOT, crawl, finish, newsrake, rows, rss, start_crawl, wait_for, write_config

MB = 1 << 20


@pytest.fixture
def web():
    """A trap site per test: its request log is that test's alone."""
    with TrapWeb() as trap:
        yield trap


def site_config(tmp_path: Path, start_urls=(), follow_pattern=None, **extra) -> Path:
    return write_config(tmp_path / "sites.toml", list(start_urls), name="traps", article_pattern="/news/",
                        follow_pattern=follow_pattern, **extra)


def run_row(db) -> tuple[str, dict]:
    (status, stats), = rows(db, "SELECT status, stats FROM runs")
    return status, json.loads(stats)["sites"]["traps"]


def stored_paths(db) -> set[str]:
    return {re.sub(r"^http://[^/]+", "", u) for (u,) in rows(db, "SELECT url FROM articles UNION "
                                                                  "SELECT url FROM duplicates")}


def completed(result, db) -> dict:
    assert result.returncode == 0, result.stderr[-3000:]
    status, counts = run_row(db)
    assert status == "completed"
    return counts


# -- traps ------------------------------------------------------------------------

def test_endless_pagination_stops_at_the_default_follow_depth(web, tmp_path):
    """No setting lowered: the default NEWSRAKE_FOLLOW_DEPTH ends the trap (two new stories a page: never
    thin); the last page's articles are stored."""
    depth = defaults.NEWSRAKE_FOLLOW_DEPTH
    config = site_config(tmp_path, [web.url("/page/1000.html")], follow_pattern=r"/page/\d+\.html$")
    result = crawl(config, tmp_path / "news.db", timeout=600)
    counts = completed(result, tmp_path / "news.db")
    assert web.fetched("/page/") >= {f"/page/{n}.html" for n in range(1000, 1000 + depth + 1)}
    assert f"/page/{1000 + depth + 1}.html" not in web.fetched("/page/")
    assert counts["follow_too_deep"] == 1 and "thin_lists" not in counts
    assert {f"/news/page-{1000 + depth}-{k}.html" for k in (1, 2)} <= stored_paths(tmp_path / "news.db")


def test_calendar_stops_when_its_list_pages_go_thin(web, tmp_path):
    """No setting lowered: day pages linking one story and six other days are followed until the last
    NEWSRAKE_THIN_LIST_WINDOW of them average under NEWSRAKE_THIN_LIST_LINKS new article links; every
    story of a day page that was read is still fetched and stored."""
    config = site_config(tmp_path, [web.url("/cal/2024-05-01.html")], follow_pattern=r"/cal/[\d-]+\.html$")
    result = crawl(config, tmp_path / "news.db", timeout=600)
    counts = completed(result, tmp_path / "news.db")
    assert counts["thin_lists"] > 0
    assert "over_budget" not in counts and "follow_too_deep" not in counts
    days = {p[len("/cal/"):-len(".html")] for p in web.fetched("/cal/")}
    assert len(days) < defaults.NEWSRAKE_MAX_PAGES / 10
    assert {f"/news/cal-{day}.html" for day in days} == stored_paths(tmp_path / "news.db")


def test_calendar_stops_at_the_page_cap(web, tmp_path):
    """A site without max_pages gets NEWSRAKE_MAX_PAGES (lowered here to keep the test short; thin-list
    detection off, or it would end the calendar first)."""
    config = site_config(tmp_path, [web.url("/cal/2024-05-01.html")], follow_pattern=r"/cal/[\d-]+\.html$")
    result = crawl(config, tmp_path / "news.db", {"NEWSRAKE_MAX_PAGES": "40", "NEWSRAKE_THIN_LIST_WINDOW": "0"},
                   timeout=600)
    counts = completed(result, tmp_path / "news.db")
    assert counts["fetched"] == 40
    assert counts["over_budget"] > 0
    assert len(web.fetched("/cal/") | web.fetched("/news/")) == 40


def test_site_max_pages_overrides_the_default_cap(web, tmp_path):
    config = site_config(tmp_path, [web.url("/page/5000.html")], follow_pattern=r"/page/\d+\.html$", max_pages=30)
    result = crawl(config, tmp_path / "news.db", {"NEWSRAKE_MAX_PAGES": "10", "NEWSRAKE_FOLLOW_DEPTH": "0"},
                   timeout=600)
    counts = completed(result, tmp_path / "news.db")
    assert counts["fetched"] == 30
    assert counts["over_budget"] > 0
    assert "follow_too_deep" not in counts


def test_sitemap_index_chain_stops_at_the_default_depth(web, tmp_path):
    """An index listing an index listing an index ...: NEWSRAKE_SITEMAP_DEPTH levels are followed, by default."""
    depth = defaults.NEWSRAKE_SITEMAP_DEPTH
    config = site_config(tmp_path, sitemaps=[web.url("/sitemap/100.xml")])
    result = crawl(config, tmp_path / "news.db", timeout=600)
    counts = completed(result, tmp_path / "news.db")
    assert {f"/sitemap/{100 + n}.xml" for n in range(depth + 1)} <= web.fetched("/sitemap/")
    assert f"/sitemap/{100 + depth + 1}.xml" not in web.fetched("/sitemap/")
    assert counts["sitemap_too_deep"] == 2  # what the deepest index read lists: a urlset and the next index
    assert {f"/news/level-{100 + n}.html" for n in range(depth)} <= stored_paths(tmp_path / "news.db")
    assert f"/urls/{100 + depth}.xml" not in web.fetched("/urls/")


def test_run_time_limit_ends_an_unbounded_trap_as_completed(web, tmp_path):
    """With the page cap and the depth limit off, only CLOSESPIDER_TIMEOUT can end endless pagination."""
    config = site_config(tmp_path, [web.url("/page/0.html")], follow_pattern=r"/page/\d+\.html$")
    result = crawl(config, tmp_path / "news.db", {"NEWSRAKE_MAX_PAGES": "0", "NEWSRAKE_FOLLOW_DEPTH": "0",
                                                  "CLOSESPIDER_TIMEOUT": "5"}, timeout=600)
    counts = completed(result, tmp_path / "news.db")
    assert counts["time_limit"] == 1
    assert counts["stored"] > 0
    assert "run 1: completed" in result.stdout


def test_time_limit_and_caps_are_shown_by_stats(web, tmp_path):
    config = site_config(tmp_path, [web.url("/page/0.html")], follow_pattern=r"/page/\d+\.html$")
    crawl(config, tmp_path / "news.db", {"NEWSRAKE_FOLLOW_DEPTH": "2"}, timeout=600)
    out = newsrake("stats", "--db", tmp_path / "news.db")
    assert out.returncode == 0, out.stderr
    assert re.search(r"traps\s+follow_too_deep\s+1", out.stdout), out.stdout


# -- big inputs: capped, counted, and the process tree stays small ------------------

BIG = {  # input -> (config keys, links in it, links taken by the default cap)
    "list": (lambda web: {"start_urls": [web.url("/big/list.html")]}, 30_000, defaults.NEWSRAKE_MAX_LINKS_PER_PAGE),
    "sitemap": (lambda web: {"sitemaps": [web.url("/big/sitemap.xml")]}, 150_000, defaults.NEWSRAKE_MAX_URLS_PER_FEED),
    "feed": (lambda web: {"feeds": [web.url("/big/feed.xml")]}, 100_000, defaults.NEWSRAKE_MAX_URLS_PER_FEED),
}
PAGES = 50


@pytest.mark.parametrize("kind", list(BIG))
def test_big_input_is_capped_and_the_tree_stays_under_500_mb(web, tmp_path, kind):
    """30,000 links in one <div>, a 150k-URL sitemap, a 100k-item feed, with the default caps.

    Every link taken past the page budget is counted as over_budget, none is fetched; the rest of
    a sitemap or feed is not read link by link once the budget is spent (only a list page's are).
    """
    keys, links, taken = BIG[kind]
    config = site_config(tmp_path, **keys(web))
    result = crawl(config, tmp_path / "news.db", {"NEWSRAKE_MAX_PAGES": str(PAGES)}, timeout=900)
    counts = completed(result, tmp_path / "news.db")
    assert counts["links_over_cap"] == links - taken
    assert counts["fetched"] == PAGES  # the big page itself and PAGES - 1 articles
    assert counts["over_budget"] == taken - (PAGES - 1)
    assert counts["article_links"] == (taken if kind == "list" else PAGES - 1)
    assert len(web.fetched("/news/")) == PAGES - 1
    assert 0 < result.peak_rss < 500 * MB, result.peak_rss


def test_known_articles_of_a_sitemap_do_not_use_the_next_nights_budget(tmp_path):
    """Night 2 skips the articles night 1 stored and spends its budget on the next ones."""
    with TrapWeb(big_urls=200) as trap:
        config = site_config(tmp_path, sitemaps=[trap.url("/big/sitemap.xml")])
        db = tmp_path / "news.db"
        for _night in (1, 2):
            result = crawl(config, db, {"NEWSRAKE_MAX_PAGES": "20"}, timeout=600)
            assert result.returncode == 0, result.stderr[-3000:]
        (status, stats), = rows(db, "SELECT status, stats FROM runs WHERE id = 2")
        assert status == "completed"
        assert json.loads(stats)["sites"]["traps"]["over_budget"] == 200 - 19 - 19
        assert len(trap.fetched("/news/")) == 38
        assert all(trap.hits[path] == 1 for path in trap.fetched("/news/"))
        assert rows(db, "SELECT count(*) FROM articles") == [(38,)]


def test_sitemap_lines_of_robots_txt_are_capped(tmp_path):
    with TrapWeb(robots_sitemaps=50) as trap:
        config = site_config(tmp_path, sitemaps=[trap.url("/robots.txt")])
        result = crawl(config, tmp_path / "news.db", {"NEWSRAKE_MAX_URLS_PER_FEED": "10"}, timeout=600)
        counts = completed(result, tmp_path / "news.db")
        assert counts["links_over_cap"] == 40
        assert len(trap.fetched("/urls/")) == 10


def test_sigterm_while_reading_a_hostile_list_page_stops_the_run(tmp_path):
    """SIGTERM right after the 30,000-link page was served: the run is stopped, not left running."""
    with TrapWeb(article_delay=0.05) as trap:
        config = site_config(tmp_path, [trap.url("/big/list.html")])
        db = tmp_path / "news.db"
        start = time.monotonic()
        proc = start_crawl(config, db)
        try:
            assert wait_for(lambda: trap.hits["/big/list.html"], proc), "the list page was never requested"
            assert proc.poll() is None
            proc.send_signal(signal.SIGTERM)
            result = finish(proc, start, timeout=600, sample=rss)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert result.returncode == 130, result.stderr[-3000:]
    assert run_row(db)[0] == "stopped"
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


# -- overlong links and hostile regexes ----------------------------------------------

def test_overlong_link_is_a_bad_link_not_a_request(web, tmp_path):
    config = site_config(tmp_path, [web.url("/long.html")])
    result = crawl(config, tmp_path / "news.db", timeout=600)
    counts = completed(result, tmp_path / "news.db")
    assert counts["bad_links"] == 1
    assert "/news/short.html" in stored_paths(tmp_path / "news.db")
    assert not [p for p in web.fetched("/news/a") if len(p) > 1000]


@pytest.mark.parametrize("key, line", [
    ("article_pattern", "article_pattern = '/news/(a+)+$'"),
    ("follow_pattern", "follow_pattern = '/list/(\\d+,?)+$'"),
    ("drop_patterns'[0]", "drop_patterns = ['^(\\w+\\s?)*$']"),
])
def test_catastrophic_regex_is_refused_at_config_load(tmp_path, key, line):
    config = tmp_path / "sites.toml"
    body = "[[sites]]\nname = 'hostile'\nstart_urls = ['http://127.0.0.1:9/']\narticle_pattern = '/news/'\n"
    if key == "article_pattern":
        body = body.replace("article_pattern = '/news/'\n", "")
    config.write_text(body + line + "\n", encoding="utf-8")
    result = newsrake("crawl", config, "--db", tmp_path / "news.db")
    assert result.returncode == 2, result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert str(config) in message and "(hostile)" in message and f"key '{key}" in message
    assert "catastrophic backtracking" in message
    assert not (tmp_path / "news.db").exists()


def test_every_shipped_config_passes_the_regex_check():
    """The demo config and the README's example stay valid."""
    import tomllib

    readme = (ROOT / "README.md").read_text("utf-8")
    examples = re.findall(r"```toml\n(.*?)```", readme, re.S)
    assert examples
    for text in [*examples, (ROOT / "demo" / "sites.toml").read_text("utf-8")]:
        assert parse_config(tomllib.loads(text))
