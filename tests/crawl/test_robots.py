"""robots.txt read as RFC 9309 says: 4xx allows all, 5xx or no answer disallows the host, a size cap.

Each crawl has two sites: one whose robots.txt misbehaves, and a healthy one on
another loopback address whose pages must all be stored. What was fetched is
read from the servers' request logs.
"""

from __future__ import annotations

import json
import socket

import pytest

from tests.faults import FaultWeb, HangServer, good_path
from tests.helpers import crawl, rows, write_config

N = 4
KiB = 1024


class RobotsWeb(FaultWeb):
    """A fault site whose /robots.txt answers ``status`` with ``body``."""

    def __init__(self, status: int, body: bytes, **kwargs):
        super().__init__(n_good=N, faults=False, **kwargs)
        self.robots = status, body

    def _serve(self, h, path, hits):
        if path == "/robots.txt":
            return self._send(h, *self.robots, "text/plain")
        return super()._serve(h, path, hits)


def two_sites(tmp_path, odd_url: str, healthy: FaultWeb):
    """A config with the site under test ("odd") and a healthy one."""
    odd = write_config(tmp_path / "odd.toml", [odd_url], name="odd").read_text()
    ok = write_config(tmp_path / "ok.toml", [healthy.url("/list.html")], name="ok").read_text()
    config = tmp_path / "sites.toml"
    config.write_text(odd + "\n" + ok, encoding="utf-8")
    return config


def run_row(db) -> dict:
    (status, errors, stats), = rows(db, "SELECT status, errors_by_kind, stats FROM runs")
    return {"status": status, "errors": json.loads(errors), "sites": json.loads(stats)["sites"]}


def stored_paths(db, web) -> set[str]:
    """Paths of ``web`` stored, or recorded as duplicates (both sites serve the same good articles)."""
    urls = rows(db, "SELECT url FROM articles UNION SELECT url FROM duplicates")
    return {u[len(web.base):] for (u,) in urls if u.startswith(web.base + "/")}


def all_good(n=N) -> set[str]:
    return {good_path(i) for i in range(n)}


def crawl_two(tmp_path, odd_url, healthy, off_limits=False, **settings):
    """Crawl the two sites; with ``off_limits`` the odd site's host is expected off limits: flagged down, exit 3."""
    db = tmp_path / "news.db"
    result = crawl(two_sites(tmp_path, odd_url, healthy), db, {"DOWNLOAD_TIMEOUT": "30", **settings}, timeout=300)
    assert result.returncode == (3 if off_limits else 0), result.stderr[-3000:]
    flags = dict(rows(db, "SELECT site, flags FROM site_runs"))
    assert json.loads(flags["odd"]) == ([{"flag": "down", "figure": "pages_fetched", "value": 0, "usual": None,
                                          "runs": 0}] if off_limits else [])
    return db, result


def test_robots_5xx_keeps_the_whole_host_off_limits_for_the_run(tmp_path):
    with FaultWeb(host="127.0.0.2", n_good=N, faults=False) as healthy, \
            RobotsWeb(503, b"User-agent: *\nAllow: /\n") as web:
        db, result = crawl_two(tmp_path, web.url("/list.html"), healthy, off_limits=True)
    assert [p for _, p in web.log] == ["/robots.txt"] * 3  # Scrapy's two retries, then nothing else
    assert stored_paths(db, healthy) == all_good()
    run = run_row(db)
    assert run["status"] == "completed"
    assert run["errors"] == {"robots_unavailable": 1}
    assert run["sites"]["odd"]["errors/robots_unavailable"] == 1
    assert run["sites"]["odd"]["robots_disallowed"] == 1  # its start URL
    assert "robots_unavailable" not in json.dumps(run["sites"]["ok"])
    assert "robots.txt of 127.0.0.1" in result.stderr and "unavailable (HTTP 503)" in result.stderr


def test_robots_4xx_allows_everything_whatever_its_body_says(tmp_path):
    with FaultWeb(host="127.0.0.2", n_good=1, faults=False) as healthy, \
            RobotsWeb(404, b"User-agent: *\nDisallow: /\n") as web:
        db, _ = crawl_two(tmp_path, web.url("/list.html"), healthy)
    assert stored_paths(db, web) == all_good()
    run = run_row(db)
    assert run["errors"] == {}
    assert "robots_disallowed" not in run["sites"]["odd"]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once it is closed: connections are refused


@pytest.mark.parametrize("how", ["hangs", "refuses"])
def test_unreachable_robots_keeps_the_host_off_limits(tmp_path, how):
    with FaultWeb(host="127.0.0.2", n_good=N, faults=False) as healthy, HangServer() as hang:
        url = hang.url("/list.html") if how == "hangs" else f"http://127.0.0.1:{closed_port()}/list.html"
        db, _ = crawl_two(tmp_path, url, healthy, off_limits=True, DOWNLOAD_TIMEOUT="3")  # only the hanging server reaches it
        accepted = hang.accepted
    if how == "hangs":
        assert accepted == 1  # robots.txt only; the start URL was never requested
    assert stored_paths(db, healthy) == all_good()
    run = run_row(db)
    assert run["status"] == "completed"
    assert run["errors"] == {"robots_unavailable": 1}  # not a timeout or refusal of the page itself
    assert run["sites"]["odd"]["robots_disallowed"] == 1


def big_robots(size: int) -> bytes:
    """``size`` bytes of rules: good-1 disallowed in the first line, good-2 only past 600 KiB."""
    head = b"User-agent: *\nDisallow: /news/good-1.html\n"
    filler = b"".join(b"Disallow: /*/archive-%08d\n" % i for i in range(size // 28))  # wildcards: dearest to parse
    cut = filler.index(b"\n", 600 * KiB) + 1
    return head + filler[:cut] + b"Disallow: /news/good-2.html\n" + filler[cut:size]


def test_big_robots_is_cut_at_the_cap_and_its_first_rules_obeyed(tmp_path):
    with FaultWeb(host="127.0.0.2", n_good=1, faults=False) as healthy, \
            RobotsWeb(200, big_robots(7 * 1024 * KiB)) as web:
        db, result = crawl_two(tmp_path, web.url("/list.html"), healthy, NEWSRAKE_EXTRACT_WORKERS="1")
    assert web.requested("/news/good-1.html") == 0  # the first rule is obeyed
    assert stored_paths(db, web) == all_good() - {"/news/good-1.html"}  # good-2's rule was past the cap
    assert run_row(db)["sites"]["odd"]["robots_disallowed"] == 1
    # the process tree (crawl + one worker): ~170 MB measured; the whole file parsed took ~350 MB
    assert result.peak_rss < 300 * 2**20, result.peak_rss
