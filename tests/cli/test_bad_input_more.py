"""More bad input, through the CLI: one clear line, exit code 2, nothing written, no traceback.

Dates at the end of the calendar, BLOB columns, a stdout that cannot be written,
export targets that are not regular files, ``-s`` names and values, inputs that
are endless (/dev/zero, a FIFO, an endless query), a dripping page for
``extract URL``, and a database with a damaged page.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
import zlib

import pytest

from tests.faults import FaultWeb
from tests.helpers import ROOT, _env, make_db, write_config
from tests.helpers import newsrake as cli

ENDLESS = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n"


def files(d) -> set[str]:
    return {p.name for p in d.iterdir()}


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(result, *expected: str) -> None:
    """Exit code 2 with one clear error line naming the problem, and no traceback."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert all(e in result.stderr for e in expected), result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "news.db"
    make_db(path)  # three articles published 2024-05-01
    return path


# -- export dates ----------------------------------------------------------------------

def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("options, expected", [
    (["--until", "9999-12-31"], 3),
    (["--since", "0001-01-01", "--until", "9999-12-31"], 3),
    (["--since", "9999-12-31"], 0),
    (["--until", "2024-05-01"], 3),  # the day itself is included
    (["--until", "2024-04-30"], 0),
    (["--since", "2024-05-01", "--until", "2024-05-01"], 3),
])
def test_export_dates_at_the_ends_of_the_calendar(db, options, expected):
    result = cli("export", "--db", db, *options)
    assert result.returncode == 0, result.stderr
    assert len(csv_rows(result.stdout)) == expected


def test_export_refuses_an_empty_date_range(db, tmp_path):
    before = files(tmp_path)
    result = cli("export", "--db", db, "--since", "2024-05-02", "--until", "2024-05-01", "-o", tmp_path / "out.csv")
    refused(result, "--since 2024-05-02 is after --until 2024-05-01")
    assert files(tmp_path) == before


# -- BLOB columns ---------------------------------------------------------------------------

def test_blob_columns_come_out_as_base64_in_json_and_csv_and_as_their_size_in_a_table(db):
    html = "<html><body><p>新闻 stored page</p></body></html>".encode()
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO pages (url, site, fetched_at, html_zlib) VALUES ('http://x/1', 'example', '', ?)",
                 (zlib.compress(html),))
    conn.commit()
    conn.close()
    sql = "SELECT url, html_zlib FROM pages"
    as_json = cli("query", sql, "--db", db, "--json", check=True)
    (record,) = json.loads(as_json.stdout)
    assert zlib.decompress(base64.b64decode(record["html_zlib"])) == html
    (row,) = csv_rows(cli("query", sql, "--db", db, "--csv", check=True).stdout)
    assert zlib.decompress(base64.b64decode(row["html_zlib"])) == html
    table = cli("query", sql, "--db", db, check=True).stdout
    assert f"<BLOB, {len(zlib.compress(html))} bytes>" in table


# -- a stdout that cannot be written -----------------------------------------------------------

@pytest.mark.parametrize("args", [("query", "SELECT * FROM articles"), ("query", "SELECT 1", "--json"),
                                  ("export",), ("export", "--format", "jsonl"), ("stats",)])
def test_a_full_stdout_is_one_clear_error(db, args):
    before = digest(db)
    with open("/dev/full", "w") as full:
        result = cli(*args, "--db", db, stdout=full)
    refused(result, "newsrake: error: cannot write the output: No space left on device")
    assert len(result.stderr.strip().splitlines()) == 1
    assert digest(db) == before


def test_a_reader_that_hangs_up_ends_the_command_quietly(db):
    """``newsrake query … | head``: the closed pipe is not an error (exit 0, nothing on stderr)."""
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "query", ENDLESS, "--db", str(db), "--csv"],
                            cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline() == b"x\r\n"
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and err == b"", err


# -- export targets ------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, expected", [("directory", "is a directory"), ("fifo", "is a FIFO"),
                                            ("device", "is a device")])
@pytest.mark.parametrize("force", [False, True])
def test_export_never_replaces_what_is_not_a_regular_file(db, tmp_path, kind, expected, force):
    target = tmp_path / f"out.{kind}"  # never a real /dev node: a regression would replace it for everyone
    if kind == "directory":
        target.mkdir()
        (target / "keep.txt").write_text("precious")
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        try:
            os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of its own
        except PermissionError:
            pytest.skip("creating a device node needs root (CAP_MKNOD)")
    before = files(tmp_path)
    result = cli("export", "--db", db, "-o", target, *(["--force"] if force else []))
    refused(result, f"{target}: {expected}; export -o writes regular files only")
    assert files(tmp_path) == before  # no temporary file left
    if kind == "directory":
        assert files(target) == {"keep.txt"}
    if kind == "fifo":
        assert target.is_fifo()
    if kind == "device":
        assert target.is_char_device()


def test_export_into_a_directory_it_may_not_write_is_one_clear_error(db, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root may write any directory")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    refused(cli("export", "--db", db, "-o", locked / "out.csv"), "cannot create a file in", "Permission denied")


# -- -s NAME=VALUE ---------------------------------------------------------------------------------

@pytest.mark.parametrize("setting, expected", [
    ("DOWNLOAD_TIMEOUT=abc", "argument -s/--set: DOWNLOAD_TIMEOUT='abc': expected a number (default 30)"),
    ("ROBOTSTXT_OBEY=maybe", "ROBOTSTXT_OBEY='maybe': expected True/False (or 1/0) (default True)"),
    ("NEWSRAKE_BATCH_SIZE=ten", "NEWSRAKE_BATCH_SIZE='ten': expected a number (default 50)"),
    ("RETRY_HTTP_CODES=500,oops", "RETRY_HTTP_CODES='500,oops': expected a comma-separated list of integers"),
    ("DOWNLOADER_MIDDLEWARES=[1]", "DOWNLOADER_MIDDLEWARES='[1]': expected a JSON object"),
    ("DOWNLOAD_TIMOUT=5", "unknown setting 'DOWNLOAD_TIMOUT' (did you mean DOWNLOAD_TIMEOUT?)"),
    ("NEWSRAKE_EXTRACT_WORKRS=2", "unknown setting 'NEWSRAKE_EXTRACT_WORKRS' (did you mean NEWSRAKE_EXTRACT_WORKERS?)"),
    ("NO_SUCH_THING_AT_ALL=1", "unknown setting 'NO_SUCH_THING_AT_ALL'"),
    ("DOWNLOAD_TIMEOUT", "expected NAME=VALUE, got 'DOWNLOAD_TIMEOUT'"),
])
@pytest.mark.parametrize("command", ["crawl", "extract"])
def test_settings_are_checked_before_anything_is_opened(tmp_path, setting, expected, command):
    config = write_config(tmp_path / "sites.toml", ["http://127.0.0.1:9/list.html"])
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>text</p></body></html>")
    before = files(tmp_path)
    args = ("crawl", config, "--db", tmp_path / "news.db") if command == "crawl" else ("extract", page)
    result = cli(*args, "-s", setting)
    refused(result, expected)
    assert result.stdout == ""
    assert files(tmp_path) == before  # no database, no lock file


def test_good_settings_are_accepted_in_their_type(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Checked</title></head><body><p>text</p></body></html>")
    result = cli("extract", page, "--json", "-s", "NEWSRAKE_EXTRACT_TIMEOUT=5.5", "-s", "ROBOTSTXT_OBEY=false",
                 "-s", "RETRY_HTTP_CODES=500,503", "-s", "DOWNLOAD_MAXSIZE=100000", "-s", "LOG_FILE=")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "Checked"


# -- endless or oversized inputs -----------------------------------------------------------------------

@pytest.mark.parametrize("kind, expected", [("zero", "config file is not a regular file"),
                                            ("fifo", "config file is not a regular file"),
                                            ("directory", "config file is not a regular file"),
                                            ("big", "config file is larger than 1 MiB")])
def test_config_is_read_only_from_a_small_regular_file(tmp_path, kind, expected):
    config = {"zero": "/dev/zero", "fifo": tmp_path / "sites.fifo", "directory": tmp_path / "conf",
              "big": tmp_path / "sites.toml"}[kind]
    if kind == "fifo":
        os.mkfifo(config)
    elif kind == "directory":
        config.mkdir()
    elif kind == "big":
        config.write_text("# padding\n" * 110_000)  # valid TOML, 1.1 MB
    before = files(tmp_path)
    refused(cli("crawl", config, "--db", tmp_path / "news.db", timeout=60), f"{config}: {expected}")
    assert files(tmp_path) == before


@pytest.mark.parametrize("kind, expected", [("zero", "not a regular file"), ("fifo", "not a regular file"),
                                            ("big", "larger than 1000 bytes")])
def test_extract_reads_only_regular_files_up_to_the_download_size_limit(tmp_path, kind, expected):
    page = {"zero": "/dev/zero", "fifo": tmp_path / "page.fifo", "big": tmp_path / "page.html"}[kind]
    if kind == "fifo":
        os.mkfifo(page)
    elif kind == "big":
        page.write_text("<html><body>" + "<p>words</p>" * 100 + "</body></html>")
    result = cli("extract", page, "-s", "DOWNLOAD_MAXSIZE=1000", timeout=60)
    refused(result, f"{page}: cannot read file: {expected}", "DOWNLOAD_MAXSIZE")
    assert result.stdout == ""


def test_query_output_is_capped_and_the_cut_is_said(db):
    capped = cli("query", ENDLESS, "--db", db, "--csv", timeout=120)
    assert capped.returncode == 0, capped.stderr
    assert capped.stdout.split() == ["x", *map(str, range(1, 100_001))]
    assert "output cut at 100000 rows (--max-rows N; 0 = no cap)" in capped.stderr
    five = cli("query", ENDLESS, "--db", db, "--json", "--max-rows", "5")
    assert [r["x"] for r in json.loads(five.stdout)] == [1, 2, 3, 4, 5]
    assert "output cut at 5 rows" in five.stderr
    exact = cli("query", "SELECT id FROM articles", "--db", db, "--csv", "--max-rows", "3")
    assert exact.stdout.split() == ["id", "1", "2", "3"] and exact.stderr == ""  # nothing was cut


def test_query_is_stopped_by_its_time_limit(db):
    counting = cli("query", f"SELECT count(*) FROM ({ENDLESS})", "--db", db, "--timeout", "1", timeout=120)
    refused(counting, "newsrake: error: query stopped after 1 s (--timeout SECONDS; 0 = no limit)")
    assert counting.stdout == ""
    streaming = cli("query", ENDLESS, "--db", db, "--csv", "--max-rows", "0", "--timeout", "2", timeout=120)
    refused(streaming, "query stopped after 2 s")
    assert streaming.stdout.split()[:3] == ["x", "1", "2"]  # rows went out as they came, none were held


@pytest.mark.parametrize("option, value", [("--max-rows", "-1"), ("--max-rows", "many"), ("--timeout", "-5"),
                                           ("--timeout", "nan")])
def test_query_limits_must_be_numbers(db, option, value):
    result = cli("query", "SELECT 1", "--db", db, option, value)
    assert result.returncode == 2 and f"argument {option}: expected" in result.stderr, result.stderr


# -- extract URL on a dripping page ---------------------------------------------------------------------

def test_extract_url_gives_up_on_a_dripping_page_after_the_download_timeout():
    with FaultWeb(n_good=1, drip_seconds=120) as web:
        result = cli("extract", web.url("/news/drip.html"), "-s", "DOWNLOAD_TIMEOUT=1", timeout=120)
    refused(result, f"{web.url('/news/drip.html')}: cannot fetch: timeout")
    assert web.requested("/robots.txt") == 1  # fetched the crawl's way, robots.txt first
    assert result.stdout == ""


# -- a damaged database -------------------------------------------------------------------------------------

def damage(db) -> None:
    """Overwrite the first page of the articles table and of each of its indexes with garbage (a query
    may read an index alone: a count by site reads no table page)."""
    conn = sqlite3.connect(db)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    roots = [r for (r,) in conn.execute("SELECT rootpage FROM sqlite_master WHERE tbl_name = 'articles'"
                                        " AND type IN ('table', 'index') AND rootpage > 0")]
    conn.close()
    with open(db, "r+b") as f:
        for root in roots:
            f.seek((root - 1) * size)
            f.write(b"\xff" * size)


@pytest.mark.parametrize("args", [("stats",), ("query", "SELECT title, text FROM articles"), ("export",),
                                  ("export", "-o", "out.csv"), ("dedup-report",)])
def test_a_damaged_database_is_named_with_how_to_salvage_it(db, tmp_path, args):
    damage(db)
    before, before_files = digest(db), files(tmp_path)
    result = cli(*args, "--db", db, cwd=tmp_path)
    refused(result, f"{db}: not a usable SQLite database: database disk image is malformed",
            f"sqlite3 {db} .recover")
    assert result.stdout == "" or args == ("export",)  # a CSV header may have gone out before the damage
    assert digest(db) == before and files(tmp_path) == before_files
