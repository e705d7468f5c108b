"""The small things of issue 10: tables aligned with Chinese text, a dedup report for people, unknown
``--site`` names refused, every option's help with its default, exports with the user's umask and a
``published_date`` column, and ``make crawl`` twice giving the same demo database."""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import socket
import sqlite3
import sys

import pytest
from wcwidth import wcswidth

from demo.server import DemoWeb
from pipeline.cli import main
from tests.helpers import FAST, ROOT, _env, copy_db, make_db, newsrake, rows


def run(capsys, *args) -> tuple[int, str, str]:
    """``newsrake ARGS`` in this process: (exit code, stdout, stderr)."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:  # --help, or an argument argparse refused
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "news.db"
    make_db(path)
    return path


def test_tables_align_with_chinese_text(db, capsys):
    sql = ("SELECT '天津港集装箱吞吐量同比增长' AS title, 'zh-agg' AS site, 1 AS n "
           "UNION ALL SELECT 'An English title', 'en-wire', 22")
    code, out, _ = run(capsys, "query", "--db", db, sql)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 4 and len({wcswidth(line) for line in lines}) == 1, lines  # the number column ends level


def test_dedup_report_reads_as_text_and_json_keeps_numbers(crawled, capsys):
    db, _, _ = crawled
    code, out, _ = run(capsys, "dedup-report", "--db", db)
    assert code == 0
    assert "{" not in out and not re.search(r"\d\.\d{3,}", out)  # no Python dicts, no 0.666667
    assert re.search(r"zh-repost .* \d+\.\d%", out)  # the duplicate share as a percentage
    assert re.search(r"  (exact|near|url) \d", out)  # duplicates by kind as text
    code, out, _ = run(capsys, "dedup-report", "--db", db, "--json")
    report = json.loads(out)
    assert all(isinstance(s["duplicate_share"], float) for s in report["sites"])
    assert all(isinstance(c["kinds"], dict) for c in report["clusters"])


def test_unknown_site_names_are_refused_with_the_known_ones(crawled, demo_config, tmp_path, capsys):
    db, _, _ = crawled
    code, out, err = run(capsys, "export", "--db", db, "--site", "zh-ag")
    assert (code, out) == (2, "")
    assert err.startswith("newsrake: error: no site named 'zh-ag' in the database (sites: ") and "zh-agg" in err
    copy = copy_db(db, tmp_path / "copy.db")
    runs = rows(copy, "SELECT count(*) FROM runs")
    result = newsrake("reclean", "--db", copy, "--site", "zh-ag")
    assert result.returncode == 2 and "no site named 'zh-ag'" in result.stderr and "en-wire" in result.stderr
    assert rows(copy, "SELECT count(*) FROM runs") == runs  # refused before a run was recorded
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>text</p></body></html>", "utf-8")
    code, _, err = run(capsys, "extract", page, "--config", demo_config, "--site", "zh-ag")
    assert code == 2 and "no site named 'zh-ag' in the config" in err and "gbk-news" in err
    code, _, err = run(capsys, "extract", page, "--site", "zh-agg")
    assert code == 2 and "--config" in err


def _arguments(help_text: str) -> list[tuple[str, str]]:
    """``(invocation, help)`` of each entry of a --help's argument sections (argparse puts the help after
    two spaces, or on the next lines when the invocation is long)."""
    sections = [s.split("\n", 1)[1] for s in help_text.split("\n\n")[1:] if "\n  " in s]  # without their titles
    entries = [e for section in sections for e in re.split(r"\n(?=  \S)", section) if e.startswith("  ")]
    pairs = []
    for entry in entries:
        first, *rest = entry.splitlines()
        invocation, _, help_ = first.strip().partition("  ")
        pairs.append((invocation, " ".join((help_ + " " + " ".join(rest)).split())))
    return pairs


def test_every_option_has_help_and_its_default(capsys):
    _, top, _ = run(capsys, "--help")
    commands = re.search(r"\{([\w,-]+)\}", top).group(1).split(",")
    assert {"crawl", "export", "query", "stats", "reclean", "extract", "dedup-report"} <= set(commands)
    for command in ["", *commands]:
        code, text, _ = run(capsys, *([command] if command else []), "--help")
        assert code == 0
        for invocation, help_ in _arguments(text):
            assert help_, f"newsrake {command}: {invocation!r} has no help"
            if re.match(r"-[\w-]+ [A-Z{]", invocation):  # an option that takes a value
                assert "default" in help_, f"newsrake {command}: {invocation!r} does not state its default"
    _, text, _ = run(capsys, "export", "--help")
    assert "--since YYYY-MM-DD" in text and "--until YYYY-MM-DD" in text


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664)])
def test_exports_get_the_users_umask(db, tmp_path, capsys, umask, mode):
    out = tmp_path / "articles.csv"
    before = os.umask(umask)
    try:
        code, _, _ = run(capsys, "export", "--db", db, "-o", out)
    finally:
        os.umask(before)
    assert code == 0 and out.stat().st_mode & 0o777 == mode


def test_published_date_next_to_published_at(db, tmp_path, capsys):
    conn = sqlite3.connect(db)
    with conn:
        for article_id, published_at in [(1, "2024-05-01T23:30:00-05:00"), (2, "2024-05-02"), (3, None)]:
            conn.execute("UPDATE articles SET published_at = ? WHERE id = ?", (published_at, article_id))
    conn.close()
    out = tmp_path / "articles.csv"
    assert run(capsys, "export", "--db", db, "-o", out)[0] == 0
    with open(out, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames[reader.fieldnames.index("published_at") + 1] == "published_date"
        assert [r["published_date"] for r in reader] == ["2024-05-01", "2024-05-02", ""]  # the source's day, not UTC's
    code, out, _ = run(capsys, "export", "--db", db, "--format", "jsonl")
    assert [json.loads(line)["published_date"] for line in out.splitlines()] == ["2024-05-01", "2024-05-02", None]


# -- make crawl, twice ------------------------------------------------------------------

def demo_crawl(db, port: int):
    import subprocess

    return subprocess.run([sys.executable, "-m", "demo.crawl", "--db", str(db), "--port", str(port), *FAST],
                          cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=300)


def hints(stdout: str) -> list[list[str]]:
    """The commands of the demo's "Next:" lines, as argument lists for ``python -m pipeline.cli``."""
    lines = stdout.split("Next:", 1)[1].splitlines()
    return [shlex.split(line.strip())[1:] for line in lines if ".venv/bin/newsrake" in line]


def test_the_demo_crawled_twice_is_the_same_database_and_its_hints_work(tmp_path):
    with DemoWeb(port=0) as probe:  # a port free on every demo address, given back for the crawls
        port = probe.port
    db = tmp_path / "news.db"
    first = demo_crawl(db, port)
    assert first.returncode == 0, first.stderr[-2000:]
    articles = rows(db, "SELECT url, content_hash FROM articles ORDER BY url")
    second = demo_crawl(db, port)
    assert second.returncode == 0, second.stderr[-2000:]
    assert rows(db, "SELECT url, content_hash FROM articles ORDER BY url") == articles
    assert rows(db, "SELECT articles_stored, duplicates FROM runs ORDER BY id")[-1] == (0, 0)
    commands = hints(second.stdout)
    assert [c[0] for c in commands] == ["stats", "query", "export"]
    for command in commands + commands[-1:]:  # the export twice: it overwrites its own file
        assert newsrake(*command, cwd=ROOT).returncode == 0, command


def test_the_demo_refuses_a_taken_port(tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.11", 0))
        holder.listen()
        result = demo_crawl(tmp_path / "news.db", holder.getsockname()[1])
    assert result.returncode == 2 and "is unavailable" in result.stderr and "--port N" in result.stderr
    assert not (tmp_path / "news.db").exists()
