"""Per-visit query parameters in the distributed crawl: the one the writer finds mid-run reaches the workers
in the same run, and those on record reach them from the run's start (tests/faults/session_site.py)."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from tests.crawl.test_session_params import FIRST_NIGHT_MAX, FREE_RENDERS, N_LISTS, N_STORIES, run_stats, \
    session_params, site_config
from tests.distributed.conftest import FLEET, fleet_args
from tests.distributed.redis_server import REDIS_SERVER, RedisServer
from tests.faults.session_site import SessionWeb
from tests.helpers import finish, rows, start_crawl, wait_for

WORKER_HAS_IT = "query parameter 'sid' is per-visit: dropped from this worker's requests"


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run installs it)")
    tmp = tmp_path_factory.mktemp("fleet-sessions")
    db = tmp / "news.db"
    (tmp / "redis").mkdir()
    with RedisServer(tmp / "redis") as redis_server, \
            SessionWeb("sid", n_stories=N_STORIES, n_lists=N_LISTS, hold_lists_after=FREE_RENDERS) as web:
        config = site_config(tmp, web, article_pattern=r"/news/")
        args = fleet_args(redis_server.url, 2)
        start = time.monotonic()
        proc = start_crawl(config, db, FLEET, verbose=True, args=args)  # -v: the workers' INFO lines too
        try:  # the held renders go once the writer has recorded sid and both workers have it
            found = bool(wait_for(lambda: session_params(db), proc))
            wait_for(lambda: proc.stderr_path.read_text().count(WORKER_HAS_IT) == 2, proc)
        finally:
            web.release()
            first = finish(proc, start, 300)
        first_hits, renders_before = web.article_hits, web.list_renders
        second = finish(start_crawl(config, db, FLEET, args=args), time.monotonic(), 300)
        return SimpleNamespace(web=web, db=db, found=found, first=first, second=second, first_hits=first_hits,
                               second_hits=web.article_hits - first_hits,
                               second_renders=web.list_renders - renders_before)


def test_the_parameter_the_writer_finds_is_dropped_by_the_workers_in_the_same_run(nights):
    assert nights.first.returncode == 0, nights.first.stderr[-3000:]
    assert nights.found, "sid was never recorded as per-visit"
    assert session_params(nights.db) == [("sess", "sid", 1)]
    assert N_STORIES < nights.first_hits <= FIRST_NIGHT_MAX  # without it, the crawl would run to max_pages
    assert run_stats(nights.db, 1)["session_param_links"] > 0
    urls = sorted(u for (u,) in rows(nights.db, "SELECT url FROM articles"))
    assert urls == sorted(nights.web.url(nights.web.story_path(n)) for n in range(N_STORIES))


def test_the_parameters_on_record_are_dropped_by_the_workers_from_the_start(nights):
    assert nights.second.returncode == 0, nights.second.stderr[-3000:]
    assert nights.second_hits == 0
    assert nights.second_renders == N_LISTS
    assert rows(nights.db, "SELECT articles_stored FROM runs WHERE id = 2") == [(0,)]
    assert run_stats(nights.db, 2)["session_param_links"] > 0
