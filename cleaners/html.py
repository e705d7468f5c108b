"""HTML-level cleaners: drop boilerplate blocks from the parsed page before extraction.

Each cleaner takes the lxml tree (and the site config), removes elements in
place and returns a :class:`~cleaners.Removal` per element. The heuristic
cleaners never remove a block holding a large share of the page's text, so a
misjudged story container survives.
"""

from __future__ import annotations

import functools

import re
from typing import NamedTuple

from lxml.cssselect import CSSSelector

from cleaners import Removal
from cleaners import patterns as P

SPACES = re.compile(r"\s+")
# A heuristic cleaner leaves alone any block holding more than this share of the page's text.
MAX_PAGE_SHARE = 0.4
# Widgets (share bars, breadcrumbs) are short: longer blocks are not touched.
MAX_WIDGET_CHARS = 200
# Link-dense block: at least this many links making up at least this share of its text.
MIN_LINKS = 3
MIN_LINK_DENSITY = 0.7
# An anchor with more text than this is a wrapped story, not a link.
MAX_LINK_TEXT = 200
# ... and no text run outside links longer than this (menus and lists, not a story with links).
MAX_UNLINKED_RUN = 50
LINK_BLOCK_TAGS = frozenset(
    "div section aside nav ul ol dl table tbody tr td p footer header form center li dd".split())
SKIP_TAGS = frozenset("html body article main".split())

# translate() lower-cases the style and deletes its spaces (the trailing space has no counterpart).
_STYLE = "translate(@style, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ ', 'abcdefghijklmnopqrstuvwxyz')"
HIDDEN_XPATH = f"//*[@hidden or contains({_STYLE}, 'display:none') or contains({_STYLE}, 'visibility:hidden')]"
BREADCRUMB_TEXT_XPATH = "//text()[contains(., '位置') or contains(., '首页') or contains(., 'Home')]"
INVISIBLE_TAGS = frozenset("head script style noscript template".split())
BODY_TEXT_XPATH = "string(//body)"
INVISIBLE_TEXT_XPATH = "//body//script/text() | //body//style/text() | //body//noscript/text() | //body//template/text()"
MARKED_XPATH = "//*[@class or @id]"
COMMENT_MARK = re.compile(
    r"(?:^|[\s_-])(?:comments?|comment-?(?:list|box|area|wrap)|commentlist|disqus|respond|replies|pinglun|cmt|gentie)"
    r"(?:$|[\s_-]|\d)", re.I)
SHARE_MARK = re.compile(r"shar(?:e|ing)|jiathis|addthis|social", re.I)
BREADCRUMB_MARK = re.compile(r"bread-?crumbs?|crumbs?(?:$|[\s_-])|(?:^|[\s_-])(?:position|location|curpos|weizhi)(?:$|[\s_-])", re.I)

def text_of(element) -> str:
    """The element's text with whitespace runs collapsed."""
    return SPACES.sub(" ", element.text_content()).strip()


def _chars(text: str) -> int:
    return len(text) - text.count(" ")


def _page_chars(tree) -> int:
    """Visible text characters of the page: body text less the text of its scripts and styles."""
    body = "".join(tree.xpath(BODY_TEXT_XPATH).split())
    return len(body) - len("".join("".join(tree.xpath(INVISIBLE_TEXT_XPATH)).split()))


def _drop(elements, cleaner: str, reason: str) -> list[Removal]:
    """Remove ``elements`` (keeping their tail text) and report them; nested ones count once."""
    removals, dropped = [], set()
    for element in elements:
        if element.getparent() is None or any(a in dropped for a in element.iterancestors()):
            continue
        removals.append(Removal(cleaner, reason, text_of(element)))
        dropped.add(element)
        element.drop_tree()
    return removals


def _small(element, limit: int) -> bool:
    return element.tag not in SKIP_TAGS and _chars(text_of(element)) <= limit


def _marked(tree, mark: re.Pattern):
    """Elements whose class or id matches ``mark``."""
    for element in tree.xpath(MARKED_XPATH):
        if mark.search(f"{element.get('class', '')} {element.get('id', '')}"):
            yield element


@functools.lru_cache(maxsize=256)
def _css(selector: str) -> CSSSelector:
    """Compiled once per selector, not once per page."""
    return CSSSelector(selector)


def drop_site_selectors(tree, site=None) -> list[Removal]:
    """Blocks matched by the site's ``drop_selectors`` (CSS)."""
    if site is None or not site.drop_selectors:
        return []
    elements = [e for selector in site.drop_selectors for e in _css(selector)(tree)]
    return _drop(elements, "site_selectors", "per-site drop selector")


def drop_hidden(tree, site=None) -> list[Removal]:
    """Elements hidden with the ``hidden`` attribute or an inline display:none / visibility:hidden."""
    limit = MAX_PAGE_SHARE * _page_chars(tree)
    return _drop([e for e in tree.xpath(HIDDEN_XPATH) if _small(e, limit)], "hidden", "hidden element")


def drop_comment_areas(tree, site=None) -> list[Removal]:
    """Reader comment sections, recognised by their class or id."""
    limit = MAX_PAGE_SHARE * _page_chars(tree)
    return _drop([e for e in _marked(tree, COMMENT_MARK) if _small(e, limit)], "comment_areas", "comment area")


def drop_share_bars(tree, site=None) -> list[Removal]:
    """Share buttons, recognised by class/id, or a short block whose text is only a share label."""
    marked = [e for e in _marked(tree, SHARE_MARK) if _small(e, MAX_WIDGET_CHARS)]
    return _drop(marked, "share_bars", "share widget")


def _breadcrumb_blocks(tree):
    """The largest short block around each text that starts a breadcrumb trail."""
    for text in tree.xpath(BREADCRUMB_TEXT_XPATH):
        if not P.BREADCRUMB.match(text.strip()) and not P.BREADCRUMB.match(text_of(text.getparent())):
            continue
        element = text.getparent()
        if text.is_tail:
            element = element.getparent()
        while (element is not None and element.getparent() is not None and element.getparent().tag not in SKIP_TAGS
               and _chars(text_of(element.getparent())) <= MAX_WIDGET_CHARS):
            element = element.getparent()
        if element is not None and element.tag not in SKIP_TAGS and _chars(text_of(element)) <= MAX_WIDGET_CHARS:
            yield element


def drop_breadcrumbs(tree, site=None) -> list[Removal]:
    """Breadcrumb trails: by class/id, or a short block starting "当前位置:" / "首页 > … >"."""
    marked = [e for e in _marked(tree, BREADCRUMB_MARK) if _small(e, MAX_WIDGET_CHARS)]
    return _drop(marked + list(_breadcrumb_blocks(tree)), "breadcrumbs", "breadcrumb trail")


class LinkStats(NamedTuple):
    chars: int = 0  # text characters
    link_chars: int = 0  # of which inside <a href>
    links: int = 0
    longest_unlinked: int = 0  # longest text run outside links: a story paragraph is long

    def is_link_dense(self) -> bool:
        return (self.links >= MIN_LINKS and self.chars > 0
                and self.link_chars >= MIN_LINK_DENSITY * self.chars
                and self.longest_unlinked <= MAX_UNLINKED_RUN)


NO_STATS = LinkStats()


def _link_stats(tree) -> dict:
    """element -> LinkStats, computed bottom-up in one pass.

    Only ``<a href>`` with link-sized text counts as a link: some pages wrap a
    whole story in an anchor.
    """
    stats = {}
    for element in reversed(list(tree.iter())):
        if not isinstance(element.tag, str) or element.tag in INVISIBLE_TAGS:
            continue
        own = _chars((element.text or "").strip())
        chars, link_chars, links, longest = own, 0, 0, own
        for child in element:
            child_stats = stats.get(child, NO_STATS)
            tail = _chars((child.tail or "").strip())
            chars += child_stats.chars + tail
            link_chars += child_stats.link_chars
            links += child_stats.links
            longest = max(longest, child_stats.longest_unlinked, tail)
        if element.tag == "a" and element.get("href") and chars <= MAX_LINK_TEXT:
            link_chars, links, longest = chars, links + 1, 0
        stats[element] = LinkStats(chars, link_chars, links, longest)
    return stats


def drop_link_dense_blocks(tree, site=None) -> list[Removal]:
    """Outermost blocks made mostly of links: navigation, related/hot lists, tag clouds, pagination."""
    stats = _link_stats(tree)
    limit = MAX_PAGE_SHARE * _page_chars(tree)
    dense, stack = [], [tree]
    while stack:
        element = stack.pop()
        element_stats = stats.get(element, NO_STATS)
        if element.tag in LINK_BLOCK_TAGS and element_stats.is_link_dense() and element_stats.chars <= limit:
            dense.append(element)
        else:
            stack.extend(child for child in element if isinstance(child.tag, str))
    return _drop(dense, "link_dense_blocks", "block made mostly of links")


HTML_CLEANERS = (
    drop_site_selectors, drop_hidden, drop_comment_areas, drop_share_bars, drop_breadcrumbs,
    drop_link_dense_blocks,
)


def clean_html(tree, site=None) -> list[Removal]:
    """Run every HTML cleaner over ``tree`` in place; return what they removed."""
    return [removal for cleaner in HTML_CLEANERS for removal in cleaner(tree, site)]
