"""Fixtures of the end-to-end crawl tests."""

from __future__ import annotations

import pytest

from tests.faults import FaultWeb
from tests.helpers import HELD, N, write_config


@pytest.fixture
def slow_site(tmp_path, request):
    n = getattr(request, "param", N)
    with FaultWeb(n_good=n, faults=False, hold_after=HELD) as web:
        config = write_config(tmp_path / "sites.toml", [web.url("/list.html")])
        yield web, config, tmp_path / "news.db"
