"""Fault-injection helpers shared by the reliability tests and bench/faults."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .bombs import BOMB_SIZE, bombs
from .server import CHARSET_MARK, FAULTS, TRUNCATED_MARK, FaultWeb, HangServer, article_text, good_path

__all__ = ["BOMB_SIZE", "CHARSET_MARK", "FAULTS", "TRUNCATED_MARK", "FaultWeb", "HangServer", "Run",
           "article_text", "bombs", "cli", "crawl", "crawl_cmd", "finish", "start_crawl", "good_path", "rows", "write_config"]

ROOT = Path(__file__).resolve().parents[2]

# Fast, deterministic crawls: small timeouts, no autothrottle, no progress lines.
FAST = {"DOWNLOAD_TIMEOUT": "3", "AUTOTHROTTLE_ENABLED": "False", "NEWSRAKE_PROGRESS_INTERVAL": "0"}


def write_config(path: Path, start_urls: list[str], *, name: str = "faults",
                 article_pattern: str = r"/(news|private)/", allowed_hosts: list[str] | None = None,
                 follow_pattern: str | None = r"/list/\d+\.html$", **extra) -> Path:
    def q(v):
        return "'" + v + "'" if isinstance(v, str) else repr(v).replace("'", '"')

    lines = ["[[sites]]", f"name = {q(name)}", f"start_urls = {q(start_urls)}", f"article_pattern = {q(article_pattern)}"]
    if follow_pattern:
        lines.append(f"follow_pattern = {q(follow_pattern)}")
    if allowed_hosts:
        lines.append(f"allowed_hosts = {q(allowed_hosts)}")
    lines += [f"{k} = {q(v)}" for k, v in extra.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    elapsed: float
    peak_rss: int = 0  # bytes, sampled every 50 ms (crawls only)


def crawl_cmd(config: Path, db: Path, settings: dict | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "pipeline.cli", "crawl", str(config), "--db", str(db)]
    for k, v in {**FAST, **(settings or {})}.items():
        cmd += ["-s", f"{k}={v}"]
    return cmd


def cli(*args, timeout: float = 120, cwd: Path | None = None) -> Run:
    """Run ``python -m pipeline.cli ARGS`` to completion."""
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, cwd=cwd or ROOT)
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


def start_crawl(config: Path, db: Path, settings: dict | None = None, log_dir: Path | None = None):
    """Start a crawl in the background; its output goes to files (a full pipe would stall it)."""
    log_dir = log_dir or db.parent
    out = open(log_dir / f"{db.stem}.stdout", "w+")
    err = open(log_dir / f"{db.stem}.stderr", "w+")
    proc = subprocess.Popen(crawl_cmd(config, db, settings), stdout=out, stderr=err, cwd=ROOT)
    proc.outputs = (out, err)
    return proc


def finish(proc, start: float, timeout: float = 120, sample=None) -> Run:
    """Wait for a crawl from start_crawl (sampling its RSS), and collect its output."""
    peak = 0
    deadline = start + timeout
    while proc.poll() is None:
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            raise TimeoutError(f"crawl still running after {timeout} s")
        if sample:
            peak = max(peak, sample(proc.pid))
        time.sleep(0.05)
    elapsed = time.monotonic() - start
    texts = []
    for f in proc.outputs:
        f.seek(0)
        texts.append(f.read())
        f.close()
    return Run(proc.returncode, texts[0], texts[1], elapsed, peak)


def rss(pid: int) -> int:
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss
    except Exception:  # gone, or psutil missing
        return 0


def crawl(config: Path, db: Path, settings: dict | None = None, timeout: float = 120) -> Run:
    start = time.monotonic()
    return finish(start_crawl(config, db, settings), start, timeout, sample=rss)


def rows(db: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
