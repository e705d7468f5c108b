"""The per-site budget of extraction time: one hostile site cannot eat the night.

A site of pathological pages (each takes trafilatura seconds, cut at a small
NEWSRAKE_EXTRACT_TIMEOUT) next to a healthy site. Every page costs the hostile
site at least the time limit, so the budget is used up after a few pages
whatever the machine's load; its remaining pages are dropped unextracted.
"""

from __future__ import annotations

import json

from pipeline.extract.workers import DEPTH
from tests.faults import FaultWeb, good_path
from tests.helpers import crawl, newsrake, rows, write_config

N_HOSTILE = 16
LIMIT = 1.0  # NEWSRAKE_EXTRACT_TIMEOUT: a pathological page takes ~4 s, so each costs at least this
BUDGET = 5.0  # NEWSRAKE_SITE_EXTRACT_BUDGET: at most 5 hostile pages fit
# One worker: the pages it already holds when the budget runs out (DEPTH - 1 besides the one that used it up)
# are still extracted; with the default (one a core) the counts would depend on the machine.
MOST_EXTRACTED = int(BUDGET / LIMIT) + DEPTH - 1
ONE_WORKER = {"NEWSRAKE_EXTRACT_WORKERS": "1"}


class PathologicalWeb(FaultWeb):
    """``N_HOSTILE`` distinct URLs, each serving the fault site's pathological page."""

    def article_paths(self):
        return [f"/news/patho-{i}.html" for i in range(N_HOSTILE)]

    def _serve(self, h, path, hits):
        if path.startswith("/news/patho-"):
            return self._fault(h, "/news/pathological.html", hits)
        return super()._serve(h, path, hits)


def test_a_site_over_its_extraction_budget_is_cut_and_the_others_are_not(tmp_path):
    with PathologicalWeb(n_good=0, faults=False) as hostile, FaultWeb(host="127.0.0.2", n_good=3,
                                                                      faults=False) as healthy:
        config = tmp_path / "sites.toml"
        config.write_text(write_config(tmp_path / "a.toml", [hostile.url("/list.html")], name="hostile").read_text()
                          + write_config(tmp_path / "b.toml", [healthy.url("/list.html")], name="healthy").read_text())
        db = tmp_path / "news.db"
        result = crawl(config, db, {"DOWNLOAD_TIMEOUT": "60", "NEWSRAKE_EXTRACT_TIMEOUT": str(LIMIT),
                                    "NEWSRAKE_SITE_EXTRACT_BUDGET": str(BUDGET), **ONE_WORKER}, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert all(hostile.requested(p) == 1 for p in hostile.article_paths())  # fetched, then dropped
    (status, errors, stats), = rows(db, "SELECT status, errors_by_kind, stats FROM runs")
    site = json.loads(stats)["sites"]["hostile"]
    assert status == "completed"
    assert site["extract_budget"] >= N_HOSTILE - MOST_EXTRACTED
    assert site["extract_budget"] + site["errors/extract_timeout"] == N_HOSTILE
    assert json.loads(errors) == {"extract_timeout": site["errors/extract_timeout"]}
    assert {u for (u,) in rows(db, "SELECT url FROM articles")} == {healthy.url(good_path(i)) for i in range(3)}
    assert "hostile: " in result.stderr and "used up NEWSRAKE_SITE_EXTRACT_BUDGET" in result.stderr
    assert "extract_budget" in newsrake("stats", "--db", db).stdout


def test_without_a_budget_every_page_is_extracted(tmp_path):
    with PathologicalWeb(n_good=0, faults=False) as hostile:
        hostile.article_paths = lambda: [f"/news/patho-{i}.html" for i in range(3)]
        config = write_config(tmp_path / "sites.toml", [hostile.url("/list.html")], name="hostile")
        db = tmp_path / "news.db"
        result = crawl(config, db, {"DOWNLOAD_TIMEOUT": "60", "NEWSRAKE_EXTRACT_TIMEOUT": "0.05",
                                    "NEWSRAKE_SITE_EXTRACT_BUDGET": "0"}, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    (errors,), = rows(db, "SELECT errors_by_kind FROM runs")
    assert json.loads(errors) == {"extract_timeout": 3}
