"""Turn one decoded article page into clean text and metadata.

:func:`extract_article` is the extract and clean stages on one HTML string;
the crawl, ``reclean`` and ``newsrake extract`` reach it through
:func:`pipeline.extract.extract_page`, which adds decoding and the time limit.

The page is parsed once. Metadata (title candidates, canonical URL, dates) is
read from the untouched tree; then the HTML cleaners prune it in place,
trafilatura extracts the main text from it, and the text cleaners finish.
Finally the text's leading and trailing lines that neither of two other
extractors (trafilatura's readability port, then, only if needed,
trafilatura in precision mode) found on the pruned page are cut
(:mod:`cleaners.agreement`).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from copy import copy
from functools import cache
from datetime import datetime
from urllib.parse import urljoin

import lxml.html
import trafilatura
from trafilatura.external import try_readability
from trafilatura.utils import load_html

from cleaners import dates, patterns
from cleaners.agreement import Witness, trim_unsupported_edges
from cleaners.html import TextBlocks, clean_html, largest_block_text, text_of
from cleaners.text import clean_text, source_in_meta_line
from cleaners.title import clean_title, name_key
from pipeline.core.items import Article
from pipeline.extract.page_meta import PageMeta

# Lines at the start and at the end of the text where a byline may stand.
BYLINE_EDGE_LINES = 2
# A text is Chinese when CJK characters make up this share of its letters.
CJK_SHARE_FOR_ZH = 0.3
LATIN = re.compile(r"[A-Za-z]")
DATE_LINE_MARK = re.compile(r"date|time|pub|info|meta|byline|source|author|post", re.I)
# The article header, where a visible date line is read: the elements just before the headline
# (a dateline or kicker above it) and after it, up to the story's first paragraph.
HEADER_BEFORE = "preceding::*[position() <= 12]"
HEADER_AFTER = "following::*[position() <= 80]"
# Blocks beside or below the story, and text that quotes, tabulates or shows code: never the header.
OUTSIDE_HEADER_TAGS = {"aside", "nav", "footer", "table", "pre", "code", "blockquote", "q", "form"}
# A class or id token naming such a block: "sidebar", "related-posts", "c-comments" (not "has-sidebar",
# "node--promoted").
OUTSIDE_HEADER_MARK = re.compile(
    r"^(?:[a-z]{1,2}[-_]+)?(?:related|sidebar|widget|comment|teaser|recommend|popular|trending|user|member|profile"
    r"|promo|footer|nav|menu|share|social|newsletter)s?(?:$|[-_])", re.I)
NOT_TEXT = {"script", "style", "noscript", "template", "svg"}
# An unmarked paragraph this long is the story's: the header ends before it.
STORY_PARAGRAPH = 100
MAX_DATE_LINE = 150
LABEL_WINDOW = 20  # beyond MAX_DATE_LINE: room for the longest OTHER_DATE_LABEL to end inside the search
# An unmarked block below the headline is a date line only when this short (not a story sentence).
MAX_UNMARKED_LINE = 80
LOGGER = logging.getLogger(__name__)
MARKUP = re.compile(r"<[A-Za-z]")
FRAGMENT_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
# The fast extraction (no fallback) is redone with trafilatura's own fallbacks (readability,
# justext) when it is empty or readability or the largest text block holds this many times more text.
FALLBACK_RATIO = 2
# A paragraph of the largest text block (of at least this many characters) with less than this
# share of its shingles in trafilatura's text and at least this share in readability's is put back.
MIN_BLOCK_CHARS = 100
MIN_BLOCK_SUPPORT = 0.5
# Only a story-sized paragraph is put back, not a caption or a credit line.
MIN_RESTORED_CHARS = 40


def _first(tree, xpath: str) -> str | None:
    for value in tree.xpath(xpath):
        value = value.strip() if isinstance(value, str) else text_of(value)
        if value:
            return value
    return None


def _meta_content(tree, *keys: str) -> str | None:
    for key in keys:
        value = _first(tree, f"//meta[@property='{key}' or @name='{key}']/@content")
        if value:
            return value
    return None


def canonical_url(tree, url: str) -> str | None:
    """<link rel=canonical> or og:url, made absolute against ``url``."""
    found = _first(tree, "//link[@href][contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href")
    found = found or _meta_content(tree, "og:url")
    return urljoin(url, found) if found else None


def detect_lang(tree, text: str) -> str | None:
    """"zh" when the text is largely CJK, else the page's declared language, else "en" for Latin text."""
    cjk = len(patterns.CJK.findall(text))
    latin = len(LATIN.findall(text))
    if cjk + latin == 0:
        return None
    if cjk >= CJK_SHARE_FOR_ZH * (cjk + latin):
        return "zh"
    declared = _first(tree, "/html/@lang") or _meta_content(tree, "og:locale", "language", "content-language")
    if declared and not declared.lower().startswith("zh"):
        return declared.split("-")[0].split("_")[0].lower()
    return "en"


def _outside_header(element) -> bool:
    """The element itself is a sidebar, related list, user card, widget, table, code or quote."""
    return element.tag in OUTSIDE_HEADER_TAGS or any(
        OUTSIDE_HEADER_MARK.match(token) for token in f"{element.get('class', '')} {element.get('id', '')}".split())


def _in_header(element) -> bool:
    """Neither the element nor a block around it (below <body>) is outside the header."""
    return not any(_outside_header(node) for node in (element, *element.iterancestors()) if node.tag != "body")


def headline_element(tree, title: str | None = None, headings=()):
    """The element that prints the headline ``title`` (:func:`cleaners.title.clean_title`'s choice): the
    first of ``headings`` (the candidates :class:`PageMeta` reads, article area first) whose words are the
    title's, else the first that holds them (a kicker or attention prefix around it). When none prints it:
    the longest <h1> whose text the page's <title> or og:title holds (a site logo's <h1>, often first,
    holds only the site name), else the first with text; None without one."""
    key = name_key(title or "")
    keys = [(name_key(text_of(h)), h) for h in headings] if key else []
    printing = [h for k, h in keys if k == key] or [h for k, h in keys if key in k]
    if printing:
        return printing[0]
    titles = " ".join(filter(None, (_first(tree, "//title"), _meta_content(tree, "og:title")))).casefold()
    candidates = [(text_of(h1), h1) for h1 in tree.xpath("//h1")]
    in_title = [(len(text), h1) for text, h1 in candidates if text and text.casefold() in titles]
    if in_title:
        return max(in_title, key=lambda item: item[0])[1]
    return next((h1 for text, h1 in candidates if text), None)


def _header_elements(headline) -> list[tuple[object, bool]]:
    """``(element, marked_only)`` of the article header around the ``headline`` element: below it, any
    short block up to the story's first paragraph; then above it, inside the headline's own container,
    only date/meta-marked blocks (a site banner may show today's date)."""
    if headline is None:
        return []
    after = []
    for element in headline.xpath(HEADER_AFTER):
        if element.tag == "p" and not marked(element) and len(text_of(element)) >= STORY_PARAGRAPH:
            break
        after.append((element, False))
    container = headline.getparent().getparent() if headline.getparent() is not None else None
    before = [(element, True) for element in reversed(headline.xpath(HEADER_BEFORE))
              if container is not None and container in element.iterancestors()]
    return after + before


def marked(element) -> bool:
    """Its class or id says date, time, meta, byline, source, …"""
    return bool(DATE_LINE_MARK.search(f"{element.get('class', '')} {element.get('id', '')}"))


def _time_label(time) -> str:
    """The words of a <time> and just before it ("Updated <time>…"), without reading a whole block."""
    previous = time.getprevious()
    before = previous.tail if previous is not None else time.getparent().text
    return f"{(before or '')[-MAX_DATE_LINE:]} {text_of(time)[:MAX_DATE_LINE]}"


def _before_other_date(text: str) -> str:
    """``text`` up to where it goes on to another date ("Updated …"). Only a label near the start is looked
    for: past :data:`MAX_DATE_LINE` the line is too long to be a date line either way, and a header's
    container can hold the whole story (scanning all of it was a twentieth of an extraction)."""
    label = patterns.OTHER_DATE_LABEL.search(text, 0, MAX_DATE_LINE + LABEL_WINDOW)
    return (text[:label.start()] if label else text).strip()


def date_lines(headline) -> list[str]:
    """The visible date lines of the article header around the ``headline`` element (:func:`headline_element`):
    the ``datetime`` of its <time> elements, then the short texts of its blocks, each cut where it goes on
    to another date ("Updated …")."""
    times, texts = [], []
    for element, marked_only in _header_elements(headline):
        if not isinstance(element.tag, str) or element.tag in NOT_TEXT or not _in_header(element):
            continue
        if element.tag == "time" and element.get("datetime"):
            if not patterns.OTHER_DATE_LABEL.search(_time_label(element)):
                times.append(element.get("datetime"))
        elif (is_marked := marked(element)) or not marked_only:
            text = _before_other_date(text_of(element))
            if text and len(text) <= (MAX_DATE_LINE if is_marked else MAX_UNMARKED_LINE):
                texts.append(text)
    return times + texts


def _text(doc) -> str:
    return doc.text if doc is not None and doc.text else ""


def readability_text(tree) -> str:
    """The text trafilatura's readability port finds in (a copy of) ``tree``, one block a line."""
    summary = try_readability(copy(tree))
    return "\n".join(piece.strip() for piece in summary.itertext() if piece.strip())


def precise_text(tree, url: str) -> str:
    """trafilatura's precision-mode text of ``tree`` (no fallbacks)."""
    return _text(trafilatura.bare_extraction(tree, url=url, include_comments=False, fast=True,
                                             favor_precision=True))


def _chars(text: str) -> int:
    return len("".join(text.split()))


def fast_pass_suspect(text: str, readable: str, block: str) -> bool:
    """True when the fast pass found far less than readability or than the page's largest text block."""
    found = _chars(text)
    return not found or max(_chars(readable), _chars(block)) > FALLBACK_RATIO * found


def restore_block_lines(text: str, readable: str, block: str) -> str:
    """``text`` with the paragraphs of the largest text block that it lacks and readability's text
    holds put back, each after the block paragraph before it (the block's first ones lead)."""
    if _chars(block) < MIN_BLOCK_CHARS:
        return text
    lines = text.splitlines()
    whole_lines = set(lines)  # a paragraph that is a line of the text has all its shingles there
    found, witness = cache(lambda: Witness(text)), cache(lambda: Witness(readable))  # most pages need neither
    anchor = -1  # index in ``lines`` of the last block paragraph found there
    inserts: dict[int, list[str]] = {}
    for paragraph in block.splitlines():
        if paragraph in whole_lines or found().support(paragraph) >= MIN_BLOCK_SUPPORT:
            anchor = next((i for i, line in enumerate(lines) if i > anchor and paragraph in line), anchor)
        elif _chars(paragraph) >= MIN_RESTORED_CHARS and witness().support(paragraph) >= MIN_BLOCK_SUPPORT:
            inserts.setdefault(anchor, []).append(paragraph)
    if not inserts:
        return text
    out = inserts.get(-1, [])
    for index, line in enumerate(lines):
        out += [line, *inserts.get(index, [])]
    return "\n".join(out)


def main_text(tree, url: str, blocks: TextBlocks | None = None) -> tuple[str, str]:
    """The main text of the pruned ``tree``, and readability's text of it to check it against.

    trafilatura runs without its fallbacks first; only when that text is empty
    or much shorter than readability's or than the page's largest text block
    (:func:`fast_pass_suspect`) is the full trafilatura run (which may choose
    readability's or justext's text) done as well. Paragraphs of the largest
    text block that trafilatura's text lacks and readability's holds (a story
    split into sections, a paragraph ending in a logo link) are put back.
    """
    text = _text(trafilatura.bare_extraction(tree, url=url, include_comments=False, fast=True))
    readable = readability_text(tree)
    block = largest_block_text(tree, blocks)
    if fast_pass_suspect(text, readable, block):
        LOGGER.debug("fast pass suspect, full trafilatura run: %s", url)
        text = _text(trafilatura.bare_extraction(tree, url=url, include_comments=False))
    return restore_block_lines(text, readable, block), readable


def parse_page(html: str):
    """The page's lxml tree, or None when ``html`` holds no markup.

    A fragment without ``<html>`` (one block, a table) is parsed as a document
    body: trafilatura's loader rejects a fragment with a single top-level element.
    """
    tree = load_html(html)
    if (tree is None or tree.tag != "html") and MARKUP.search(html):
        tree = lxml.html.document_fromstring(html.encode("utf-8"), parser=FRAGMENT_PARSER)
    return tree


def extract_article(html: str, url: str, *, site=None, fetched_at: datetime | None = None,
                    date_hint: str | None = None) -> Article:
    """Extract and clean ``html`` fetched from ``url``.

    ``site`` is the SiteConfig (per-site drop_selectors / drop_patterns),
    ``fetched_at`` anchors relative dates, ``date_hint`` is the date shown by
    the feed item or list page that linked here.
    """
    tree = parse_page(unicodedata.normalize("NFC", html)) if html else None
    if tree is None:
        return Article()
    page_meta = PageMeta(tree)
    headings = page_meta.headings
    h1 = headings[0] if headings else None
    title, title_removals = clean_title(page_meta.title, headings=headings, metas=page_meta.metas,
                                        printed=page_meta.printed, url=url, site_names=page_meta.site_names)
    visible_dates = date_lines(headline_element(tree, title, page_meta.heading_elements))
    published = dates.find_published_at(
        markup=dates.markup_dates(tree), header_lines=visible_dates, url=url, date_hint=date_hint,
        htmldate=lambda: dates.htmldate_day(tree, fetched_at), fetched_at=fetched_at)
    page_canonical = canonical_url(tree, url)
    # The headline and the site names cut off the <title> are never the author.
    not_authors = (title or "", *(r.text for r in title_removals if r.cleaner != "title_prefix"))
    author = page_meta.tree_author(not_authors, url)

    blocks = TextBlocks(tree)  # measured once for the story's protection and the block witness
    removals = [*title_removals, *clean_html(tree, site, blocks)]
    text, readable = main_text(tree, url, blocks)
    cleaned = clean_text(text, site, headlines=(title, h1))
    # The precision-mode pass runs only when readability leaves an edge line unsupported.
    trimmed = trim_unsupported_edges(cleaned.lines, [readable, lambda: precise_text(tree, url)])
    removals += cleaned.removals + trimmed.removals
    meta = dict(cleaned.meta)
    for line in visible_dates:  # "2023-03-04 17:05 来源:新华网" above the story
        for key, value in source_in_meta_line(line).items():
            meta.setdefault(key, value)
    body = "\n".join(trimmed.lines)
    # Bylines sit in the header's meta lines or at the story's edges ("（记者 张三）", "By Jane Doe").
    post_meta = [r.text for r in cleaned.removals if r.cleaner == "post_meta"]
    edges = cleaned.lines[:BYLINE_EDGE_LINES] + cleaned.lines[-BYLINE_EDGE_LINES:]
    author = author or page_meta.line_author([*visible_dates, *post_meta, *edges], not_authors, url)
    return Article(title=title or None, author=author,
                   published_at=published and published.value, date_source=published and published.source,
                   lang=detect_lang(tree, body or title or ""), text=body, canonical_url=page_canonical,
                   removals=tuple(removals), meta=meta)
