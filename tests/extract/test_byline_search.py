"""The byline search's XPaths (pipeline/extract/byline_search.py) select what trafilatura's own select.

trafilatura's XPaths are the oracle: on a page holding an element for every word its author patterns
name (exact, inside a longer class, at the start and past it, in another case) and on every saved page
of the test suite, each spelled-out XPath selects the same elements as the one it replaces, and the
author found is the same.
"""

from pathlib import Path

import pytest
from lxml import html as lxml_html
from trafilatura import xpaths
from trafilatura.metadata import extract_author as library_extract_author

from pipeline.extract import byline_search

# What trafilatura 2.3's patterns were read from: when trafilatura changes them, translate them again.
TRANSLATED_FROM = [
    "re:test(@class, 'author-?name|AuthorName|authorName')",
    "re:test(@id, 'author|zuozhe|bianji|xiaobian')",
    "re:test(@class, 'author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name')",
    "re:test(@id, '[Aa]uthor')",
    "re:test(@class, '[Aa]uthor|screenname|writer|[Bb]yline')",
    "re:test(@id, '^comments|comment-?list|ProductReviews')",
    "re:test(@class, '^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|"
    "article-(?:share|support)|print|category|meta-date|meta-reviewer')",
]
WORDS = ["author", "Author", "AUTHOR", "authorname", "author-name", "author_name", "AuthorName", "authorName",
         "byline", "Byline", "BYLINE", "username", "byl", "BBL", "channel-name", "zuozhe", "bianji", "xiaobian",
         "submitted-by", "posted-by", "journalist-name", "screenname", "writer", "comments", "Comments", "comment",
         "commentlist", "comment-list", "comment_list", "comments-list", "ProductReviews", "sidebar", "is-hidden",
         "quote", "embedly-instagram", "article-share", "article-support", "article-other", "print", "category",
         "meta-date", "meta-reviewer", "title", "date", "name"]
TAGS = ["a", "address", "div", "link", "p", "span", "strong", "h3", "h4", "section", "li", "author"]
SAVED_PAGES = sorted((Path(__file__).parent / "fixtures").rglob("*.html")) + sorted(
    (Path(__file__).parent / "date_pages").glob("*.html"))


def _every_word_page() -> str:
    """An element for each tag, attribute and word: the word alone, within a longer value, and past a prefix;
    the root and the wrapper have words of their own (the discard XPath looks below its context node, the
    others at the root too)."""
    rows = []
    for tag in TAGS:
        for attribute in ("class", "id", "itemprop", "rel", "data-testid", "data-component"):
            for word in WORDS + ["AuthorCard", "AuthorURL", "author name", "me", "Figure", "BylineBlock"]:
                for value in (word, f"{word} extra", f"x-{word}"):
                    rows.append(f'<{tag} {attribute}="{value}">Jane Doe {len(rows)}</{tag}>')
    return (f"<html class='print' id='Author-page'><body><div class='sidebar'>{''.join(rows)}</div><rel>me</rel>"
            "</body></html>")


def _positions(tree, xpath, context=None) -> list[int]:
    order = {element: i for i, element in enumerate(tree.iter())}
    return [order[element] for element in xpath(tree if context is None else context)]


def test_the_patterns_translated_are_trafilaturas():
    library = " ".join(x.path for x in [*xpaths.AUTHOR_XPATHS, *xpaths.AUTHOR_DISCARD_XPATHS])
    found = [pattern for pattern in TRANSLATED_FROM if pattern in library]
    assert found == TRANSLATED_FROM
    assert library.count("re:test") == len(TRANSLATED_FROM)


@pytest.mark.parametrize("page", ["every word", *SAVED_PAGES], ids=str)
def test_same_elements_and_author_as_trafilatura(page):
    source = _every_word_page() if page == "every word" else page.read_text(encoding="utf-8")
    tree = lxml_html.fromstring(source)
    pairs = [*zip(xpaths.AUTHOR_XPATHS, byline_search.AUTHOR_XPATHS),
             *zip(xpaths.AUTHOR_DISCARD_XPATHS, byline_search.AUTHOR_DISCARD_XPATHS)]
    for library, spelled in pairs:
        assert _positions(tree, spelled) == _positions(tree, library), spelled.path
    wrapper = tree.find(".//div")
    assert _positions(tree, byline_search.AUTHOR_DISCARD_XPATHS[0], wrapper) == _positions(
        tree, xpaths.AUTHOR_DISCARD_XPATHS[0], wrapper)
    assert byline_search.extract_author(tree) == library_extract_author(tree)


def test_the_every_word_page_is_selected_by_each_xpath():
    """The page above exercises every XPath: each selects some of its elements and leaves others."""
    tree = lxml_html.fromstring(_every_word_page())
    total = sum(1 for _ in tree.iter())
    for xpath in [*byline_search.AUTHOR_XPATHS, *byline_search.AUTHOR_DISCARD_XPATHS[:1]]:
        assert 0 < len(xpath(tree)) < total, xpath.path
