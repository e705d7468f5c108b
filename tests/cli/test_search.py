"""`newsrake search`, and the same search in `newsrake query` SQL, on a crawl of the demo web."""

import csv
import io
import json
import re

import pytest

from pipeline.store import SCHEMA_VERSION, Store
from tests.helpers import copy_db, drop_search_index, newsrake, rows


def search(db, *args) -> list[dict]:
    return json.loads(newsrake("search", *args, "--db", db, "--limit", "0", "--json", check=True).stdout)


def containing(db, needle: str) -> set[int]:
    """Articles whose title or text contains ``needle`` (the full scan search must agree with)."""
    return {i for (i,) in rows(db, "SELECT id FROM articles WHERE instr(title || ' ' || text, ?) > 0", needle)}


@pytest.mark.parametrize("word", ["天津", "津", "土地市场", "新区"])
def test_chinese_of_any_length_finds_every_article_containing_it(crawled, word):
    db, _, _ = crawled
    expected = containing(db, word)
    assert expected, f"the demo web has no article with {word}"
    found = search(db, word)
    assert {r["id"] for r in found} == expected
    assert all(f"**{word}**" in r["snippet"] or word in r["title"] for r in found)


def test_english_words_match_as_words_in_any_case(crawled):
    db, _, _ = crawled
    texts = dict(rows(db, "SELECT id, title || ' ' || text FROM articles"))

    def as_word(word):
        return {i for i, t in texts.items() if re.search(rf"\b{word}\b", t, re.IGNORECASE)}

    assert as_word("council") and not as_word("counc")
    assert {r["id"] for r in search(db, "COUNCIL")} == as_word("council")
    assert search(db, "counc") == []


def test_every_word_must_occur_and_best_matches_first(crawled):
    db, _, _ = crawled
    both = containing(db, "天津") & containing(db, "项目")
    assert both and both != containing(db, "天津")
    assert {r["id"] for r in search(db, "天津 项目")} == both
    limited = json.loads(newsrake("search", "天津", "--db", db, "--limit", "2", "--json", check=True).stdout)
    assert [r["id"] for r in limited] == [r["id"] for r in search(db, "天津")][:2]


def test_the_same_search_in_query_sql(crawled):
    db, _, _ = crawled
    sql = ("SELECT a.id FROM articles_bigram JOIN articles a ON a.id = articles_bigram.rowid"
           " WHERE articles_bigram MATCH newsrake_match('天津') ORDER BY rank")
    out = json.loads(newsrake("query", sql, "--db", db, "--json", check=True).stdout)
    assert [r["id"] for r in out] == [r["id"] for r in search(db, "天津")]


def test_site_since_and_output_formats(crawled):
    db, _, _ = crawled
    sites = {r["site"] for r in search(db, "天津")}
    assert len(sites) > 1
    site = sorted(sites)[0]
    assert {r["site"] for r in search(db, "天津", "--site", site)} == {site}
    dates = sorted(r["published"] for r in search(db, "天津") if r["published"])
    since = dates[len(dates) // 2]
    later = {i for (i,) in rows(db, "SELECT id FROM articles WHERE coalesce(published_at, fetched_at) >= ?", since)}
    assert {r["id"] for r in search(db, "天津", "--since", since)} == later & containing(db, "天津")
    assert later & containing(db, "天津") < containing(db, "天津")  # undated ones count by when they were fetched
    table = newsrake("search", "天津", "--db", db, check=True).stdout
    assert table.split("\n")[0].split() == ["id", "site", "published", "title", "snippet"]
    as_csv = list(csv.DictReader(io.StringIO(newsrake("search", "天津", "--db", db, "--csv", check=True).stdout)))
    assert [int(r["id"]) for r in as_csv] == [r["id"] for r in search(db, "天津")][:20]


@pytest.mark.parametrize("args, message", [
    (["天津", "--site", "nowhere"], "no site named 'nowhere' in the database (sites: "),
    (["天津", "--since", "2024-13-01"], "invalid date '2024-13-01'"),
    (["。，!"], "nothing to search for"),
])
def test_bad_input_is_refused(crawled, args, message):
    db, _, _ = crawled
    result = newsrake("search", *args, "--db", db)
    assert result.returncode == 2 and message in result.stderr and not result.stdout


def test_an_earlier_database_is_indexed_once_and_writes_keep_the_index(crawled, tmp_path):
    db = copy_db(crawled[0], tmp_path / "old.db")
    expected = containing(db, "天津")
    store = Store(db)  # the previous release's schema: no bigram index
    drop_search_index(store.conn)
    store.conn.execute("PRAGMA user_version = 5")  # the release before the bigram index (migration 6)
    store.close()
    assert {r["id"] for r in search(db, "天津")} == expected
    assert rows(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]

    changed, demoted, *_ = sorted(expected)
    store = Store(db)
    store.update_article(changed, {"title": "新标题", "text": "重庆的消息"}, run_id=1)
    store.demote_article(demoted, changed, "near", 0.9, run_id=1)
    store.close()
    assert {r["id"] for r in search(db, "天津")} == expected - {changed, demoted}
    assert [r["id"] for r in search(db, "重庆")] == [changed]
