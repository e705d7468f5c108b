"""An extraction worker killed mid-page: its pages are counted, a new worker takes the rest, the run completes.

The hostile site's pages each keep trafilatura busy for seconds; the worker is killed once it has
used more CPU than starting up and the healthy site's small pages can take, so it dies inside a
hostile page whatever the machine's load.
"""

from __future__ import annotations

import json
import signal
import time

import psutil

from tests.crawl.test_extract_budget import PathologicalWeb
from tests.faults import FaultWeb
from tests.helpers import finish, rows, start_crawl, write_config

BUSY_CPU = 2.5  # seconds of a worker's CPU: past its start-up (~1 s) and the small pages, inside a hostile one
SAFETY = 300  # seconds: a bound on the polling, not on speed


def _worker(pid: int) -> psutil.Process | None:
    try:
        return next((c for c in psutil.Process(pid).children() if "spawn_main" in " ".join(c.cmdline())), None)
    except psutil.Error:
        return None


def test_a_worker_killed_on_a_page_fails_only_its_pages_and_the_run_completes(tmp_path):
    with PathologicalWeb(n_good=0, faults=False) as hostile, FaultWeb(host="127.0.0.2", n_good=3,
                                                                      faults=False) as healthy:
        hostile.article_paths = lambda: [f"/news/patho-{i}.html" for i in range(2)]
        config = tmp_path / "sites.toml"
        config.write_text(write_config(tmp_path / "a.toml", [hostile.url("/list.html")], name="hostile").read_text()
                          + write_config(tmp_path / "b.toml", [healthy.url("/list.html")], name="healthy").read_text())
        db = tmp_path / "news.db"
        start = time.monotonic()
        proc = start_crawl(config, db, {"DOWNLOAD_TIMEOUT": "60", "NEWSRAKE_EXTRACT_TIMEOUT": "120",
                                        "NEWSRAKE_EXTRACT_WORKERS": "1"})
        killed = None
        while proc.poll() is None and time.monotonic() < start + SAFETY and killed is None:
            worker = _worker(proc.pid)
            try:
                if worker is not None and worker.cpu_times().user > BUSY_CPU:
                    worker.send_signal(signal.SIGKILL)
                    killed = worker.pid
            except psutil.Error:
                pass
            time.sleep(0.05)
        result = finish(proc, start, timeout=SAFETY)
    assert killed is not None, "the worker was never seen busy on a hostile page"
    assert result.returncode == 0, result.stderr[-3000:]
    (status, errors, stats), = rows(db, "SELECT status, errors_by_kind, stats FROM runs")
    assert status == "completed"
    failed = json.loads(errors).get("extract_failed", 0)
    assert failed >= 1  # the page the worker died on (and the one it held next, if any)
    sites = json.loads(stats)["sites"]
    assert sum(sites[s].get("stored", 0) for s in sites) + failed == 5  # every other page is stored
    assert "an extraction worker died" in result.stderr
