"""Bad input everywhere: a clear message naming the problem, exit code 2, nothing written.

Also: ``query`` cannot write, ``export -o`` never clobbers or leaves half files.
"""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from pipeline.store.export import ExportError, export_to_file
from pipeline.store import SCHEMA_VERSION
from tests.helpers import make_db
from tests.helpers import newsrake as cli

GOOD = """[[sites]]
name = "example"
start_urls = ["http://127.0.0.1:9/list.html"]
article_pattern = '/news/\\d+\\.html$'
"""


def files(d) -> set[str]:
    return {p.name for p in d.iterdir()}


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text(GOOD, encoding="utf-8")
    return path


# -- config ----------------------------------------------------------------------

@pytest.mark.parametrize("change, expected", [
    (("article_pattern = ", "article_pattern = = "), "malformed TOML"),
    (('name = "example"', 'name = "example"\nmax_page = 3'), "unknown key 'max_page'"),
    (("'/news/\\d+\\.html$'", "'/news/(\\d+'"), "key 'article_pattern': invalid regular expression"),
    (('name = "example"', 'name = "example"\ndrop_patterns = ["[a-"]'), "key 'drop_patterns'[0]: invalid regular"),
    (('name = "example"', '[oops]\nname = "example"'), "unknown top-level key 'oops'"),
])
def test_bad_config_is_refused_before_anything_is_written(tmp_path, config, change, expected):
    config.write_text(GOOD.replace(*change), encoding="utf-8")
    before = files(tmp_path)
    result = cli("crawl", config, "--db", tmp_path / "news.db")
    assert result.returncode == 2
    assert str(config) in result.stderr and expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert files(tmp_path) == before  # no database, no lock file


# -- database path -----------------------------------------------------------------

def _db_commands(config, db):
    return [("crawl", config, "--db", db), ("stats", "--db", db), ("query", "SELECT 1", "--db", db),
            ("export", "--db", db), ("dedup-report", "--db", db), ("reclean", "--db", db),
            ("search", "天津", "--db", db), ("serve", "--db", db, "--port", "1")]


@pytest.mark.parametrize("kind, expected", [
    ("missing_dir", "does not exist"),
    ("directory", "is a directory"),
    ("not_sqlite", "not a usable SQLite database"),
    ("future", f"schema version 99 is newer than this newsrake understands ({SCHEMA_VERSION})"),
])
def test_unusable_database_is_refused_by_every_command_and_left_untouched(tmp_path, config, kind, expected):
    db = tmp_path / "news.db"
    if kind == "missing_dir":
        db = tmp_path / "nowhere" / "news.db"
    elif kind == "directory":
        db.mkdir()
    elif kind == "not_sqlite":
        db.write_bytes(b"this is not a database\n" * 10)
    else:
        make_db(db)
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA user_version = 99")
        conn.close()
    before_files = files(tmp_path)
    before = digest(db) if db.is_file() else None
    for args in _db_commands(config, db):
        result = cli(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert str(db) in result.stderr and expected in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr, (args, result.stderr)
        assert files(tmp_path) == before_files, args  # no lock, journal, WAL or new database
        if before:
            assert digest(db) == before, args


@pytest.mark.parametrize("option, value", [("--since", "2024-13-01"), ("--until", "yesterday"),
                                           ("--since", "2024-02-30")])
def test_bad_dates_are_refused(tmp_path, option, value):
    db = tmp_path / "news.db"
    make_db(db)
    before = digest(db)
    result = cli("export", "--db", db, option, value, "-o", tmp_path / "out.csv")
    assert result.returncode == 2
    assert f"argument {option}: invalid date '{value}'" in result.stderr
    assert not (tmp_path / "out.csv").exists() and digest(db) == before


# -- read-only query -------------------------------------------------------------------

@pytest.mark.parametrize("sql", [
    "DELETE FROM articles",
    "UPDATE articles SET title = 'x'",
    "INSERT INTO runs (status) VALUES ('x')",
    "DROP TABLE articles",
    "CREATE TABLE t (a)",
    "PRAGMA user_version = 7",
    "VACUUM",
    "VACUUM INTO 'copy.db'",
    "ATTACH 'other.db' AS other",
])
def test_query_refuses_writes_and_leaves_the_data_untouched(tmp_path, sql):
    db = tmp_path / "news.db"
    make_db(db)
    before, before_files = digest(db), files(tmp_path)
    result = cli("query", sql, "--db", db, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "newsrake: error: query is read-only" in result.stderr
    assert digest(db) == before and files(tmp_path) == before_files
    assert cli("query", "SELECT count(*) FROM articles", "--db", db, "--csv").stdout.split() == ["count(*)", "3"]


# -- export ------------------------------------------------------------------------------

def test_export_never_clobbers_without_force(tmp_path):
    db, out = tmp_path / "news.db", tmp_path / "out.csv"
    make_db(db)
    out.write_text("precious\n")
    result = cli("export", "--db", db, "-o", out)
    assert result.returncode == 2
    assert f"{out}: file exists (use --force to overwrite)" in result.stderr
    assert out.read_text() == "precious\n"
    forced = cli("export", "--db", db, "-o", out, "--force")
    assert forced.returncode == 0, forced.stderr
    assert out.read_text().count("\n") == 4  # header + 3 rows
    assert files(tmp_path) == {"news.db", "out.csv"}  # no temporary file left


@pytest.mark.parametrize("existing", [False, True])
def test_failed_export_leaves_no_half_file(tmp_path, existing):
    out = tmp_path / "out.jsonl"
    if existing:
        out.write_text("precious\n")

    def rows():
        yield ("a", 1)
        yield ("b", 2)
        raise sqlite3.OperationalError("disk I/O error")  # the database fails half-way

    with pytest.raises(sqlite3.OperationalError):
        export_to_file(out, "jsonl", ["x", "y"], rows(), force=True)
    assert files(tmp_path) == ({"out.jsonl"} if existing else set())
    if existing:
        assert out.read_text() == "precious\n"
    with pytest.raises(ExportError, match="does not exist"):
        export_to_file(tmp_path / "nowhere" / "out.csv", "csv", ["x"], iter(()))
