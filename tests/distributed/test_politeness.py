"""A site's download_delay holds for the whole fleet: two workers never hit its host closer than the delay."""

from __future__ import annotations

import re
import threading
import time

from tests.distributed.conftest import FLEET, fleet_args, start_worker, stop
from tests.faults.server import HOLD_LIMIT, PathWeb, article_html, good_path
from tests.helpers import committed, finish, start_crawl, wait_for, write_config

DELAY = 0.3
ARTICLES = 10


class TimedWeb(PathWeb):
    """A list page of ``articles`` articles; the arrival time of every request, in order. The list page is
    served once ``gate`` is set."""

    def __init__(self, articles: int = ARTICLES):
        super().__init__()
        self.articles = articles
        self.arrivals: list[float] = []
        self.gate = threading.Event()
        self.gate.set()

    def _serve(self, path: str):
        with self._lock:
            self.arrivals.append(time.monotonic())
        if path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n", "text/plain"
        if path == "/list.html":
            self.gate.wait(HOLD_LIMIT)
            links = "".join(f"<a href='{good_path(n)}'>{n}</a>" for n in range(self.articles))
            return 200, f"<html><body>{links}</body></html>".encode(), "text/html"
        return 200, article_html(int(path.split("-")[1].split(".")[0])).encode(), "text/html; charset=utf-8"


def test_two_workers_keep_the_site_s_download_delay_between_any_two_requests(redis_server, tmp_path):
    with TimedWeb() as web:
        config = write_config(tmp_path / "sites.toml", [web.url("/list.html")], download_delay=DELAY)
        db = tmp_path / "news.db"
        result = finish(start_crawl(config, db, FLEET, args=fleet_args(redis_server.url, 2)), time.monotonic(), 240)
        arrivals = list(web.arrivals)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(committed(db)) == ARTICLES
    assert len(arrivals) == ARTICLES + 3  # the list, the articles, one robots.txt per worker
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    assert min(gaps) >= DELAY, gaps


def pages_fetched(worker_log: str) -> int:
    """The pages a worker fetched, from its own stats (dumped as it closes, with -v): responses but its robots.txt."""
    found = re.search(r"'downloader/response_count': (\d+)", worker_log)
    return int(found.group(1)) - 1 if found else 0


def joined(client) -> int:
    """How many workers joined the run going on."""
    token = client.hget("newsrake:run", "token")
    return client.scard(f"newsrake:{token.decode()}:workers") if token else 0


def test_two_workers_share_out_a_delay_bound_site_s_pages(redis_server, tmp_path):
    """A worker leases no more of a site with download_delay than it can start (its requests go one at a
    time): with the default CONCURRENT_REQUESTS (32), neither worker takes the whole queue."""
    articles = 20
    with TimedWeb(articles) as web:
        web.gate.clear()  # the list page waits until both workers have joined
        config = write_config(tmp_path / "sites.toml", [web.url("/list.html")], download_delay=DELAY)
        db = tmp_path / "news.db"
        coordinator = start_crawl(config, db, FLEET, args=fleet_args(redis_server.url, 0))
        workers = [start_worker(config, redis_server.url, tmp_path, "-v") for _ in range(2)]
        try:
            try:
                assert wait_for(lambda: joined(redis_server.client) == 2, coordinator)
            finally:
                web.gate.set()
            result = finish(coordinator, time.monotonic(), 240)
            logs = [finish(w, time.monotonic(), 60) for w in workers]
        finally:
            stop(coordinator, *workers)
        arrivals = list(web.arrivals)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(committed(db)) == articles
    fetched = [pages_fetched(log.stderr) for log in logs]
    assert sum(fetched) == articles + 1
    assert min(fetched) >= articles // 4, fetched
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    assert min(gaps) >= DELAY, gaps
