"""Shared fixtures: the demo web on loopback and crawls run the way users run them (the CLI)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from demo.server import DemoWeb

ROOT = Path(__file__).resolve().parent.parent
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "NEWSRAKE_PROGRESS_INTERVAL=0"]


def newsrake(*args, cwd=None, timeout=180, check=False) -> subprocess.CompletedProcess:
    """Run the ``newsrake`` CLI in a child process (Twisted's reactor runs once per process)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"newsrake {args} exited {result.returncode}:\n{result.stderr[-3000:]}")
    return result


def rows(db, sql, *params):
    conn = sqlite3.connect(db)
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


@pytest.fixture(scope="session")
def demo_web():
    with DemoWeb(port=0) as web:
        yield web


@pytest.fixture(scope="session")
def demo_config(demo_web, tmp_path_factory):
    return demo_web.write_config(tmp_path_factory.mktemp("config") / "sites.toml")


@pytest.fixture(scope="session")
def crawled(demo_web, demo_config, tmp_path_factory):
    """One full crawl of the demo web: (db path, CLI result, requests served during it)."""
    db = tmp_path_factory.mktemp("crawl") / "news.db"
    before = len(demo_web.requests)
    result = newsrake("crawl", demo_config, "--db", db, *FAST, check=True)
    return db, result, list(demo_web.requests[before:])
