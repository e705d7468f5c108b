"""extract_article's extractor agreement: conditional full trafilatura run, lazy precision pass."""

import trafilatura

from pipeline.extract import article as extract
from pipeline.extract.article import extract_article, main_text
from trafilatura.utils import load_html

STORY = [
    "The city council voted on Tuesday to expand the riverside park by twelve hectares, ending a debate that had "
    "run for more than three years and split the neighbourhood.",
    "Supporters said the new land would give families room for playing fields and a wetland walk, while opponents "
    "had argued the money should go to road repairs instead.",
    "Work on the first section is expected to begin next spring, the mayor said, and the whole park should be open "
    "to the public by the summer of the following year.",
]
PAGE = f"""<html><head><title>Park grows</title></head><body><div class="wrap">
<article><h1>Park grows</h1>{''.join(f'<p>{p}</p>' for p in STORY)}</article>
</div></body></html>"""


def _count_calls(monkeypatch, fast_result=None):
    calls = []
    real = trafilatura.bare_extraction

    def counting(*args, **kwargs):
        kind = "precision" if kwargs.get("favor_precision") else "fast" if kwargs.get("fast") else "full"
        calls.append(kind)
        if kind == "fast" and fast_result is not None:
            return fast_result
        return real(*args, **kwargs)

    monkeypatch.setattr(extract.trafilatura, "bare_extraction", counting)
    return calls


def test_clean_page_needs_one_trafilatura_pass_and_keeps_the_story(monkeypatch):
    calls = _count_calls(monkeypatch)
    article = extract_article(PAGE, "https://example.org/park")
    assert article.title == "Park grows"
    assert article.text.splitlines() == STORY  # the headline is the title column, not a text line
    assert calls == ["fast"]  # readability agrees on both edges: no full run, no precision pass
    assert not [r for r in article.removals if r.cleaner == "extractor_agreement"]


def test_empty_fast_extraction_falls_back_to_the_full_trafilatura_run(monkeypatch):
    class Empty:
        text = ""

    calls = _count_calls(monkeypatch, fast_result=Empty())  # the fast run found no text
    text, readable = main_text(load_html(PAGE), "https://example.org/park")
    assert calls == ["fast", "full"]
    for paragraph in STORY:
        assert paragraph in text and paragraph in readable


def test_edge_line_only_the_main_extraction_has_is_cut(monkeypatch):
    teaser = "Watch our reporters explain the week in ninety seconds, every Friday on our video channel."

    class Doc:
        text = "\n".join([teaser, *STORY])

    calls = _count_calls(monkeypatch, fast_result=Doc())
    article = extract_article(PAGE, "https://example.org/park")
    assert article.text.splitlines() == STORY
    assert calls == ["fast", "precision"]  # the doubtful edge brought in the precision-mode witness
    assert [r.text for r in article.removals if r.cleaner == "extractor_agreement"] == [teaser]
