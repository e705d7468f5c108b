"""A crawl against a site that serves every fault next to good articles (tests/faults).

One crawl (module fixture) serves all the faults at once; each test checks one
fault's outcome in the database, the run's counters, ``newsrake stats`` and
the server's request log. Separate small crawls check the extraction time
limit and the allowed-host redirect.

Every fault is deterministic under load: good pages get a download timeout no
loaded machine comes near, the faults that must time out never answer (or
drip for longer than the timeout), and the page that must hit the extraction
time limit gets a limit far below its cost, in a crawl of its own.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from tests.faults import CHARSET_MARK, TRUNCATED_MARK, FaultWeb, HangServer, good_path
from tests.helpers import crawl, rows, write_config
from tests.helpers import newsrake as cli

TIMEOUT = 15  # DOWNLOAD_TIMEOUT for these crawls: only what never answers reaches it (a loaded machine serves a local page in well under a second)
N_GOOD = 12
EXPECTED_ERRORS = {
    "bad_redirect": 3,  # file:, ftp:, data:
    "empty_page": 1,
    "http_404": 1,
    "not_html": 3,  # pdf, png, zip
    "offsite_redirect": 1,
    "redirect_loop": 2,  # a -> b -> a, and an endless chain of new URLs
    "robots_unavailable": 1,  # the server that never answers: its robots.txt timed out, its page is not asked for
    "timeout": 1,  # the dripping page
    "too_large": 5,  # gzip, deflate and brotli bombs; plain page with and without Content-Length
}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("faults")
    with FaultWeb(host="127.0.0.2", n_good=2, faults=False) as other, HangServer() as hang:
        with FaultWeb(n_good=N_GOOD, offsite_target=other.url("/news/offsite-target.html"), drip_seconds=4 * TIMEOUT,
                      extra_links=[hang.url("/news/hang.html"), other.url(good_path(0)),
                                   "http://example.invalid/news/elsewhere.html"]) as web:
            paths = web.article_paths()
            web.article_paths = lambda: [p for p in paths if p != "/news/pathological.html"]  # its own crawl
            config = write_config(tmp / "sites.toml", [web.url("/list.html")])
            db = tmp / "news.db"
            result = crawl(config, db, {"DOWNLOAD_TIMEOUT": str(TIMEOUT)}, timeout=600)
    (run_row,) = rows(db, "SELECT status, errors_by_kind, stats FROM runs")
    return SimpleNamespace(web=web, other=other, hang=hang, db=db, result=result, status=run_row[0],
                           errors=json.loads(run_row[1]), stats=json.loads(run_row[2]),
                           urls={u for (u,) in rows(db, "SELECT url FROM articles")})


def stored(run, path: str) -> bool:
    return run.web.url(path) in run.urls


def test_run_completes_and_every_good_page_is_stored(run):
    assert run.result.returncode == 0, run.result.stderr[-3000:]
    assert run.status == "completed"
    assert {run.web.url(good_path(n)) for n in range(N_GOOD)} <= run.urls
    assert rows(run.db, "PRAGMA integrity_check") == [("ok",)]


def test_every_fault_is_counted_by_kind(run):
    assert run.errors == EXPECTED_ERRORS
    assert {k[7:]: v for k, v in run.stats["sites"]["faults"].items() if k.startswith("errors/")} == EXPECTED_ERRORS


def test_stats_command_shows_every_fault_kind(run):
    out = cli("stats", "--db", run.db)
    assert out.returncode == 0, out.stderr
    assert "completed" in out.stdout
    errors_section = out.stdout.split("Errors in run")[1]
    for kind, n in EXPECTED_ERRORS.items():
        assert f"{kind} {n}" in out.stdout  # the run's "error kinds" column
        assert kind in errors_section
    for kind in ("robots_disallowed", "offsite_links", "retried"):
        assert kind in out.stdout.split("Skipped or retried in run")[1]


def test_5xx_twice_then_the_page_is_retried_and_stored(run):
    assert run.web.requested("/news/flaky.html") == 3
    assert stored(run, "/news/flaky.html")
    assert run.stats["retried"] == 1
    assert "http_503" not in run.errors


def test_404_is_counted_not_stored(run):
    assert run.web.requested("/news/missing.html") == 1
    assert not stored(run, "/news/missing.html")


def test_never_answering_server_and_drip_time_out_once(run):
    # robots.txt times out once (timeouts are not retried), then the host is off limits: the page is never asked for
    assert run.hang.accepted == 1
    assert run.web.requested("/news/drip.html") == 1
    assert not stored(run, "/news/drip.html")


def test_timeouts_are_not_retried(run):
    # A dead server costs one timeout (its robots.txt), not three: Scrapy's retry counter
    # holds only the flaky page's two 503s.
    assert run.hang.accepted == 1
    assert run.stats["retry/count"] == 2
    assert run.errors["timeout"] == 1


@pytest.mark.parametrize("path", ["/news/redirect-file.html", "/news/redirect-ftp.html", "/news/redirect-data.html"])
def test_redirects_to_other_schemes_are_never_followed_nor_stored(run, path):
    assert run.web.requested(path) == 1
    assert not stored(run, path)
    assert all(u.startswith("http://") for u in run.urls)
    assert "data URL article" not in "".join(t for (t,) in rows(run.db, "SELECT text FROM articles"))


def test_redirect_loops_are_bounded(run):
    assert run.web.requested("/news/loop-a.html") == 1
    assert run.web.requested("/news/loop-b.html") == 1
    chain = sum(n for p, n in run.web.hits.items() if p.startswith("/news/chain-"))
    assert chain == 6  # the first request + REDIRECT_MAX_TIMES (5)
    assert not any("/news/loop-" in u or "/news/chain-" in u for u in run.urls)


def test_redirect_to_another_host_is_not_followed(run):
    assert all(p != "/news/offsite-target.html" for _, p in run.other.log)
    assert not any("offsite-target" in u for u in run.urls)


def test_redirect_to_another_host_is_followed_when_allowed(tmp_path):
    with FaultWeb(host="127.0.0.2", n_good=1, faults=False) as other:
        with FaultWeb(n_good=1, offsite_target=other.url("/news/offsite-target.html")) as web:
            web.article_paths = lambda: [good_path(0), "/news/redirect-offsite.html"]
            config = write_config(tmp_path / "sites.toml", [web.url("/list.html")],
                                  allowed_hosts=["127.0.0.1", "127.0.0.2"])
            result = crawl(config, tmp_path / "news.db", {"DOWNLOAD_TIMEOUT": str(TIMEOUT)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert other.requested("/news/offsite-target.html") == 1
    urls = {u for (u,) in rows(tmp_path / "news.db", "SELECT url FROM articles")}
    assert other.url("/news/offsite-target.html") in urls


def test_decompression_bombs_and_huge_pages_are_refused_with_bounded_memory(run):
    for path in ("/news/bomb-gzip.html", "/news/bomb-deflate.html", "/news/bomb-br.html",
                 "/news/huge.html", "/news/huge-stream.html"):
        assert run.web.requested(path) == 1, path
        assert not stored(run, path)
    assert run.result.peak_rss < 500 * 2**20, run.result.peak_rss


@pytest.mark.parametrize("path", ["/news/report.pdf", "/news/photo.png", "/news/archive.zip"])
def test_non_html_is_skipped(run, path):
    assert run.web.requested(path) == 1
    assert not stored(run, path)


def test_empty_page_is_skipped(run):
    assert not stored(run, "/news/empty.html")


def test_truncated_html_is_extracted(run):
    (title, text), = rows(run.db, "SELECT title, text FROM articles WHERE url = ?",
                          run.web.url("/news/truncated.html"))
    assert TRUNCATED_MARK in title
    assert len(text) > 1000


def test_wrong_header_charset_is_decoded(run):
    (title, text), = rows(run.db, "SELECT title, text FROM articles WHERE url = ?",
                          run.web.url("/news/wrong-charset.html"))
    assert CHARSET_MARK in title and "城市交通建设" in text
    assert "\ufffd" not in text


def test_pathological_page_hits_the_extraction_time_limit(tmp_path):
    with FaultWeb(n_good=0) as web:  # ~4 s of trafilatura on a quiet machine, against a 0.05 s limit
        web.article_paths = lambda: ["/news/pathological.html"]
        config = write_config(tmp_path / "sites.toml", [web.url("/list.html")])
        result = crawl(config, tmp_path / "news.db", {"DOWNLOAD_TIMEOUT": str(TIMEOUT),
                                                      "NEWSRAKE_EXTRACT_TIMEOUT": "0.05"}, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert web.requested("/news/pathological.html") == 1
    (errors,), = rows(tmp_path / "news.db", "SELECT errors_by_kind FROM runs")
    assert json.loads(errors) == {"extract_timeout": 1}
    assert rows(tmp_path / "news.db", "SELECT count(*) FROM articles") == [(0,)]


def test_robots_disallowed_path_is_never_fetched(run):
    assert run.web.requested("/private/secret.html") == 0
    assert run.stats["robots_disallowed"] == 2  # and the page on the server whose robots.txt never came


def test_off_host_links_are_not_followed(run):
    assert run.other.log == []  # neither the link to its article nor the redirect reached it
    assert run.stats["offsite_links"] == 2  # 127.0.0.2 and example.invalid


def test_extraction_time_limit_is_not_swallowed_by_except_exception():
    import time

    from pipeline.extract.timeout import TimeLimitExceeded, time_limit

    done = 0
    with pytest.raises(TimeLimitExceeded):
        with time_limit(0.2):
            for _ in range(3000):  # like trafilatura's fallbacks: catch everything, carry on (30 s unlimited)
                try:
                    busy_until = time.process_time() + 0.01  # CPU work: the limit counts CPU time
                    while time.process_time() < busy_until:
                        pass
                except Exception:
                    pass
                done += 1
    assert done < 3000  # the limit ended the loop
