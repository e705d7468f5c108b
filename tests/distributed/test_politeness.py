"""A site's download_delay holds for the whole fleet: two workers never hit its host closer than the delay."""

from __future__ import annotations

import time

from tests.distributed.conftest import FLEET, fleet_args
from tests.faults.server import PathWeb, article_html, good_path
from tests.helpers import committed, finish, start_crawl, write_config

DELAY = 0.3
ARTICLES = 10


class TimedWeb(PathWeb):
    """A list page of ARTICLES articles; the arrival time of every request, in order."""

    def __init__(self):
        super().__init__()
        self.arrivals: list[float] = []

    def _serve(self, path: str):
        with self._lock:
            self.arrivals.append(time.monotonic())
        if path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n", "text/plain"
        if path == "/list.html":
            links = "".join(f"<a href='{good_path(n)}'>{n}</a>" for n in range(ARTICLES))
            return 200, f"<html><body>{links}</body></html>".encode(), "text/html"
        return 200, article_html(int(path.split("-")[1].split(".")[0])).encode(), "text/html; charset=utf-8"


def test_two_workers_keep_the_site_s_download_delay_between_any_two_requests(redis_server, tmp_path):
    with TimedWeb() as web:
        config = write_config(tmp_path / "sites.toml", [web.url("/list.html")], download_delay=DELAY)
        db = tmp_path / "news.db"
        # A worker leases up to CONCURRENT_REQUESTS requests: 2 each, so both workers fetch from the site.
        settings = {**FLEET, "CONCURRENT_REQUESTS": "2"}
        result = finish(start_crawl(config, db, settings, args=fleet_args(redis_server.url, 2)), time.monotonic(), 240)
        arrivals = list(web.arrivals)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(committed(db)) == ARTICLES
    assert len(arrivals) == ARTICLES + 3  # the list, the articles, one robots.txt per worker
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    assert min(gaps) >= DELAY, gaps
