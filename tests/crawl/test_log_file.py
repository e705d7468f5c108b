"""``--log-file``: a crawl's and a reclean's log appended to a file, timestamped, one line per failure."""

from __future__ import annotations

import re

import pytest

from tests.faults.server import LoopbackWeb, QuietHandler, article_html
from tests.helpers import FAST, newsrake, write_config

FAILING = {"/news/missing.html": 404, "/news/boom.html": 500}  # the 500 is retried, then given up
EMPTY = "/news/empty.html"  # fetched, but extraction finds no text
TIMESTAMPED = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ")


class FailingWeb(LoopbackWeb):
    """One list page: two good articles, two failing requests and a page without text."""

    def _handler(self):
        class Handler(QuietHandler):
            def do_GET(self):
                if self.path == "/list.html":
                    links = "".join(f"<a href='{p}'>{p}</a>" for p in ["/news/1.html", "/news/2.html", EMPTY, *FAILING])
                    return self.send(200, f"<html><body>{links}</body></html>".encode())
                if self.path in ("/news/1.html", "/news/2.html"):
                    return self.send(200, article_html(int(self.path[6])).encode())
                if self.path == EMPTY:
                    return self.send(200, b"<html><body></body></html>")
                return self.send(FAILING.get(self.path, 404), b"no")

        return Handler


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    """Two crawls and a reclean into one log file: (log text, [the three results], database)."""
    tmp = tmp_path_factory.mktemp("log")
    log, db = tmp / "crawl.log", tmp / "news.db"
    with FailingWeb() as web:
        config = write_config(tmp / "sites.toml", [web.url("/list.html")], name="failing")
        results = [newsrake("crawl", config, "--db", db, "--log-file", log, *FAST) for _ in range(2)]
    results.append(newsrake("reclean", "--db", db, "--log-file", log))
    return log.read_text("utf-8"), results, db


def test_every_line_is_timestamped_and_no_traceback(logged):
    text, results, _ = logged
    assert [r.returncode for r in results] == [0, 0, 0]
    lines = text.splitlines()
    assert lines and all(TIMESTAMPED.match(line) for line in lines), [l for l in lines if not TIMESTAMPED.match(l)]
    assert "Traceback" not in text


def test_one_line_per_failure_per_run(logged):
    text, _, _ = logged
    for path in [*FAILING, EMPTY]:
        assert sum(path in line for line in text.splitlines()) == 2, path  # one per crawl, none from retries
    assert "http_404" in text and "http_500" in text and "no article text found" in text


def test_summaries_are_appended_and_stderr_stays_empty(logged):
    text, results, _ = logged
    assert re.search(r"run 1: completed .*\n.*INFO: site +fetched ", text)  # the table, timestamped
    assert "run 2: completed" in text
    assert re.search(r"re-cleaned 2 articles: ", text)
    assert text.index("run 1: completed") < text.index("run 2: completed") < text.index("re-cleaned")
    for result in results:
        assert result.stderr == ""  # the log went to the file
    assert "run 2: completed" in results[1].stdout and "re-cleaned 2 articles" in results[2].stdout


def test_a_log_file_in_a_missing_directory_is_refused(tmp_path):
    config = write_config(tmp_path / "sites.toml", ["http://127.0.0.1:9/list.html"])
    result = newsrake("crawl", config, "--db", tmp_path / "news.db", "--log-file", tmp_path / "no" / "crawl.log")
    assert result.returncode == 2
    assert result.stderr.startswith("newsrake: error: cannot write the log file ")
    assert "No such file or directory" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sites.toml"]
