"""The extraction time limit counts the CPU time a page used, not the clock: a page whose extraction is
held up (a busy machine; here the process is stopped with SIGSTOP for longer than the limit) is slower
but not cut. The limit still cuts a page that uses it up (tests/crawl/test_faults.py)."""

import json
import os
import signal
import subprocess
import sys
import time

import psutil

from tests.faults.server import _words
from tests.helpers import ROOT, _env

LIMIT = 10  # NEWSRAKE_EXTRACT_TIMEOUT's default; the page below takes about 4.5 s of CPU to extract
HELD = LIMIT + 2  # seconds the process is stopped in the middle of the page
IN_EXTRACTION = 1.2  # CPU seconds beyond a tiny page's whole run (start-up): well inside the big page's extraction


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def _start_up_cpu(tmp_path) -> float:
    """CPU seconds of ``newsrake extract`` on a tiny page: the imports, nearly all of it."""
    page = tmp_path / "tiny.html"
    page.write_text("<html><head><title>Tiny</title></head><body><p>Some text.</p></body></html>")
    proc = psutil.Popen([sys.executable, "-m", "pipeline.cli", "extract", str(page)], cwd=ROOT, env=_env(),
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    used = 0.0
    while proc.poll() is None:
        try:
            used = _cpu(proc)
        except psutil.Error:
            break
        time.sleep(0.02)
    return used


def test_a_page_held_up_longer_than_the_limit_is_not_cut(tmp_path):
    words = _words(200_004, 2000)
    paras = "".join(f"<p>{' '.join(words[(i * 7) % 1900:(i * 7) % 1900 + 60])}</p>" for i in range(10000))
    page = tmp_path / "long.html"
    page.write_text(f"<html><head><title>Long page</title></head><body><h1>Long page</h1><article>{paras}</article></body></html>")
    threshold = _start_up_cpu(tmp_path) + IN_EXTRACTION
    proc = psutil.Popen([sys.executable, "-m", "pipeline.cli", "extract", str(page), "--json",
                         "-s", f"NEWSRAKE_EXTRACT_TIMEOUT={LIMIT}"], cwd=ROOT, env=_env(),
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while proc.poll() is None and _cpu(proc) < threshold and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, "the extraction ended before it could be held up"
        os.kill(proc.pid, signal.SIGSTOP)
        time.sleep(HELD)
        os.kill(proc.pid, signal.SIGCONT)
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err[-2000:]
    article = json.loads(out)
    assert article["title"] == "Long page" and len(article["text"]) > 100_000
