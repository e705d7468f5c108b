"""Reposts that differ only in Unicode normal form are exact copies of each other."""

import unicodedata
from datetime import datetime, timezone

from pipeline.core.items import PageItem
from pipeline.dedup import Deduplicator, content_hash
from pipeline.extract.article import extract_article
from pipeline.store import Store

NOW = datetime(2024, 3, 1, tzinfo=timezone.utc).isoformat()
STORY = [f"Die Behörde hat den Kai {i} am Montag geprüft; die Fähre fährt bis zur Reparatur vom Nordpier ab."
         for i in range(10)]


def page(form: str) -> str:
    body = "".join(f"<p>{unicodedata.normalize(form, p)}</p>" for p in STORY)
    return f"<html><body><article><h1>Kai geprüft</h1>{body}</article></body></html>"


def test_composed_and_decomposed_reposts_are_one_story(tmp_path):
    composed = extract_article(page("NFC"), "https://a.example/news/1")
    decomposed = extract_article(page("NFD"), "https://b.example/copy/1")
    assert decomposed.text == composed.text
    assert content_hash(unicodedata.normalize("NFD", composed.text)) == content_hash(composed.text)

    store = Store(tmp_path / "news.db")
    try:
        dedup = Deduplicator(store)
        run_id = store.start_run(None, None)
        first = dedup.ingest(PageItem(site="a", url="https://a.example/news/1", body=b"", fetched_at=NOW),
                             composed, run_id)
        second = dedup.ingest(PageItem(site="b", url="https://b.example/copy/1", body=b"", fetched_at=NOW),
                              decomposed, run_id)
        assert first.action == "stored"
        assert (second.action, second.kind, second.article_id) == ("duplicate", "exact", first.article_id)
    finally:
        store.close()
