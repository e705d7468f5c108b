"""The crawl's extraction workers, seen from outside: the pages a worker holds and the answers it sends
back may each be far larger than a pipe's buffer; the default workers are one a core (at most 4), and the
one sharing the crawl process's core is niced, so the serial crawl process gets that core when it wants it."""

from __future__ import annotations

import json
import os
import time

import psutil

from tests.crawl.test_extract_budget import PathologicalWeb
from tests.faults import FaultWeb
from tests.faults.server import _words, article_html
from tests.helpers import crawl, finish, rows, start_crawl, write_config

SAFETY = 300  # seconds: a bound on the polling, not on speed
N_LONG = 4


class LongWeb(FaultWeb):
    """``N_LONG`` distinct articles of about 500 KB, each with as much text: several pipe buffers each way."""

    def article_paths(self):
        return [f"/news/long-{i}.html" for i in range(N_LONG)]

    def _serve(self, h, path, hits):
        if path.startswith("/news/long-"):
            n = int(path.removeprefix("/news/long-").removesuffix(".html"))
            words = _words(300 + n, 2000)
            extra = "".join(f"<p>{' '.join(words[(i * 11) % 1900:(i * 11) % 1900 + 50])}</p>" for i in range(1500))
            return self._send(h, 200, article_html(300 + n, f"Long article {n}", extra).encode())
        return super()._serve(h, path, hits)


def test_pages_and_answers_larger_than_a_pipe_go_through_one_worker(tmp_path):
    with LongWeb(n_good=0, faults=False) as web:
        config = write_config(tmp_path / "sites.toml", [web.url("/list.html")])
        db = tmp_path / "news.db"
        result = crawl(config, db, {"NEWSRAKE_EXTRACT_WORKERS": "1"}, timeout=SAFETY)
    assert result.returncode == 0, result.stderr[-3000:]
    stored = rows(db, "SELECT title, length(text) FROM articles ORDER BY title")
    assert [title for title, _ in stored] == [f"Long article {n}" for n in range(N_LONG)]
    assert all(length > 400_000 for _, length in stored)


def _worker_niceness(pid: int) -> dict[int, int]:
    try:
        return {c.pid: c.nice() for c in psutil.Process(pid).children() if "spawn_main" in " ".join(c.cmdline())}
    except psutil.Error:
        return {}


def test_the_worker_on_the_crawl_process_s_core_is_niced(tmp_path):
    cores = os.cpu_count() or 1
    workers = min(4, cores)
    expected = sorted(0 if index < cores - 1 else 10 for index in range(workers))
    with PathologicalWeb(n_good=0, faults=False) as hostile:
        hostile.article_paths = lambda: [f"/news/patho-{i}.html" for i in range(2 * workers)]
        config = write_config(tmp_path / "sites.toml", [hostile.url("/list.html")], name="hostile")
        db = tmp_path / "news.db"
        start = time.monotonic()
        proc = start_crawl(config, db, {"DOWNLOAD_TIMEOUT": "60", "NEWSRAKE_EXTRACT_TIMEOUT": "120"})
        seen: dict[int, int] = {}  # each worker's niceness when last seen (it sets its own as it starts)
        while proc.poll() is None and time.monotonic() < start + SAFETY:
            seen.update(_worker_niceness(proc.pid))
            time.sleep(0.05)
        result = finish(proc, start, timeout=SAFETY)
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(seen.values()) == expected
    (status, errors, stats), = rows(db, "SELECT status, errors_by_kind, stats FROM runs")
    site = json.loads(stats)["sites"]["hostile"]
    # the same page at each URL, each extracted in full: one stored, the rest its copies
    assert status == "completed" and json.loads(errors or "{}") == {}
    assert (site["stored"], site["duplicates"]) == (1, 2 * workers - 1)
