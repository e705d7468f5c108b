"""The dedup-and-store decisions, on a real database: canonical links, corrections, aliases."""

from datetime import datetime, timezone

import pytest

from pipeline.core.items import Article, PageItem
from pipeline.dedup import Deduplicator
from pipeline.store import Store

NOW = datetime(2023, 3, 1, tzinfo=timezone.utc).isoformat()
STORY_A = "\n".join(f"The harbour authority said on Monday that berth {i} would reopen after repairs to the quay wall."
                    for i in range(12))
STORY_B = "\n".join(f"City council members voted to extend the night bus route number {i} to the new hospital."
                    for i in range(12))


@pytest.fixture
def ingest(tmp_path):
    store = Store(tmp_path / "news.db")
    ingestor = Deduplicator(store)
    run_id = store.start_run(None, None)

    def put(url, text, canonical=None):
        page = PageItem(site="s", url=url, body=b"<html></html>", fetched_at=NOW)
        return ingestor.ingest(page, Article(title=url, text=text, canonical_url=canonical), run_id)

    yield put, store, ingestor, run_id
    store.close()


def test_site_wide_canonical_does_not_merge_different_stories(ingest):
    put, store, *_ = ingest
    assert put("http://s/a/1", STORY_A, canonical="http://s/").action == "stored"
    assert put("http://s/a/2", STORY_B, canonical="http://s/").action == "stored"
    assert store.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_canonical_link_to_the_same_story_is_a_url_duplicate(ingest):
    put, store, *_ = ingest
    first = put("http://www.s/a/1", STORY_A)
    outcome = put("http://m.s/a/1", STORY_A + "\nShare this article", canonical="http://www.s/a/1")
    assert (outcome.action, outcome.kind, outcome.article_id) == ("duplicate", "url", first.article_id)


def test_page_at_another_articles_canonical_url_does_not_overwrite_it(ingest):
    put, store, *_ = ingest
    first = put("http://s/a/1", STORY_A, canonical="http://s/a/1-amp")
    second = put("http://s/a/1-amp", STORY_B)
    assert second.action == "stored" and second.article_id != first.article_id
    assert store.article(first.article_id)["text"] == STORY_A


def test_aliases_point_at_the_article_never_at_a_duplicate(ingest):
    put, store, ingestor, run_id = ingest
    first = put("http://s/a/1", STORY_A)
    put("http://t/copy", STORY_A)  # an exact copy: a duplicate row
    ingestor.record_aliases({"http://t/copy": {("t", "http://t/copy?utm_source=x")},
                             "http://s/a/9": {("s", "http://s/a/9?spm=1")}}, run_id)  # a/9 was never stored
    rows = store.conn.execute("SELECT url, article_id, kind FROM duplicates ORDER BY url").fetchall()
    assert rows == [("http://t/copy", first.article_id, "exact"),
                    ("http://t/copy?utm_source=x", first.article_id, "url")]


def test_an_index_built_for_another_threshold_is_rebuilt_not_mixed(tmp_path):
    store = Store(tmp_path / "news.db")
    run_id = store.start_run(None, None)
    dedup = Deduplicator(store, threshold=0.8)
    page = PageItem(site="s", url="http://t/a", body=b"<html></html>", fetched_at=NOW)
    dedup.ingest(page, Article(title="a", text=STORY_A), run_id)
    store.commit()
    bands_before = store.conn.execute("SELECT count(*) FROM lsh_bands").fetchone()[0]

    rebuilt = Deduplicator(store, threshold=0.9)  # other bands x rows: the stored index no longer fits
    store.commit()
    params = store.conn.execute("SELECT bands, rows FROM lsh_params").fetchone()
    assert params == (rebuilt.index.bands, rebuilt.index.rows) != (16, 8)
    assert store.conn.execute("SELECT count(*) FROM lsh_bands").fetchone()[0] == rebuilt.index.bands != bands_before
    # The rebuilt index still finds the stored story.
    copy = PageItem(site="s", url="http://t/b", body=b"<html></html>", fetched_at=NOW)
    outcome = rebuilt.ingest(copy, Article(title="b", text=STORY_A + "\nMore."), run_id)
    assert (outcome.action, outcome.kind) == ("duplicate", "near")
    store.close()


def test_aliases_of_a_url_only_named_by_a_canonical_link_are_not_recorded(ingest):
    put, store, ingestor, run_id = ingest
    put("http://s/a/1", STORY_A, canonical="http://s/a/1-full")  # a/1-full was named, never fetched
    ingestor.record_aliases({"http://s/a/1-full": {("s", "http://s/a/1-full?utm_source=x")}}, run_id)
    assert store.conn.execute("SELECT count(*) FROM duplicates").fetchone()[0] == 0
