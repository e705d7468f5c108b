"""End-to-end: extract_article keeps the whole story where a cleaner or trafilatura's fast pass would lose it."""

import unicodedata

import pytest

from pipeline.extract.article import extract_article, restore_block_lines

STORY = [f"Paragraph {i}: the harbour authority said the quay wall cracked in the storm, and ferry berth {i} "
         f"will stay closed until engineers finish the repairs planned for next spring." for i in range(12)]
INTRO = ("The harbour authority met on Monday to discuss the damage the winter storm did to the old quay wall, "
         "and the ferry operators came to hear what it means for their timetables this year.")


def test_full_run_is_taken_when_the_fast_pass_misses_most_of_the_text():
    # the <article> holds only the intro: trafilatura's fast pass stops there, its full run finds the rest
    html = (f"<html><body><article><p>{INTRO}</p><p>{INTRO[::-1]}</p></article>"
            f"<div class='more'>{''.join(f'<p>{p}</p>' for p in STORY)}</div></body></html>")
    text = extract_article(html, "https://example.org/news/1").text
    assert all(paragraph in text for paragraph in STORY)


def test_a_live_blog_keeps_every_timestamped_post():
    posts = "".join(f"<div class='post comment-entry'><time>10:{i:02d}</time><p>{p}</p></div>"
                    for i, p in enumerate(STORY))
    html = (f"<html><body><h1>Storm live: the harbour</h1><div class='liveblog'>{posts}</div>"
            "<div id='comments'><p>First comment!</p><p>Second comment here.</p></div></body></html>")
    text = extract_article(html, "https://example.org/live/1").text
    assert all(paragraph in text for paragraph in STORY)
    assert "First comment!" not in text


@pytest.mark.parametrize("fragment", [
    "<table><tr><td>{body}</td></tr></table>",
    "<div class='story'>{body}</div>",
    "{body}",
])
def test_a_fragment_without_html_is_extracted(fragment):
    body = "<br>".join(STORY[:4])
    text = extract_article(fragment.format(body=body), "https://example.org/feed/item").text
    assert all(paragraph in text for paragraph in STORY[:4])


def test_text_is_nfc_normalised():
    decomposed = unicodedata.normalize("NFD", "Das Gerät wurde geprüft, sagte die Behörde in Köln am Montag.")
    html = "<html><body><article>" + "".join(f"<p>{decomposed} ({i})</p>" for i in range(6)) + "</article></body></html>"
    text = extract_article(html, "https://example.de/a").text
    assert "geprüft" in text and unicodedata.is_normalized("NFC", text)


def test_block_paragraphs_the_text_lacks_and_readability_holds_are_put_back_in_place():
    paragraphs = ["The harbour authority said on Monday that the old quay wall cracked in the storm.",
                  "Ferry operators moved their boats to the north pier, where passengers board from a pontoon.",
                  "Traders at the fish market said the closure cost them a third of their winter sales."]
    block = "\n".join([*paragraphs, "Photo: J. Doe"])
    text = "\n".join([paragraphs[0], paragraphs[2], "Share this story"])
    restored = restore_block_lines(text, block, block).splitlines()
    assert restored == [*paragraphs, "Share this story"]  # in place; the short credit line stays out
    assert restore_block_lines(text, "", block) == text  # readability never saw it: nothing added
