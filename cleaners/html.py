"""HTML-level cleaners: drop boilerplate blocks from the parsed page before extraction.

Each cleaner takes the lxml tree (and the site config), removes elements in
place and returns a :class:`~cleaners.Removal` per element. The heuristic
cleaners never remove a block holding a large share of the page's text, nor
the story's own blocks (:func:`story_elements`: the largest text block, the
containers around it and the posts beside it), so a misjudged story
container, paragraph run or live-blog post list survives.
"""

from __future__ import annotations

import functools

import re
from typing import NamedTuple

from lxml import etree
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
# A live-blog post beside the story block: this much paragraph text, at most this share in links.
MIN_POST_CHARS = 80
MAX_POST_LINK_SHARE = 0.5
LINK_BLOCK_TAGS = frozenset(
    "div section aside nav ul ol dl table tbody tr td p footer header form center li dd".split())
SKIP_TAGS = frozenset("html body article main".split())

# translate() lower-cases the style and deletes its spaces (the trailing space has no counterpart).
_STYLE = "translate(@style, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ ', 'abcdefghijklmnopqrstuvwxyz')"
HIDDEN_XPATH = f"//*[@hidden or contains({_STYLE}, 'display:none') or contains({_STYLE}, 'visibility:hidden')]"
BREADCRUMB_TEXT_XPATH = ("//text()[contains(., '位置') or contains(., '首页') or contains(., 'Home')]"
                         "[not(ancestor::pre or ancestor::code)]")
INVISIBLE_TAGS = frozenset("head script style noscript template".split())
BODY_TEXT_XPATH = "string(//body)"
INVISIBLE_TEXT_XPATH = "//body//script/text() | //body//style/text() | //body//noscript/text() | //body//template/text()"
# Compiled once: it runs on every <p> of the page, twice.
VISIBLE_TEXT = etree.XPath(".//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]")
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


def _paragraph_pieces(element) -> list[str]:
    """The text directly in ``element`` and the visible text of its ``<p>`` children, in order: its paragraph run."""
    pieces = [element.text or ""]
    for child in element:
        if child.tag == "p":  # a <p> without children is its own text: no XPath run for it
            pieces.append("".join(VISIBLE_TEXT(child)) if len(child) else child.text or "")
        pieces.append(child.tail or "")
    return pieces


def _own_text_chars(element) -> int:
    return sum(len("".join(piece.split())) for piece in _paragraph_pieces(element))


class TextBlocks:
    """The page's paragraph runs (each element's own text and its ``<p>`` children), measured once.

    The cleaners only remove elements, which can only shorten a run, so after any pruning the largest
    block is found again by re-measuring just the elements whose first measure could still win: the
    page is walked once, not once per question.
    """

    def __init__(self, tree):
        self.root = tree
        measured = ((_own_text_chars(element), index, element) for index, element in enumerate(tree.iter())
                    if isinstance(element.tag, str) and element.tag not in INVISIBLE_TAGS)
        self.ranked = sorted((m for m in measured if m[0] > 0), key=lambda m: (-m[0], m[1]))

    def _in_tree(self, element) -> bool:
        top = element
        for top in element.iterancestors():
            pass
        return top is self.root

    def largest(self):
        """The element holding the longest run now (the first in page order among equals), or None."""
        best, best_chars, best_index = None, 0, -1
        for first_chars, index, element in self.ranked:
            if first_chars < best_chars:
                break
            if best is not None and first_chars == best_chars and index > best_index:
                continue  # it could at most tie, and the earlier one wins a tie
            chars = _own_text_chars(element)
            if (chars > best_chars or (chars == best_chars and best is not None and index < best_index)) \
                    and self._in_tree(element):
                best, best_chars, best_index = element, chars, index
        return best


def largest_block_text(tree, blocks: TextBlocks | None = None) -> str:
    """The text of the page's largest text block: its own text and its paragraphs, one a line."""
    block = (blocks or TextBlocks(tree)).largest()
    pieces = _paragraph_pieces(block) if block is not None else []
    return "\n".join(SPACES.sub(" ", piece).strip() for piece in pieces if piece.strip())


def _link_chars(elements) -> int:
    return sum(_chars(text_of(a)) for element in elements for a in element.iter("a"))


def _is_post(element) -> bool:
    """A block with a paragraph run of its own, mostly outside links."""
    return (_own_text_chars(element) >= MIN_POST_CHARS
            and _link_chars([element]) < MAX_POST_LINK_SHARE * _chars(text_of(element)))


def story_elements(tree, blocks: TextBlocks | None = None) -> set:
    """Blocks no heuristic cleaner removes: the largest text block (and its paragraphs when the
    story is written in links), every element around it, and the elements beside that chain
    with its tag and class that hold a paragraph run of their own, not links (the other posts
    of a live blog). ``blocks``: the page's :class:`TextBlocks` when the caller keeps them."""
    block = (blocks or TextBlocks(tree)).largest()
    if block is None:
        return set()
    chain = [block, *block.iterancestors()]
    protected = set(chain)
    paragraphs = [child for child in block if child.tag == "p"]
    if _link_chars(paragraphs) >= MIN_LINK_DENSITY * sum(_chars(text_of(p)) for p in paragraphs):
        protected.update(paragraphs)  # a story written in links: its paragraphs are not link lists
    for element in chain:
        parent = element.getparent()
        if parent is not None and element.get("class"):
            protected.update(sibling for sibling in parent
                             if sibling.tag == element.tag and sibling.get("class") == element.get("class")
                             and _is_post(sibling))
    return protected


def _story(tree, protected):
    """``protected`` when the caller computed the story's blocks once for every cleaner, else them."""
    return story_elements(tree) if protected is None else protected


def _drop(elements, cleaner: str, reason: str, protected=frozenset()) -> list[Removal]:
    """Remove ``elements`` (keeping their tail text) and report them; nested ones count once,
    ``protected`` ones (the story's blocks) never."""
    removals, dropped = [], set()
    for element in elements:
        if (element in protected or element.getparent() is None
                or any(a in dropped for a in element.iterancestors())):
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


def drop_hidden(tree, site=None, protected=None) -> list[Removal]:
    """Elements hidden with the ``hidden`` attribute or an inline display:none / visibility:hidden."""
    limit = MAX_PAGE_SHARE * _page_chars(tree)
    return _drop([e for e in tree.xpath(HIDDEN_XPATH) if _small(e, limit)], "hidden", "hidden element",
                 _story(tree, protected))


def drop_comment_areas(tree, site=None, protected=None) -> list[Removal]:
    """Reader comment sections, recognised by their class or id."""
    limit = MAX_PAGE_SHARE * _page_chars(tree)
    return _drop([e for e in _marked(tree, COMMENT_MARK) if _small(e, limit)], "comment_areas", "comment area",
                 _story(tree, protected))


def drop_share_bars(tree, site=None, protected=None) -> list[Removal]:
    """Share buttons, recognised by class/id, or a short block whose text is only a share label."""
    marked = [e for e in _marked(tree, SHARE_MARK) if _small(e, MAX_WIDGET_CHARS)]
    return _drop(marked, "share_bars", "share widget", _story(tree, protected))


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


def drop_breadcrumbs(tree, site=None, protected=None) -> list[Removal]:
    """Breadcrumb trails: by class/id, or a short block starting "当前位置:" / "首页 > … >"."""
    marked = [e for e in _marked(tree, BREADCRUMB_MARK) if _small(e, MAX_WIDGET_CHARS)]
    return _drop(marked + list(_breadcrumb_blocks(tree)), "breadcrumbs", "breadcrumb trail", _story(tree, protected))


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


def drop_link_dense_blocks(tree, site=None, protected=None) -> list[Removal]:
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
    return _drop(dense, "link_dense_blocks", "block made mostly of links", _story(tree, protected))


# The heuristic cleaners, in order; the site's own selectors run before them.
HEURISTIC_CLEANERS = (drop_hidden, drop_comment_areas, drop_share_bars, drop_breadcrumbs, drop_link_dense_blocks)


def clean_html(tree, site=None, blocks: TextBlocks | None = None) -> list[Removal]:
    """Run the site's selectors, then every heuristic cleaner, over ``tree`` in place; return what they removed.

    The story's blocks are found once, after the site's selectors, and protected from every heuristic cleaner.
    ``blocks``: the page's :class:`TextBlocks`, when the caller asks for the largest block again afterwards.
    """
    removals = drop_site_selectors(tree, site)
    protected = story_elements(tree, blocks)
    return removals + [removal for cleaner in HEURISTIC_CLEANERS for removal in cleaner(tree, site, protected)]
