"""Shared fixtures: the demo web on loopback and one crawl of it, run the way users run it (the CLI)."""

from __future__ import annotations

import pytest

from demo.server import DemoWeb
from tests.helpers import FAST, newsrake


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
