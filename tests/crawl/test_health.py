"""Site health end to end: nights of one site whose pages change between crawls, judged against its own history.

One module-scoped history of healthy nights; each broken night is crawled on a copy of it.
"""

from __future__ import annotations

import json

import pytest

from tests.faults.server import LoopbackWeb, QuietHandler, article_html, article_text
from tests.helpers import FAST, copy_db, newsrake, rows, write_config

PER_NIGHT = 6  # articles published each night
LISTED = 12  # the list page shows the latest this many
HEALTHY_NIGHTS = 4  # the last is judged against the first three


class NightlyWeb(LoopbackWeb):
    """A news site on loopback that publishes PER_NIGHT articles a night; ``mode`` breaks it:
    ``renamed`` (articles moved to /story/, the config's pattern no longer matches), ``down`` (every
    page a 500) or ``stub`` (the new articles are one short paragraph)."""

    def __init__(self):
        self.night = 0
        self.mode = "normal"
        super().__init__()

    def newest(self) -> int:
        return (self.night + 1) * PER_NIGHT

    def _handler(self):
        web = self

        class Handler(QuietHandler):
            def do_GET(self):
                if self.path == "/robots.txt":
                    return self.send(404, b"no robots.txt")
                if web.mode == "down":
                    return self.send(500, b"internal error")
                if self.path == "/list.html":
                    folder = "story" if web.mode == "renamed" else "news"
                    ids = range(web.newest() - 1, max(-1, web.newest() - 1 - LISTED), -1)
                    links = "".join(f"<li><a href='/{folder}/{n}.html'>Story {n}</a></li>" for n in ids)
                    return self.send(200, f"<html><body><ul>{links}</ul></body></html>".encode())
                n = int(self.path.rsplit("/", 1)[-1].split(".")[0])
                if web.mode == "stub" and n >= web.newest() - PER_NIGHT:
                    stub = f"<p>{article_text(n)[0][:160]}.</p>"
                    return self.send(200, article_html(n).split("<p>")[0].encode() + stub.encode()
                                     + b"</article></body></html>")
                return self.send(200, article_html(n).encode())

        return Handler


def crawl(config, db, *extra):
    return newsrake("crawl", config, "--db", db, *FAST, *extra)


def flags_in_db(db, run_id=None):
    """The site's flags of a run (the latest by default), as site_runs holds them."""
    (flags,), = rows(db, "SELECT flags FROM site_runs WHERE run_id = coalesce(?, (SELECT max(id) FROM runs))",
                     run_id)
    return json.loads(flags)


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    """Healthy nights, then each broken night on a copy of their database: ``{name: (db, result)}``."""
    tmp = tmp_path_factory.mktemp("health")
    db = tmp / "news.db"
    out = {}
    with NightlyWeb() as web:
        config = write_config(tmp / "sites.toml", [web.url("/list.html")], name="nightly", article_pattern=r"/news/\d+",
                              follow_pattern=None)
        healthy = []
        for night in range(HEALTHY_NIGHTS):
            web.night = night
            healthy.append(crawl(config, db))
        out["healthy"] = (db, healthy)
        web.night = HEALTHY_NIGHTS
        for mode, extra in (("renamed", ()), ("down", ("--ok-on-flags",)), ("stub", ())):
            web.mode = mode
            copy = copy_db(db, tmp / f"{mode}.db")
            out[mode] = (copy, crawl(config, copy, *extra))
        web.mode = "normal"
        nothing = write_config(tmp / "nothing.toml", [web.url("/list.html")], name="nightly",
                               article_pattern=r"/no-such-section/", follow_pattern=None)
        out["first"] = (tmp / "first.db", crawl(nothing, tmp / "first.db"))
    return out


def test_healthy_nights_exit_0_without_flags(nights):
    db, results = nights["healthy"]
    assert [r.returncode for r in results] == [0] * HEALTHY_NIGHTS, results[-1].stderr
    assert all(json.loads(f) == [] for (f,) in rows(db, "SELECT flags FROM site_runs"))
    (new, known, stored, median_len, dated), = rows(
        db, "SELECT new_links, known_links, stored, median_text_len, dated_share FROM site_runs WHERE run_id = ?",
        HEALTHY_NIGHTS)
    assert (new, known, stored) == (PER_NIGHT, LISTED - PER_NIGHT, PER_NIGHT) and median_len > 1000 and dated == 1
    last = results[-1].stdout.strip().splitlines()
    assert "ok" in next(line for line in last if line.startswith("nightly"))
    assert last[-1] == f"run {HEALTHY_NIGHTS} completed: 1 sites, {PER_NIGHT} stored, 0 flagged"


def test_pattern_that_no_longer_matches_is_no_links(nights, tmp_path):
    db, result = nights["renamed"]
    assert result.returncode == 3, result.stderr
    lines = result.stdout.strip().splitlines()
    assert f"nightly: 0 article links on 1 list page; usually {LISTED} (last {HEALTHY_NIGHTS} runs). " \
           "article_pattern may no longer match." in lines
    assert lines[-1] == f"run {HEALTHY_NIGHTS + 1} completed: 1 sites, 0 stored, 1 flagged (nightly: no_links)"
    assert flags_in_db(db) == [{"flag": "no_links", "figure": "article_links", "value": 0, "usual": LISTED,
                                "runs": HEALTHY_NIGHTS}]
    stats = json.loads(newsrake("stats", "--db", db, "--json", check=True).stdout)
    latest = stats["runs"][0]
    assert (latest["id"], latest["kind"], latest["status"]) == (HEALTHY_NIGHTS + 1, "crawl", "completed")
    assert [f["flag"] for f in latest["sites"]["nightly"]["flags"]] == ["no_links"]
    assert [run["id"] for run in stats["runs"]] == list(range(HEALTHY_NIGHTS + 1, 0, -1))
    history = newsrake("stats", "--db", db, "--site", "nightly", "--history", check=True).stdout
    assert f"run {HEALTHY_NIGHTS + 1}: nightly: 0 article links" in history
    refused = newsrake("stats", "--db", db, "--site", "nightly-typo")
    assert refused.returncode == 2 and "(sites: nightly)" in refused.stderr


def test_a_reclean_does_not_hide_the_crawl_flags(nights, tmp_path):
    db = copy_db(nights["renamed"][0], tmp_path / "news.db")
    newsrake("reclean", "--db", db, check=True)
    (kind, flags), = rows(db, "SELECT r.kind, s.flags FROM runs r JOIN site_runs s ON s.run_id = r.id"
                              " WHERE r.id = (SELECT max(id) FROM runs)")
    assert (kind, flags) == ("reclean", None)  # a reclean's figures are not judged
    shown = newsrake("stats", "--db", db, check=True).stdout
    assert "nightly: 0 article links on 1 list page" in shown


def test_site_down_is_down(nights):
    db, result = nights["down"]
    assert result.returncode == 0, result.stderr  # --ok-on-flags
    assert [f["flag"] for f in flags_in_db(db)] == ["down"]
    assert "nightly: every request failed, no page fetched (1 error: http_500 1)" in result.stdout


def test_pages_shrunk_to_a_stub_are_text_collapse(nights):
    db, result = nights["stub"]
    assert result.returncode == 3, result.stderr
    flag = next(f for f in flags_in_db(db) if f["flag"] == "text_collapse")
    assert flag["figure"] == "median_text_len" and flag["value"] < flag["usual"] / 4
    assert "nightly: median text length" in result.stdout


def test_first_run_of_a_config_that_matches_nothing_is_no_links(nights):
    db, result = nights["first"]
    assert result.returncode == 3, result.stderr
    assert flags_in_db(db) == [{"flag": "no_links", "figure": "article_links", "value": 0, "usual": None, "runs": 0}]
    assert "nightly: 0 article links on 1 list page. article_pattern may not match the site's links." in result.stdout
