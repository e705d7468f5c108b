"""No orphans: a crawl killed at any moment, startup included, leaves no process of its own behind.

Every crawl here carries a marker in its environment, which the processes it
spawns (extraction workers, multiprocessing's resource tracker) inherit; after
the kills the test waits until no process with the marker is left. The site
(one per crawl) holds every article request after the first few, so a crawl is
still running whenever the kill comes, however loaded the machine.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid

import psutil

from tests.faults import FaultWeb
from tests.helpers import ROOT, crawl_cmd, wait_for, write_config

MARKER = "NEWSRAKE_ORPHAN_TEST"
FROM_START = [0, 1.5, 4.0]  # seconds after the crawl starts (Python and Scrapy starting up)
FROM_WORKER = [0, 0.01, 0.03, 0.1, 0.3, 0.6, 1.2]  # seconds after its first worker process appears
SAFETY = 120  # seconds: a bound on the polling, not on how fast workers go


def marked(token: str) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.environ().get(MARKER) == token:
                found.append(proc)
        except psutil.Error:  # gone meanwhile, or another user's
            continue
    return found


def first_worker(proc: subprocess.Popen) -> None:
    """Poll until the crawl has spawned an extraction worker (or has exited)."""
    deadline = time.monotonic() + SAFETY
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            children = psutil.Process(proc.pid).children()
        except psutil.Error:
            return
        for child in children:
            try:
                if "spawn_main" in " ".join(child.cmdline()):
                    return
            except psutil.Error:
                continue
        time.sleep(0.005)


def test_workers_never_outlive_a_killed_crawl(tmp_path):
    token = uuid.uuid4().hex
    env = {**os.environ, "PYTHONPATH": str(ROOT), MARKER: token}
    moments = [("start", d) for d in FROM_START] + [("worker", d) for d in FROM_WORKER]
    try:
        for i, (since, delay) in enumerate(moments):
            with FaultWeb(n_good=20, faults=False, hold_after=3) as web:
                config = write_config(tmp_path / "sites.toml", [web.url("/list.html")])
                log = open(tmp_path / f"crawl{i}.log", "w")
                proc = subprocess.Popen(crawl_cmd(config, tmp_path / f"news{i}.db"), cwd=ROOT, env=env,
                                        stdout=log, stderr=subprocess.STDOUT)
                try:
                    if since == "worker":
                        first_worker(proc)
                    time.sleep(delay)
                    proc.send_signal(signal.SIGKILL)
                finally:
                    proc.wait(SAFETY)
                    log.close()
        assert wait_for(lambda: not marked(token), tries=int(SAFETY / 0.05)), \
            [" ".join(p.cmdline()) for p in marked(token)]
    finally:
        for proc in marked(token):  # whatever the outcome, this test leaves nothing running
            proc.kill()
