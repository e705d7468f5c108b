"""The headline and author candidates a page offers, read from its untouched tree.

trafilatura already reads the meta tags (``examine_meta``: og:title, author,
article:author, dc.creator, sailthru.author …, profile URLs refused) and
JSON-LD (``extract_meta_json``: headline, author.name as string, object or
list, publisher); those are used as they are. Which candidate wins is decided
in :mod:`cleaners.title` and :mod:`cleaners.authors`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Iterable

from trafilatura.metadata import examine_meta, extract_meta_json
from trafilatura.settings import Document

from cleaners.authors import URL_LIKE, byline, choose_author
from cleaners.html import text_of
from cleaners.patterns import CJK
from pipeline.extract.byline_search import extract_author

# Headings inside the story's own container come first: a page's other <h1>s are logos or section names.
ARTICLE_HEADINGS = ("//article//h1 | //main//h1 | //*[@itemprop='headline'][not(self::meta)]"
                    " | //*[contains(@itemtype, 'Article')]//h1")
PAGE_HEADINGS = "//body//h1"
# Elements that may print a headline; a headline is short, and its element holds little markup.
PRINTED = "//body//*[not(self::script or self::style or self::option or self::a or ancestor::a)]"
PRINTED_CHILDREN = 3
MAX_PRINTED = 200


def _texts(tree, xpath: str) -> list[str]:
    return [text for text in (text_of(e) for e in tree.xpath(xpath)) if text]


def _attribute(tree, xpath: str) -> str | None:
    found = [value.strip() for value in tree.xpath(xpath) if value.strip()]
    return found[0] if found else None


@dataclass
class PageMeta:
    """A page's title and author candidates; the byline search (a copy of the tree) only when asked."""

    tree: object

    @cached_property
    def _meta(self) -> Document:
        return examine_meta(self.tree)

    @cached_property
    def _jsonld(self) -> Document:
        try:
            return extract_meta_json(self.tree, Document())
        except Exception:  # trafilatura's JSON-LD walker fails on some malformed graphs; none is fine
            return Document()

    @cached_property
    def heading_elements(self) -> tuple:
        """The headline candidates' elements with text, those inside the article area first."""
        found = dict.fromkeys([*self.tree.xpath(ARTICLE_HEADINGS), *self.tree.xpath(PAGE_HEADINGS)])
        return tuple(e for e in found if text_of(e))

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(map(text_of, self.heading_elements)))

    @property
    def metas(self) -> tuple[str, ...]:
        """JSON-LD headline, og:title, twitter:title."""
        twitter = _attribute(self.tree, "//meta[@name='twitter:title' or @property='twitter:title']/@content")
        return tuple(t for t in (self._jsonld.title, self._meta.title, twitter) if t)

    def printed(self) -> frozenset[str]:
        """The texts of the body's small elements (at most a few children): where a headline is printed."""
        return frozenset(text for e in self.tree.xpath(PRINTED) if len(e) <= PRINTED_CHILDREN
                         and 0 < len(text := text_of(e)) <= MAX_PRINTED)

    @property
    def title(self) -> str | None:
        return next(iter(_texts(self.tree, "//head/title | //title")), None)

    @property
    def site_names(self) -> tuple[str, ...]:
        """og:site_name (else article:publisher, application-name, twitter:site), JSON-LD's publisher:
        never a headline or an author."""
        names = (self._meta.sitename, self._jsonld.sitename)
        return tuple(dict.fromkeys(n.strip().lstrip("@") for n in names if n and n.strip() and not URL_LIKE.search(n)))

    @property
    def structured_authors(self) -> tuple[str, ...]:
        """JSON-LD author names, then the meta tags' authors ("; " between names). A one-word Latin meta
        author is a handle or a call sign ("KWCHCIK"), dropped as trafilatura does."""
        meta = self._meta.author
        if meta and " " not in meta and not CJK.search(meta):
            meta = None
        return tuple(a for a in (self._jsonld.author, meta) if a)

    def tree_author(self, not_names: Iterable[str], url: str | None = None) -> str | None:
        """The structured authors, else trafilatura's byline search (rel=author, class author …, on a
        copy of the tree: only when needed). Before the cleaners prune the tree. ``not_names``: the
        headline and the site names the title carried, never an author (nor the site names read here)."""
        refused = (*self.site_names, *not_names)
        found = choose_author(self.structured_authors, not_names=refused, url=url)
        return found or choose_author([extract_author(self.tree)], not_names=refused, url=url)

    def line_author(self, lines: Iterable[str], not_names: Iterable[str], url: str | None = None) -> str | None:
        """A byline among the header's and the story's edge lines ("By Jane Doe", "（记者 张三）")."""
        return choose_author(map(byline, lines), not_names=(*self.site_names, *not_names), url=url)
