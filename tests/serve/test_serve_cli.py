"""`newsrake serve` without a browser: what it answers, what it refuses, and how it stops."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request

from tests.helpers import copy_db, newsrake, rows, serving


def get(url: str) -> tuple[int, dict | list]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def test_serves_search_refuses_writes_and_stops_leaving_nothing_behind(crawled, tmp_path):
    db = copy_db(crawled[0], tmp_path / "news.db")
    before = rows(db, "SELECT count(*) FROM articles")
    for leftover in tmp_path.glob("news.db-*"):  # of that read: not the server's to remove
        leftover.unlink()
    with serving(db) as (proc, base):
        status, found = get(f"{base}/news/search.json?_shape=array&q={urllib.parse.quote('新区')}")
        assert status == 200
        assert {r["id"] for r in found} == {i for (i,) in rows(db, "SELECT id FROM articles WHERE"
                                                                   " instr(title || text, '新区')")}
        status, answer = get(f"{base}/news.json?sql={urllib.parse.quote('DELETE FROM articles')}")
        assert status == 400 and answer["error"] == "Statement must be a SELECT"
    assert proc.returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("news.db")) == ["news.db"]
    assert rows(db, "SELECT count(*) FROM articles") == before


def test_a_taken_port_and_a_missing_database_are_refused(crawled, tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = newsrake("serve", "--db", crawled[0], "--port", port)
    assert result.returncode == 2
    assert f"newsrake: error: cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr
    result = newsrake("serve", "--db", tmp_path / "none.db")
    assert result.returncode == 2 and "none.db: no such database" in result.stderr
    assert not (tmp_path / "none.db").exists()
