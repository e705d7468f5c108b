"""Text-level cleaners: line and paragraph rules run on the extracted text.

Each cleaner takes the article's lines (one paragraph per line) and returns a
:class:`Cleaned` with the lines it kept, a :class:`~cleaners.Removal` per line
it dropped and any metadata it lifted out of the text. Rules are anchored and
length-capped so that only lines that *are* boilerplate go; story sentences
that mention a phone number, a copyright dispute or "相关" stay.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

from cleaners import Removal
from cleaners import patterns as P
from cleaners.shingles import shared_share, shingle_bag, tokens

WORD = re.compile(r"[^\W\d_]+")
# Inside a post-meta line, the non-date remainder is at most an author, a
# category and a count: this many CJK characters or this many words.
META_REMAINDER_CJK = 24
META_REMAINDER_WORDS = 8
MAX_CONTACT_LINE = 160
# An unlabelled tag cloud is dropped up to this long (its pattern is strict: spaced separators).
MAX_TAG_LIST = 1000
# A tail rule looks at paragraphs up to this long.
MAX_TAIL_LINE = 2000
# A call to scan/follow/contact is a short line; longer lines are story text.
MAX_CONTACT_CALL = 80
# A contact line, once numbers, IDs and labels are gone, is at most a short label.
CONTACT_REMAINDER_CJK = 16
CONTACT_REMAINDER_WORDS = 5
META_COUNTERS = re.compile(r"(?<!\d)\d+\s*(?:次|人)")
ENDS_LIKE_SENTENCE = re.compile(r"[.!?。！？;；]\s*+[\"”’)）]?\s*+$")
# A layout row whose shingles mostly occur in the text above repeats it.
MIN_REPEAT_SHARE = 0.8
# trafilatura writes a table row as "| cell | cell |", escaping a "|" inside a cell as "\\|".
TABLE_ROW = re.compile(r"^\|.*\|$")
TABLE_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")
SOURCE_IN_META = re.compile(r"(?:来源|source)\s*[:：]\s*(?P<value>[^\s|·丨/]{1,30})", re.I)


@dataclass
class Cleaned:
    """The outcome of a text cleaner: kept lines, removals, lifted metadata."""

    lines: list[str]
    removals: list[Removal] = field(default_factory=list)
    meta: dict = field(default_factory=dict)


def _short_remainder(text: str, max_cjk: int, max_words: int) -> bool:
    """True when ``text`` holds no more than a label's worth of words."""
    cjk = len(P.CJK.findall(text))
    words = len(WORD.findall(P.CJK.sub(" ", text)))
    return cjk <= max_cjk and words <= max_words


@dataclass(frozen=True)
class LineRule:
    """Drops every line ``matches`` accepts (it sees the line folded to simplified characters);
    ``meta`` lifts values out of the original line."""

    name: str
    reason: str
    matches: Callable[[str], bool]
    meta: Callable[[str], dict] | None = None

    def __call__(self, lines: Iterable[str]) -> Cleaned:
        out = Cleaned([])
        for line in lines:
            if self.matches(P.fold_traditional(line)):
                out.removals.append(Removal(self.name, self.reason, line))
                if self.meta:
                    for key, value in self.meta(line).items():
                        out.meta.setdefault(key, value)
            else:
                out.lines.append(line)
        return out


def _capped(pattern: re.Pattern, max_len: int, method: str = "search") -> Callable[[str], bool]:
    find = getattr(pattern, method)
    return lambda line: len(line) <= max_len and find(line) is not None


def is_contact_ad(line: str) -> bool:
    """A call to scan/follow/contact, or a line that is only contact details."""
    if len(line) > MAX_CONTACT_LINE:
        return False
    if len(line) <= MAX_CONTACT_CALL and P.CONTACT_CALL.search(line):
        return True
    stripped = P.CONTACT_ID.sub(" ", P.EMAIL.sub(" ", P.PHONE.sub(" ", line)))
    if stripped == line or P.SENTENCE_END.search(line):
        return False
    if P.CONTACT_ID.sub(" ", P.PHONE.sub(" ", line)) == line and not P.CONTACT_LABEL.search(line):
        return False  # only e-mail addresses and no contact label: a byline's or a source's own address
    return _short_remainder(P.CONTACT_LABEL.sub(" ", stripped), CONTACT_REMAINDER_CJK, CONTACT_REMAINDER_WORDS)


def is_post_meta(line: str) -> bool:
    """author · time · category · views: a short line built around a date or relative time.

    A bare "October 9, 2018" or "69-54" is not enough (a tweet's attribution,
    a score): the line needs a numeric date with its year, a relative time, a
    clock time or a meta label (来源, 作者, By, Updated …).
    """
    if len(line) > 100 or "，" in line or "。" in line or ENDS_LIKE_SENTENCE.search(line):
        return False
    dated = P.DATE_EXPR.sub(" ", P.RELATIVE_TIME.sub(" ", line))
    if dated == line:
        return False
    markers = (P.NUMERIC_DATE, P.RELATIVE_TIME, P.CLOCK_TIME)
    if not (any(marker.search(line) for marker in markers) or P.META_LABEL.search(dated)):
        return False
    remainder = META_COUNTERS.sub(" ", P.META_LABEL.sub(" ", dated))
    return _short_remainder(remainder, META_REMAINDER_CJK, META_REMAINDER_WORDS)


def source_in_meta_line(line: str) -> dict:
    """``{"source": …}`` from a "来源:…" / "Source: …" part of a post-meta or date line."""
    match = SOURCE_IN_META.search(P.fold_traditional(line))
    return {"source": line[match.start("value"):match.end("value")]} if match else {}


def _meta_value(pattern: re.Pattern, key: str) -> tuple[Callable[[str], bool], Callable[[str], dict]]:
    """A matcher and a meta-lifter for a "label: value" line; sentence-like values don't count."""
    def value(line: str) -> str | None:
        match = pattern.match(P.fold_traditional(line))
        if not match or len(line) > 120:
            return None
        text = line[match.start("value"):match.end("value")].strip()
        return None if not text or P.SENTENCE_END.search(text) or "，" in text else text

    return (lambda line: value(line) is not None), (lambda line: {key: value(line)})


contact_ads = LineRule("contact_ads", "contact advertisement (phone, WeChat/QQ, email, QR code)", is_contact_ad)
share_widgets = LineRule("share_widgets", "share widget label", _capped(P.SHARE, 80, "match"))
breadcrumbs = LineRule("breadcrumbs", "breadcrumb trail", _capped(P.BREADCRUMB, 200))
post_meta = LineRule("post_meta", "post-meta line (author, time, category, views)", is_post_meta,
                     source_in_meta_line)
image_placeholders = LineRule("image_placeholders", "image placeholder or credit",
                              _capped(P.IMAGE_PLACEHOLDER, 120, "match"))
keyword_footers = LineRule("keyword_footers", "keyword/tag footer",
                           lambda line: (len(line) <= 200 and P.KEYWORD_FOOTER.match(line) is not None
                                         or len(line) <= MAX_TAG_LIST and P.TAG_LIST.match(line) is not None))
related_links = LineRule("related_links", "link to another story (Read more: …, a most-read entry)",
                         lambda line: len(line) <= 160 and bool(P.RELATED_LINK_LINE.match(line)
                                                                or P.RANKED_LINK_LINE.match(line)
                                                                or P.TRUNCATED_TEASER.match(line)))
ad_slots = LineRule("ad_slots", "advertisement, newsletter or cookie slot", _capped(P.AD_SLOT, 300))
editor_lines = LineRule("editor_lines", "editor line, moved to meta['editor']", *_meta_value(P.EDITOR, "editor"))
source_lines = LineRule("source_lines", "source line, moved to meta['source']", *_meta_value(P.SOURCE, "source"))
original_title_lines = LineRule("original_title_lines", "original-title line, moved to meta['original_title']",
                                *_meta_value(P.ORIGINAL_TITLE, "original_title"))


@dataclass(frozen=True)
class TailRule:
    """Cuts the tail ``pattern`` finds (on the folded line) off each line; a line left empty goes."""

    name: str
    reason: str
    pattern: re.Pattern

    def __call__(self, lines: Iterable[str]) -> Cleaned:
        out = Cleaned([])
        for line in lines:
            match = self.pattern.search(P.fold_traditional(line)) if len(line) <= MAX_TAIL_LINE else None
            if match:
                out.removals.append(Removal(self.name, self.reason, line[match.start():]))
                line = line[:match.start()].rstrip()
            if line:
                out.lines.append(line)
        return out


copyright_lines = LineRule("copyright_notices", "copyright or reprint notice", _capped(P.COPYRIGHT, 300))
reprint_tails = TailRule("copyright_notices", "reprint notice (转载请注明/保留…, 本文来源…转载)", P.REPRINT_NOTICE)
page_tools = LineRule("page_tools", "page tool (print, close, font size, pagination)",
                      _capped(P.PAGE_TOOLS, 120, "match"))
page_tool_tails = TailRule("page_tools", "page tools at the end of a line", P.PAGE_TOOLS_TAIL)


def copyright_notices(lines: list[str]) -> Cleaned:
    """Reprint notices cut from the lines they end (or make up), then copyright and disclaimer lines."""
    return run_cleaners(lines, (reprint_tails, copyright_lines))


def related_list_tail(lines: list[str]) -> Cleaned:
    """At a related-list heading past the first third of the text, drop it and everything after.

    The list that follows such a heading carries other stories' titles and
    excerpts, which no line rule could tell from story text.
    """
    total = sum(len(line) for line in lines)
    seen = 0
    for index, line in enumerate(lines):
        if index and seen * 3 >= total - seen and P.RELATED_HEADING.match(P.fold_traditional(line)):
            cut = lines[index:]
            return Cleaned(lines[:index], [Removal("related_list_tail", f"related list after heading {line!r}",
                                                   "\n".join(cut))])
        seen += len(line)
    return Cleaned(list(lines))


def inline_related(lines: list[str]) -> Cleaned:
    """Cut bracketed "[延伸阅读:…]" / "【相关阅读:…】" links out of paragraphs."""
    out = Cleaned([])
    for line in lines:
        spans = [match.span() for match in P.INLINE_RELATED.finditer(P.fold_traditional(line))]
        if spans:
            out.removals.extend(Removal("inline_related", "inline related-story link", line[a:b]) for a, b in spans)
            line = "".join(line[a:b] for a, b in zip([0] + [e for _, e in spans], [s for s, _ in spans] + [len(line)]))
            line = line.strip()
        if line:
            out.lines.append(line)
    return out


def layout_rows(lines: list[str]) -> Cleaned:
    """Unwrap table rows ("| a |  |") with one filled cell: page layout, whose cell is the paragraph.

    Then the rules below see the cell's text. A layout row that repeats the text above it (a
    print copy of the story set in a table) is dropped; rows with two or more filled cells are
    data and stay rows; a row with no filled cell is blank.
    """
    out, seen, unseen = Cleaned([]), Counter(), []  # the lines above go into ``seen`` only when a row asks
    for line in lines:
        if TABLE_ROW.match(line):
            filled = [cell.strip() for cell in TABLE_CELL_SEPARATOR.split(line[1:-1]) if cell.strip()]
            if len(filled) > 1:
                out.lines.append(line)
                continue
            line = "".join(filled).replace("\\|", "|")
            own = shingle_bag(tokens(line))
            for above in unseen:
                seen.update(shingle_bag(tokens(above)))
            unseen.clear()
            if own and shared_share(own, seen) > MIN_REPEAT_SHARE:
                out.removals.append(Removal("layout_rows", "table copy of the text above", line))
                continue
        unseen.append(line)
        if line:
            out.lines.append(line)
    return out


def site_patterns(patterns: list[re.Pattern]) -> LineRule:
    """The site's own ``drop_patterns``: drop every line one of them matches."""
    return LineRule("site_patterns", "per-site drop pattern",
                    lambda line: any(pattern.search(line) for pattern in patterns))


def _headline_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def repeated_headline(headlines) -> Callable[[list[str]], Cleaned]:
    """Drop a first line that only repeats the headline (the title is its own column)."""
    keys = {_headline_key(h) for h in headlines if h}

    def cleaner(lines: list[str]) -> Cleaned:
        if lines and _headline_key(lines[0]) in keys:
            return Cleaned(lines[1:], [Removal("repeated_headline", "headline repeated as the first line", lines[0])])
        return Cleaned(list(lines))

    return cleaner


# Order matters: layout rows are unwrapped first so that every rule sees their text; the
# related-list tail goes next so that lines inside other stories' excerpts (their "原标题:",
# "来源:") never reach the metadata; tails are cut before the "编辑:" / "来源:" lines are read.
TEXT_CLEANERS = (
    layout_rows, related_list_tail, inline_related, page_tools, page_tool_tails, share_widgets,
    breadcrumbs, contact_ads, copyright_notices, editor_lines, source_lines, original_title_lines,
    image_placeholders, keyword_footers, related_links, ad_slots, post_meta,
)


def split_lines(text: str) -> list[str]:
    """Paragraph lines with surrounding (also full-width) whitespace removed, blank lines dropped."""
    return [line for line in (raw.strip() for raw in text.splitlines()) if line]


def clean_text(text: str, site=None, headlines=()) -> Cleaned:
    """Run every text cleaner, then the site's own patterns, over ``text``.

    ``headlines`` are the page's title forms (clean title, h1), dropped when the
    text starts by repeating one. The site's patterns run last, so a pattern
    that drops a "责任编辑:…" line does not keep its value out of the metadata.
    """
    first = (repeated_headline(headlines),) if headlines else ()
    last = (site_patterns(site.drop_patterns),) if site is not None and site.drop_patterns else ()
    return run_cleaners(split_lines(text), (*first, *TEXT_CLEANERS, *last))


def run_cleaners(lines: list[str], cleaners) -> Cleaned:
    """Each cleaner on the lines the one before kept; all removals, the first value of each meta key."""
    result = Cleaned(list(lines))
    for cleaner in cleaners:
        step = cleaner(result.lines)
        result.lines = step.lines
        result.removals.extend(step.removals)
        for key, value in step.meta.items():
            result.meta.setdefault(key, value)
    return result
