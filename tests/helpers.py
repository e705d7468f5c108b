"""The one shared helper module: run the CLI the way users do, read the database, write configs."""

from __future__ import annotations

import itertools
import os
import socket
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Fast, deterministic crawls: no autothrottle, no progress lines.
FAST_SETTINGS = {"AUTOTHROTTLE_ENABLED": "False", "NEWSRAKE_PROGRESS_INTERVAL": "0"}
FAST = [arg for k, v in FAST_SETTINGS.items() for arg in ("-s", f"{k}={v}")]


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    elapsed: float = 0.0
    peak_rss: int = 0  # bytes, sampled every 50 ms (background crawls only)


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def newsrake(*args, cwd=None, timeout: float = 180, check: bool = False, stdout=subprocess.PIPE,
             prefix: tuple[str, ...] = ()) -> Run:
    """Run the ``newsrake`` CLI in a child process (Twisted's reactor runs once per process); ``stdout``
    another target than a pipe (an open file), ``prefix`` a command that runs it (setpriv, unshare)."""
    start = time.monotonic()
    proc = subprocess.run([*prefix, sys.executable, "-m", "pipeline.cli", *map(str, args)], cwd=cwd or ROOT,
                          env=_env(), stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"newsrake {args} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    return Run(proc.returncode, proc.stdout or "", proc.stderr, time.monotonic() - start)


def rows(db, sql: str, *params) -> list[tuple]:
    """Read the database read-only (never creating it)."""
    conn = sqlite3.connect(f"file:{Path(db).resolve()}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def copy_db(src, dst):
    """Copy a live database the SQLite way (its WAL may hold committed pages)."""
    source, target = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return dst


def drop_search_index(conn) -> None:
    """Take out what migration 6 added (the bigram search index and its triggers), as in an earlier release."""
    conn.execute("DROP TABLE articles_bigram")
    for trigger in ("ai", "ad", "au"):
        conn.execute(f"DROP TRIGGER articles_bigram_{trigger}")


def make_db(path, n=3) -> None:
    """A current-schema database with ``n`` articles and one finished run, in rollback-journal mode."""
    from pipeline.store import Store

    s = Store(path)
    run = s.start_run(None, None)
    for i in range(n):
        s.insert_article({"url": f"http://127.0.0.1:9/news/{i}.html", "site": "example", "title": f"T{i}",
                          "text": f"text {i}", "content_hash": f"h{i}", "fetched_at": "2024-05-01T00:00:00+00:00",
                          "published_at": "2024-05-01", "run_id": run})
    s.commit()
    s.finish_run(run, "completed", {}, {})
    s.conn.execute("PRAGMA journal_mode=DELETE")
    s.close()


def write_config(path: Path, start_urls: list[str], *, name: str = "faults",
                 article_pattern: str = r"/(news|private)/", allowed_hosts: list[str] | None = None,
                 follow_pattern: str | None = r"/list/\d+\.html$", **extra) -> Path:
    """A one-site config file."""
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


# -- crawls in the background, with their memory sampled ------------------------

def crawl_cmd(config: Path, db: Path, settings: dict | None = None, verbose: bool = False,
              args: tuple[str, ...] = ()) -> list[str]:
    cmd = [sys.executable, "-m", "pipeline.cli", "crawl", str(config), "--db", str(db), *(["-v"] if verbose else []),
           *args]
    for k, v in {**FAST_SETTINGS, **(settings or {})}.items():
        cmd += ["-s", f"{k}={v}"]
    return cmd


_crawl_numbers = itertools.count(1)


def start_crawl(config: Path, db: Path, settings: dict | None = None, log_dir: Path | None = None,
                verbose: bool = False, preexec_fn=None, args: tuple[str, ...] = (), cmd: list[str] | None = None):
    """Start a crawl in the background; its output goes to files (a full pipe would stall it),
    ``proc.stderr_path`` while it runs; ``preexec_fn`` runs in the child before the crawl (setrlimit);
    ``args``: more crawl options; ``cmd``: another newsrake command instead of the crawl."""
    log_dir = log_dir or db.parent
    name = f"{db.stem}.{next(_crawl_numbers)}"  # two crawls on one database keep separate logs
    out = open(log_dir / f"{name}.stdout", "w+")
    err = open(log_dir / f"{name}.stderr", "w+")
    proc = subprocess.Popen(cmd or crawl_cmd(config, db, settings, verbose, args), stdout=out, stderr=err, cwd=ROOT,
                            env=_env(), preexec_fn=preexec_fn)
    proc.outputs = (out, err)
    proc.stderr_path = log_dir / f"{name}.stderr"
    return proc


def kill_crawl(proc) -> None:
    """SIGKILL a crawl from start_crawl (a crash mid-run), wait for it and close its output files."""
    try:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
        for f in proc.outputs:
            f.close()


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
    """Resident memory of the crawl's process tree (the extraction workers included), in bytes."""
    import psutil

    try:
        root = psutil.Process(pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.Error:  # gone meanwhile
        return 0
    total = 0
    for proc in tree:
        try:
            total += proc.memory_info().rss
        except psutil.Error:  # a worker that exited meanwhile
            pass
    return total


def crawl(config: Path, db: Path, settings: dict | None = None, timeout: float = 120) -> Run:
    start = time.monotonic()
    return finish(start_crawl(config, db, settings), start, timeout, sample=rss)


# -- crawls held mid-way (the site serves HELD articles, then holds the rest until released) --

N = 40  # articles of the held site
HELD = 8  # articles served before the site holds the rest
SLOW = {"NEWSRAKE_BATCH_SIZE": "2", "CONCURRENT_REQUESTS_PER_DOMAIN": "2", "DOWNLOAD_TIMEOUT": "120"}


def committed(db) -> set[str]:
    """Article URLs a reader sees now (committed rows only); empty while the database is being created."""
    try:
        return {u for (u,) in rows(db, "SELECT url FROM articles")}
    except sqlite3.Error:
        return set()


def wait_for(predicate, proc=None, tries: int = 3600):
    """Poll ``predicate()`` every 50 ms until it is true and return its value; also return (the false
    value) once ``proc`` has exited or after ``tries`` polls: a bound on the count, not on speed. Callers
    assert on the value."""
    value = predicate()
    for _ in range(tries):
        if value or (proc is not None and proc.poll() is not None):
            return value
        time.sleep(0.05)
        value = predicate()
    return value


# -- newsrake serve in a child process, on a free loopback port --------------------------

def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def serving(db: Path, port: int | None = None):
    """``newsrake serve --db DB`` until the block ends, then SIGTERM: (the process, its base URL)."""
    port = port or free_port()
    log = open(db.parent / f"serve-{port}.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--db", str(db), "--port", str(port)],
                            cwd=ROOT, env=_env(), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        if not wait_for(lambda: answers(f"{base}/-/versions.json"), proc, tries=600):
            log.seek(0)
            raise AssertionError(f"newsrake serve did not start:\n{log.read()}")
        yield proc, base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
