"""End-to-end: crawl the demo web with the CLI and check what the database holds."""

import json
from urllib.parse import urlsplit

from demo.truth import truth
from tests.helpers import FAST, copy_db, newsrake, rows

TRUTH = truth()
ORIGINALS = {k: v for k, v in TRUTH.items() if not v["duplicate_of"]}


def story(key):
    """The demo story a page carries: the key of its first publication.

    Pages are fetched concurrently, so which copy of a story is stored first
    (and which become its duplicates) varies from crawl to crawl; the story
    a page belongs to does not.
    """
    return TRUTH[key]["duplicate_of"] or key


def path_of(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def stored(db):
    """{"site:path": row} for every article row."""
    return {f"{site}:{path_of(url)}": dict(title=title, text=text, published_at=published_at, id=id_)
            for id_, site, url, title, text, published_at in
            rows(db, "SELECT id, site, url, title, text, published_at FROM articles")}


def test_every_original_story_is_stored_once(crawled):
    db, result, _ = crawled
    articles = stored(db)
    assert len(articles) == len(ORIGINALS)
    assert {story(key) for key in articles} == set(ORIGINALS)
    for key, row in articles.items():
        if TRUTH[key]["duplicate_kind"] != "near":  # an edited repost may be the copy stored
            assert TRUTH[key]["paragraphs"][0] in row["text"], key


def test_summary_table_and_run_row(crawled):
    db, result, _ = crawled
    for site in ("zh-agg", "gbk-news", "en-wire", "zh-repost"):
        assert site in result.stdout
    (status, stored_count, dups, config, stats), = rows(
        db, "SELECT status, articles_stored, duplicates, config, stats FROM runs")
    assert status == "completed"
    assert stored_count == len(ORIGINALS)
    assert dups == rows(db, "SELECT count(*) FROM duplicates")[0][0] > 0
    assert "[[sites]]" in config
    assert json.loads(stats)["sites"]["gbk-news"]["fetched"] > 0


def test_gbk_site_decodes(crawled):
    db, _, _ = crawled
    texts = [t for (t,) in rows(db, "SELECT text FROM articles WHERE site = 'gbk-news'")]
    assert texts and all("\ufffd" not in t for t in texts)
    assert any("天津" in t for t in texts)


def test_duplicates_point_at_stored_articles(crawled):
    db, _, _ = crawled
    articles = stored(db)
    ids = {row["id"]: key for key, row in articles.items()}
    dups = rows(db, "SELECT url, site, article_id, kind FROM duplicates")
    assert dups
    for url, site, article_id, kind in dups:
        key = f"{site}:{path_of(url)}"
        assert article_id in ids, key
        assert story(ids[article_id]) == story(key), key
        assert kind == (TRUTH[key]["duplicate_kind"] or TRUTH[ids[article_id]]["duplicate_kind"]), key
    # the tracking-parameter disguise was never fetched, but is on record; a fragment is not another URL
    aliases = [(path_of(url), kind) for url, site, _, kind in dups if path_of(url).startswith("/p/123.html")]
    assert aliases == [("/p/123.html?utm_source=wechat&spm=a.b.c", "url")]


def test_list_page_dates_reach_articles(crawled):
    """zh-agg pages show only a relative date; the list page carries the full one."""
    db, _, _ = crawled
    for key, row in stored(db).items():
        if key.startswith("zh-agg:"):
            assert row["published_at"] and row["published_at"].startswith(TRUTH[key]["published_at"][:10]), key


def test_robots_and_offsite(crawled):
    _, _, requests = crawled
    assert not [p for site, p in requests if p.startswith("/private/")]
    assert ("en-wire", "/robots.txt") in requests


def test_full_text_search_in_chinese(crawled):
    db, _, _ = crawled
    hits = rows(db, "SELECT a.site FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
                    " WHERE articles_fts MATCH ?", "土地市场")
    assert hits and {site for (site,) in hits} == {"gbk-news"}


def test_second_night_fetches_lists_not_articles(demo_web, demo_config, crawled, tmp_path):
    db, _, first_requests = crawled
    copy = copy_db(db, tmp_path / "news.db")
    before_rows = rows(copy, "SELECT count(*) FROM articles")[0][0], rows(copy, "SELECT count(*) FROM duplicates")[0][0]
    start = len(demo_web.requests)
    newsrake("crawl", demo_config, "--db", copy, *FAST, check=True)
    second = demo_web.requests[start:]
    article_paths = {path_of_key for key in TRUTH for path_of_key in [key.split(":", 1)[1].split("#")[0]]}
    assert not [p for _, p in second if p in article_paths], "stored articles were fetched again"
    assert ("zh-agg", "/list/1.html") in second and ("gbk-news", "/rss.xml") in second
    assert (rows(copy, "SELECT count(*) FROM articles")[0][0],
            rows(copy, "SELECT count(*) FROM duplicates")[0][0]) == before_rows
    assert [s for (s,) in rows(copy, "SELECT status FROM runs ORDER BY id")] == ["completed", "completed"]


def test_crawl_from_another_directory_with_relative_db(demo_config, tmp_path):
    home = tmp_path / "home"
    (home / "out").mkdir(parents=True)
    result = newsrake("crawl", demo_config, "--db", "out/news.db", *FAST, cwd=home, check=True)
    assert (home / "out" / "news.db").exists(), result.stderr
    assert rows(home / "out" / "news.db", "SELECT count(*) FROM articles")[0][0] == len(ORIGINALS)


def test_recent_article_corrected_in_place(demo_web, demo_config, crawled, tmp_path):
    """A re-fetched article whose text changed is updated, the old text kept in article_history."""
    db, _, _ = crawled
    copy = copy_db(db, tmp_path / "news.db")
    key = "zh-agg:/news/1002.html"  # a story nobody republishes, so always stored under this URL
    old_first = TRUTH[key]["paragraphs"][0]
    page = demo_web.page("zh-agg", "/news/1002.html").decode("utf-8")
    corrected = "更正:" + old_first.replace("2月9日", "2月10日")
    demo_web.override("zh-agg", "/news/1002.html", page.replace(old_first, corrected).encode("utf-8"),
                      headers={"Content-Type": "text/html; charset=utf-8"})
    try:
        newsrake("crawl", demo_config, "--db", copy, *FAST, "-s", "NEWSRAKE_RECHECK_DAYS=100000", check=True)
    finally:
        demo_web.override("zh-agg", "/news/1002.html", None)
    (article_id, text, updated_at), = rows(copy, "SELECT id, text, updated_at FROM articles WHERE url LIKE ?",
                                           "%/news/1002.html")
    assert corrected in text and updated_at
    (old_text,), = rows(copy, "SELECT text FROM article_history WHERE article_id = ?", article_id)
    assert old_first in old_text
    assert rows(copy, "SELECT count(*) FROM articles")[0][0] == len(ORIGINALS)
    assert rows(copy, "SELECT articles_updated FROM runs ORDER BY id DESC LIMIT 1")[0][0] >= 1


def test_editor_and_source_lines_become_columns(crawled):
    """责任编辑 lines leave the text for the editor column even where the site's drop_patterns also match them."""
    db, _, _ = crawled
    found = rows(db, "SELECT editor, source, text FROM articles WHERE site = 'gbk-news'")
    assert found and all(editor in ("张三", "李四") and source == "新华网" for editor, source, _ in found)
    assert not [text for *_, text in found if "责任编辑" in text]


def test_malformed_links_are_skipped_not_fatal(demo_web, demo_config, tmp_path):
    page = demo_web.page("zh-agg", "/list/1.html").decode("utf-8")
    bad = '<a href="http://127.0.0.11:99999/news/1.html">x</a><a href="http://[::1/news/2.html">y</a>'
    demo_web.override("zh-agg", "/list/1.html", page.replace("<body>", "<body>" + bad, 1).encode("utf-8"))
    try:
        newsrake("crawl", demo_config, "--db", tmp_path / "news.db", *FAST, check=True)
    finally:
        demo_web.override("zh-agg", "/list/1.html", None)
    db = tmp_path / "news.db"
    (stats,), = rows(db, "SELECT stats FROM runs")
    assert json.loads(stats)["sites"]["zh-agg"]["bad_links"] == 2
    stored_here = {story(k) for k in stored(db) if k.startswith(("zh-agg:", "zh-repost:"))}
    assert {k for k in ORIGINALS if k.startswith("zh-agg:")} <= stored_here


def test_summary_counts_agree_with_the_database(crawled):
    db, result, _ = crawled
    (stored_count, dups, stats), = rows(db, "SELECT articles_stored, duplicates, stats FROM runs")
    per_site = json.loads(stats)["sites"]
    assert sum(s.get("stored", 0) for s in per_site.values()) == stored_count
    assert sum(s.get("duplicates", 0) for s in per_site.values()) == dups


def test_every_dated_article_says_how_its_date_was_found(crawled):
    """``articles.date_source``: zh-agg pages show only "9个月前 (02-02)", so their day is the list page's
    (``feed``); the other demo sites state it in their markup."""
    db, _, _ = crawled
    found = {f"{site}:{path_of(url)}": (published_at, source) for site, url, published_at, source in
             rows(db, "SELECT site, url, published_at, date_source FROM articles")}
    assert found
    for key, (published_at, source) in found.items():
        assert published_at and published_at[:10] == TRUTH[key]["published_at"][:10], key
        assert source == ("feed" if key.startswith("zh-agg:") else "meta"), (key, source)
