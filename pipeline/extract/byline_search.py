"""trafilatura's byline search (``extract_author``), its XPaths spelled to read only the attributes they test.

Hand-written because of speed alone. trafilatura's author XPaths test every element of the page for up to
ten attributes (``//*[@rel='author' or … or re:test(@class, '…')]``, the regexes calling back into Python),
which made the search the slowest metadata step: about 10 ms on a real page. Spelled here as a union of
``//@class[…]/parent::*`` paths, each attribute test runs only on the elements that have that attribute,
and every regex (a short list of literal words, some anchored at the start) becomes ``contains()`` and
``starts-with()`` tests that lxml runs in C. The elements selected, in the same (document) order, and so
the author found are the same: tests/extract/test_byline_search.py compares both on saved pages and on an
element for every word of every pattern. The steps around the XPaths are trafilatura's own functions.
"""

from __future__ import annotations

from copy import deepcopy

from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.metadata import extract_metainfo, normalize_authors
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS as LIBRARY_DISCARD_XPATHS


def _equals(*values: str) -> list[str]:
    return [f". = '{value}'" for value in values]


def _contains(*words: str) -> list[str]:
    return [f"contains(., '{word}')" for word in words]


def _starts(*words: str) -> list[str]:
    return [f"starts-with(., '{word}')" for word in words]


def _elements(tags: tuple[str, ...] | None, attributes: str = "//@", **tests: list[str]) -> str:
    """The elements (of ``tags``, or any) with an attribute passing one of its tests (``data_testid``:
    ``@data-testid``, ``class_``: ``@class``), as a union of one path per attribute; ``attributes``: the
    path to them (``.//*/@``: of the context node's descendants, as ``.//*[…]`` selects)."""
    union = " | ".join(f"{attributes}{name.rstrip('_').replace('_', '-')}[{' or '.join(t)}]"
                       for name, t in tests.items())
    return f"({union})/parent::*{_of_kinds(tags)}"


def _of_kinds(tags: tuple[str, ...] | None) -> str:
    """The predicate keeping elements of ``tags`` (none: any element)."""
    return f"[{' or '.join(f'self::{tag}' for tag in tags)}]" if tags else ""


# trafilatura 2.3's xpaths.AUTHOR_XPATHS, in order; each comment is the regex the tests beside it replace.
BYLINE_TAGS = ("a", "address", "div", "link", "p", "span", "strong")
AUTHOR_XPATHS = [
    XPath(
        _elements(BYLINE_TAGS, rel=_equals("author"), id=_equals("author"), itemprop=_equals("author name"),
                  data_testid=_equals("AuthorCard", "AuthorURL"),
                  class_=_equals("author") + _contains("authorname", "author-name",  # author-?name|AuthorName|…
                                                       "AuthorName", "authorName"))
        + f" | //rel[. = 'me']/parent::*{_of_kinds(BYLINE_TAGS)} | //author"
    ),
    XPath(_elements(
        ("a", "div", "h3", "h4", "p", "span"), itemprop=_contains("author"),
        id=_contains("author", "zuozhe", "bianji", "xiaobian"),  # author|zuozhe|bianji|xiaobian
        class_=_equals("byline", "username", "byl", "BBL")
        + _contains("author", "channel-name", "zuozhe", "bianji", "xiaobian", "submitted-by", "posted-by",
                    "journalist-name"))),  # author|channel-name|…|journalist-name
    XPath(_elements(
        None, data_component=_contains("Byline"), itemprop=_contains("author"),
        id=_contains("author", "Author"),  # [Aa]uthor
        class_=_contains("author", "Author", "screenname", "writer", "byline", "Byline"))),  # [Aa]uthor|…|[Bb]yline
]
# trafilatura 2.3's xpaths.AUTHOR_DISCARD_XPATHS: the first spelled out, the second (no attribute tests) its own.
AUTHOR_DISCARD_XPATHS = [
    XPath(_elements(
        ("a", "div", "section", "span"), ".//*/@", data_component=_contains("Figure"),
        id=_equals("comments") + _starts("comments")  # ^comments|comment-?list|ProductReviews
        + _contains("commentlist", "comment-list", "ProductReviews"),
        class_=_equals("comments", "title", "date") + _starts("comments", "Comments")  # ^[Cc]omments|…
        + _contains("commentlist", "comments-list", "sidebar", "is-hidden", "quote", "embedly-instagram",
                    "article-share", "article-support", "print", "category", "meta-date", "meta-reviewer"))),
    *LIBRARY_DISCARD_XPATHS[1:],
]


def extract_author(tree: HtmlElement) -> str | None:
    """The page's byline, as ``trafilatura.metadata.extract_author`` finds it (on a pruned copy of ``tree``)."""
    subtree = prune_unwanted_nodes(deepcopy(tree), AUTHOR_DISCARD_XPATHS)
    author = extract_metainfo(subtree, AUTHOR_XPATHS, len_limit=120)
    return normalize_authors(None, author) if author else None
