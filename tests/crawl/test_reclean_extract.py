"""`newsrake reclean` (re-clean stored HTML without fetching) and `newsrake extract` (check pages)."""

import json
import sqlite3

from demo.truth import truth
from tests.helpers import copy_db, newsrake, rows

TRUTH = truth()


def test_reclean_applies_new_rules_without_fetching(demo_web, demo_config, crawled, tmp_path):
    db, _, _ = crawled
    copy = copy_db(db, tmp_path / "news.db")
    unchanged = newsrake("reclean", "--db", copy, check=True)
    assert "0 changed" in unchanged.stdout

    doomed = TRUTH["zh-agg:/news/1002.html"]["paragraphs"][-1]
    config = tmp_path / "sites.toml"
    config.write_text(demo_config.read_text(encoding="utf-8").replace(
        'name = "zh-agg"', f'name = "zh-agg"\ndrop_patterns = [\'^{doomed[:12]}\']'), encoding="utf-8")
    requests_before = len(demo_web.requests)
    result = newsrake("reclean", "--db", copy, "--site", "zh-agg", "--config", config, check=True)
    assert len(demo_web.requests) == requests_before, "reclean must not fetch"
    assert "1 changed" in result.stdout, result.stdout
    (article_id, text), = rows(copy, "SELECT id, text FROM articles WHERE url LIKE '%/news/1002.html'")
    assert doomed not in text and TRUTH["zh-agg:/news/1002.html"]["paragraphs"][0] in text
    assert doomed in rows(copy, "SELECT text FROM article_history WHERE article_id = ?", article_id)[0][0]
    assert any(doomed in t for (t,) in rows(copy, "SELECT text FROM removals WHERE article_id = ?", article_id))


def test_reclean_fills_the_date_source_of_articles_stored_before_it_and_export_carries_it(crawled, tmp_path):
    """Articles stored before migration 5 have no ``date_source``; reclean finds it again, and it is an
    exported column a user can filter on."""
    db, _, _ = crawled
    copy = copy_db(db, tmp_path / "news.db")
    (stored,), = rows(copy, "SELECT count(*) FROM articles")
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE articles SET date_source = NULL")
    conn.close()
    result = newsrake("reclean", "--db", copy, check=True)
    assert f"{stored} changed" in result.stdout, result.stdout
    assert rows(copy, "SELECT count(*) FROM articles WHERE date_source IS NULL") == [(0,)]
    exported = [json.loads(line) for line in newsrake("export", "--db", copy, "--format", "jsonl",
                                                        check=True).stdout.splitlines()]
    assert len(exported) == stored and {row["date_source"] for row in exported} == {"feed", "meta"}


def test_reclean_updates_an_article_whose_metadata_alone_changed(crawled, tmp_path):
    """Same text, another author found by today's rules (here: a CMS account an older release kept):
    the article is updated, not reported unchanged."""
    db, _, _ = crawled
    copy = copy_db(db, tmp_path / "news.db")
    with sqlite3.connect(copy) as conn:
        changed = conn.execute("UPDATE articles SET author = 'Admin' WHERE author IS NULL").rowcount
    conn.close()
    assert changed
    result = newsrake("reclean", "--db", copy, check=True)
    assert f"{changed} changed" in result.stdout, result.stdout
    assert rows(copy, "SELECT count(*) FROM articles WHERE author = 'Admin'") == [(0,)]


def test_extract_saved_pages_as_json_lines(demo_web, tmp_path):
    files = []
    for key in ("zh-agg:/news/1003.html", "en-wire:/2023/03/chip-plant/"):
        site, path = key.split(":", 1)
        f = tmp_path / f"{site}.html"
        f.write_bytes(demo_web.page(site, path))
        files.append(f)
    result = newsrake("extract", *files, "--json", check=True)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [set(r) >= {"title", "published_at", "text", "removed"} for r in lines] == [True, True]
    zh, en = lines
    assert zh["title"] == TRUTH["zh-agg:/news/1003.html"]["title"]
    assert TRUTH["zh-agg:/news/1003.html"]["paragraphs"][0] in zh["text"]
    assert TRUTH["en-wire:/2023/03/chip-plant/"]["paragraphs"][0] in en["text"]
    assert zh["removed"] and all({"cleaner", "reason", "text"} <= set(r) for r in zh["removed"])


def test_extract_url_and_missing_file(demo_web, tmp_path):
    url = demo_web.base_url("gbk-news") + "/a/2023/0302101.shtml"
    result = newsrake("extract", url, check=True)
    assert TRUTH["gbk-news:/a/2023/0302101.shtml"]["title"] in result.stdout
    missing = newsrake("extract", tmp_path / "nope.html")
    assert missing.returncode == 2 and "nope.html" in missing.stderr


def test_extract_url_fetches_the_way_the_crawl_does(demo_web):
    """robots.txt is obeyed and the crawl's settings apply: a disallowed page is refused, not fetched."""
    base = demo_web.base_url("en-wire")
    private = [p for (site, p) in demo_web.requests if site == "en-wire" and p.startswith("/private/")]
    result = newsrake("extract", base + "/private/secret.html")
    assert result.returncode == 2 and "robots_disallowed" in result.stderr, result.stderr
    assert [p for (site, p) in demo_web.requests if site == "en-wire" and p.startswith("/private/")] == private
    timed_out = newsrake("extract", base + "/2023/03/chip-plant/", "-s", "NEWSRAKE_EXTRACT_TIMEOUT=0.000001")
    assert timed_out.returncode == 2 and "extraction took over" in timed_out.stderr, timed_out.stderr


def test_scrapy_crawl_writes_the_stored_articles_as_feed_items(demo_web, demo_config, tmp_path):
    import json
    import subprocess
    import sys

    from tests.helpers import ROOT, _env  # noqa: PLC0415

    db, items = tmp_path / "news.db", tmp_path / "items.jsonl"
    subprocess.run([sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"config={demo_config}",
                    "-s", f"NEWSRAKE_DB={db}", "-s", "AUTOTHROTTLE_ENABLED=False", "-O", str(items)],
                   cwd=ROOT, env=_env(), capture_output=True, timeout=300, check=True)
    lines = [json.loads(line) for line in items.read_text(encoding="utf-8").splitlines()]
    stored = {(r["url"], r["id"]) for r in lines if r["outcome"] == "stored"}
    assert stored == set(rows(db, "SELECT url, id FROM articles"))
    assert {r["outcome"] for r in lines} == {"stored", "duplicate"}
    assert all(r["text"] and r["site"] for r in lines)
