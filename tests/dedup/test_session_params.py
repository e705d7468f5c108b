"""Per-visit query parameters recognised at ingest, on a real database: what counts as evidence,
what is recorded, and what later pages and later nights are stored under."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pipeline.core.items import Article, PageItem
from pipeline.dedup import Deduplicator
from pipeline.store import Store
from tests.faults import article_text

NOW = datetime(2023, 3, 1, tzinfo=timezone.utc).isoformat()


def story(key: str) -> str:
    """A text of its own for each key (random words: no two keys are near duplicates)."""
    return "\n".join(article_text(sum(map(ord, key))))


@pytest.fixture
def ingest(tmp_path):
    store = Store(tmp_path / "news.db")
    dedup = Deduplicator(store)
    run_id = store.start_run(None, None)

    def put(url, key, site="s", canonical=None, extra=""):
        page = PageItem(site=site, url=url, body=b"<html></html>", fetched_at=NOW)
        return dedup.ingest(page, Article(title=key, text=story(key) + extra, canonical_url=canonical), run_id)

    yield put, store, tmp_path / "news.db"
    store.close()


def recorded(store) -> list[tuple]:
    return store.conn.execute("SELECT site, param FROM session_params").fetchall()


def urls(store) -> list[str]:
    return sorted(u for (u,) in store.conn.execute("SELECT url FROM articles"))


def test_one_story_under_two_sessions_is_not_enough(ingest):
    put, store, _ = ingest
    put("http://s/a.html?sid=1", "a")
    assert put("http://s/a.html?sid=2", "a").session_param is None
    assert recorded(store) == []
    assert urls(store) == ["http://s/a.html?sid=1"]


def test_two_stories_prove_it_and_it_leaves_every_url_of_the_site(ingest):
    put, store, _ = ingest
    for key in "abc":
        put(f"http://s/{key}.html?sid=1", key)
    put("http://t/x.html?sid=1", "x", site="t")  # another site keeps its URLs
    assert put("http://s/a.html?sid=2", "a").session_param is None
    outcome = put("http://s/b.html?sid=3", "b")
    assert (outcome.action, outcome.kind, outcome.session_param) == ("duplicate", "exact", "sid")
    assert recorded(store) == [("s", "sid")]
    assert urls(store) == ["http://s/a.html", "http://s/b.html", "http://s/c.html", "http://t/x.html?sid=1"]
    # A page fetched under a session after that is stored without it; a copy is the article, unchanged.
    assert put("http://s/d.html?sid=4&p=2", "d").action == "stored"
    assert "http://s/d.html?p=2" in urls(store)
    assert put("http://s/c.html?sid=5", "c").action == "unchanged"


def test_the_next_night_knows_the_parameter(tmp_path):
    path = tmp_path / "news.db"
    for night, keys in enumerate(["ab", "e"]):
        store = Store(path)
        dedup = Deduplicator(store)
        run_id = store.start_run(None, None)
        for key in keys:
            for sid in (f"{night}1", f"{night}2"):
                page = PageItem(site="s", url=f"http://s/{key}.html?sid={sid}", body=b"<html></html>", fetched_at=NOW)
                dedup.ingest(page, Article(title=key, text=story(key)), run_id)
        found = urls(store)
        store.close()
    assert found == ["http://s/a.html", "http://s/b.html", "http://s/e.html"]


def test_a_parameter_that_selects_the_story_is_kept(ingest):
    put, store, _ = ingest
    for n in range(4):  # /a.php?id=1 and ?id=01 carry one story: id still selects it
        put(f"http://s/a.php?id={n}", str(n))
        assert put(f"http://s/a.php?id=0{n}", str(n)).session_param is None
    assert recorded(store) == []


@pytest.mark.parametrize("first, copy", [
    ("http://s/{k}.html?sid=1&x=1", "http://s/{k}.html?sid=2&x=2"),  # two parameters differ
    ("http://s/{k}.html?sid=1", "http://s/{k}.html"),  # one URL lacks it
    ("http://s/{k}.html?sid=1", "http://s/m/{k}.html?sid=2"),  # another path
    ("http://s/{k}.html?sid=1", "https://s/{k}.html?sid=2"),  # another scheme
])
def test_urls_differing_in_more_than_one_value_are_no_evidence(ingest, first, copy):
    put, store, _ = ingest
    for key in "abc":
        put(first.format(k=key), key)
        assert put(copy.format(k=key), key).session_param is None
    assert recorded(store) == []


def test_a_near_copy_is_no_evidence(ingest):
    put, store, _ = ingest
    for key in "abc":
        put(f"http://s/{key}.html?sid=1", key)
        outcome = put(f"http://s/{key}.html?sid=2", key, extra="\nRead more.")  # a line added: not the same text
        assert (outcome.kind, outcome.session_param) == ("near", None)
    assert recorded(store) == []


def test_a_copy_found_through_its_canonical_link_is_evidence_too(ingest):
    put, store, _ = ingest
    for key in "ab":
        put(f"http://s/{key}.html?sid=1", key, canonical=f"http://s/{key}.html")
    put("http://s/a.html?sid=2", "a", canonical="http://s/a.html")
    outcome = put("http://s/b.html?sid=2", "b", canonical="http://s/b.html")
    assert (outcome.kind, outcome.session_param) == ("url", "sid")
    assert store.conn.execute("SELECT url, canonical_url FROM articles ORDER BY url").fetchall() == [
        ("http://s/a.html", "http://s/a.html"), ("http://s/b.html", "http://s/b.html")]
