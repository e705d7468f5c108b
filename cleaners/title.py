"""The headline as printed: agreement of the title candidates, attention prefixes, site names.

A page names its headline several times: the <h1> above the story, og:title,
twitter:title, JSON-LD's headline, the <title>. The SEO variants differ from
the printed one, and the <title> usually reads "headline - Site Name".
:func:`clean_title` takes the candidate the others agree with (see there);
the <title>'s suffix ends where a heading or og:title ends, else trailing
segments go while they look like site or channel names (a section label
between headline and site name goes with them), and a first segment that is
the site's name goes too. The site's names and those cut segments are never
the headline. A headline whose own first words end in a colon stays whole:
the attention-prefix rule only knows stock phrases built from attention words
(全球, 天天, 热议 …).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable, Iterable
from urllib.parse import urlsplit

from cleaners import Removal
from cleaners import patterns as P

SPACES = re.compile(r"\s+")
# Separators that put a site name after a headline, split keeping them.
SUFFIX_SPLIT = re.compile(r"((?<!\s)(?:\s+[-–—|·]\s+|\s*[|_｜丨]\s*|\s*--\s*))")
SITE_NAME_WORDS = re.compile(
    r"(?:[网網]|[频頻]道|[报報]|站|新[闻聞]|在[线線]|官[网網]|中心|平台|[门門]户|[资資][讯訊]|[日晚时時][报報]|周刊"
    r"|客户端|[论論][坛壇]|[电電]视台)$"
    r"|\b(?:news|blog|online|times|post|daily|magazine|journal|tribune|herald|channel|\.com|\.cn|\.org|\.net)\b",
    re.I,
)
# Where a <title> or og:title splits into segments that may each be printed as the headline.
RUN_SPLIT = re.compile(r"\s+[-–—|·:]\s+|\s*[|_｜丨]\s*|\s*--\s*|\s*―+\s*|：\s*"
                       rf"|(?<=[{P.CJK_CHARS}])\s*-\s*(?=[{P.CJK_CHARS}《])")
MAX_SEGMENTS = 12
# A trailing segment this short (characters) can be a site name.
MAX_SITE_NAME = 40
MIN_HEADLINE = 4
WORDS = re.compile(r"\w+")
# A heading of at most this many words (two CJK characters count as one) is a label, not a headline.
MAX_LABEL_WORDS = 2.5


def _normal(text: str | None) -> str:
    return SPACES.sub(" ", text or "").strip()


def strip_clickbait_prefix(title: str) -> tuple[str, list[Removal]]:
    """Drop a stock attention phrase ("全球即时看!", "天天快看点丨") before the headline."""
    match = P.CLICKBAIT_PREFIX.match(title)
    if not match or len(title) - match.end() < MIN_HEADLINE:
        return title, []
    return title[match.end():], [Removal("title_prefix", "attention-grabbing title prefix", match.group())]


def host_words(url: str | None) -> set[str]:
    """The distinctive words of the URL's host name ("example" of news.example.co.uk)."""
    host = (urlsplit(url).hostname or "") if url else ""
    return {w for w in host.lower().split(".") if len(w) > 3 and w not in {"www", "news", "html"}}


def _looks_like_site_name(segment: str, host_words: set[str], site_name: str | None) -> bool:
    """``site_name`` lowercased (once per title: it may be long)."""
    text = segment.strip()
    if not text or len(text) > MAX_SITE_NAME:
        return False
    squashed = re.sub(r"[\s.]", "", text).lower()
    if site_name and (site_name in squashed or squashed in site_name):
        return True
    if any(word in squashed for word in host_words):
        return True
    return bool(SITE_NAME_WORDS.search(text))


def strip_site_suffix(title: str, *, headlines: tuple[str, ...] = (), url: str | None = None,
                      site_name: str | None = None) -> tuple[str, list[Removal]]:
    """Drop "- Site Name" / "_频道_网站" / "| Sport | Site" after the headline.

    ``headlines`` (the page's h1, og:title) decide where the headline ends
    when <title> starts with one of them; otherwise trailing segments are
    dropped while they look like site or channel names.
    """
    for headline in map(_normal, headlines):
        if len(headline) >= MIN_HEADLINE and title.startswith(headline) and title != headline:
            rest = title[len(headline):]
            if SUFFIX_SPLIT.match(rest):
                return headline, [Removal("title_suffix", "site name after the headline", rest.strip())]
    words = host_words(url)
    parts = SUFFIX_SPLIT.split(title)
    removed = []
    site = site_name.lower() if site_name else None
    # parts alternate: segment, separator, segment, ...; a section label sits between headline and site name
    while len(parts) >= 3 and (_looks_like_site_name(parts[-1], words, site) or (removed and _is_label(parts[-1]))):
        removed.append(parts[-2] + parts[-1])
        del parts[-2:]
    removed.reverse()
    if not removed or len("".join(parts).strip()) < MIN_HEADLINE:
        return title, []
    return "".join(parts).strip(), [Removal("title_suffix", "site name after the headline", "".join(removed).strip())]


def strip_site_prefix(title: str, *, site_names: tuple[str, ...] = (), url: str | None = None
                      ) -> tuple[str, list[Removal]]:
    """Drop "Site Name - " before the headline: only a first segment that is one of the site's names or
    holds its host name's word (a kicker such as "Opinion |" is the page's own)."""
    parts = SUFFIX_SPLIT.split(title, maxsplit=1)
    if len(parts) < 3 or len(parts[2].strip()) < MIN_HEADLINE:
        return title, []
    first = name_key(parts[0])
    if not first or not (first in {name_key(n) for n in site_names} or any(w in first for w in host_words(url))):
        return title, []
    return parts[2].strip(), [Removal("title_site_prefix", "site name before the headline", parts[0] + parts[1])]


def name_key(text: str) -> str:
    """The words of ``text`` only (NFKC, casefolded): quotes, dashes and spaces do not break agreement."""
    return "".join(WORDS.findall(unicodedata.normalize("NFKC", text).casefold()))


def _is_label(text: str) -> bool:
    """A section heading or a site's name is short: "Sport", "News", "要闻", "经济参考网"."""
    latin = len(WORDS.findall(P.CJK.sub(" ", text)))
    return latin + len(P.CJK.findall(text)) / 2 <= MAX_LABEL_WORDS


def _agrees(heading: str, others: list[str]) -> bool:
    """Another candidate is ``heading``, or holds it (a label must be equal: "News" is in every title)."""
    key = name_key(heading)
    return any(key == name_key(o) or (not _is_label(heading) and key in name_key(o)) for o in others)


def _suffix_segments(removals: list[Removal]) -> set[str]:
    """Keys of the segments a suffix removal took off: the site and section names the <title> carries."""
    return {name_key(part) for r in removals for part in SUFFIX_SPLIT.split(r.text) if name_key(part)}


def _segment_runs(text: str) -> list[str]:
    """The runs of consecutive segments of ``text`` ("A - B | C": "A - B", "B | C", "A", …), longest first."""
    bounds = [0, *(i for m in RUN_SPLIT.finditer(text) for i in m.span()), len(text)]
    starts, ends = bounds[0::2], bounds[1::2]
    if len(starts) > MAX_SEGMENTS:
        return [text]
    runs = {text[a:b].strip() for i, a in enumerate(starts) for b in ends[i:]}
    return sorted(runs, key=len, reverse=True)


def _strip_site(title: str, headlines: tuple[str, ...], url: str | None, site_names: tuple[str, ...]
                ) -> tuple[str, list[Removal]]:
    """``title`` without the site's name after and before the headline."""
    site = max(site_names, key=len, default=None)
    title, suffix = strip_site_suffix(title, headlines=headlines, url=url, site_name=site)
    title, prefix = strip_site_prefix(title, site_names=site_names, url=url)
    return title, suffix + prefix


class _Candidates:
    """The page's title candidates and the names never to take for a headline."""

    def __init__(self, title, headings, metas, url, site_names):
        self.headings = tuple(h for h in map(_normal, headings) if h)
        metas = tuple(m for m in map(_normal, metas) if m)
        self.raw = [*metas, _normal(title)] if _normal(title) else list(metas)
        self.stripped = [_strip_site(c, self.headings + metas, url, site_names) for c in self.raw]
        # A "site name" that is also the page's og:title or JSON-LD headline is a misfilled tag, not a site name.
        names = {name_key(n) for n in site_names} - {name_key(m) for m in metas}
        self.refused = names | _suffix_segments([r for _, rs in self.stripped for r in rs])
        site = max(site_names, key=len, default=None)
        self.site = site.lower() if site else None
        self.host_words = host_words(url)

    def usable(self, text: str) -> bool:
        return len(name_key(text)) >= MIN_HEADLINE and name_key(text) not in self.refused

    def headline(self, text: str) -> bool:
        """Usable and no label: what a heading or a candidate found elsewhere must be."""
        return self.usable(text) and not _is_label(text)

    def site_name_alone(self, text: str) -> bool:
        return _is_label(text) and _looks_like_site_name(text, self.host_words, self.site)


def _printed_run(candidates: _Candidates, printed: Callable[[], Iterable[str]]) -> str | None:
    """The longest run of a candidate's segments that the page prints as an element of its own."""
    keys = {name_key(text) for text in printed()}
    for raw in candidates.raw:
        for run in _segment_runs(raw):
            if candidates.headline(run) and name_key(run) in keys:
                return run
    return None


def clean_title(title: str | None, *, headings: tuple[str, ...] = (), metas: tuple[str, ...] = (),
                printed: Callable[[], Iterable[str]] = tuple, url: str | None = None,
                site_names: tuple[str, ...] = ()) -> tuple[str | None, list[Removal]]:
    """The headline as printed, by agreement of the page's title candidates, without prefix or suffix.

    ``headings`` are the page's <h1>s (those inside the article area first),
    ``metas`` the JSON-LD headline, og:title and twitter:title, ``title`` the
    <title>, ``printed()`` the short texts of the page's body elements (asked
    only when no heading agrees with another candidate). The
    headline is, in this order: the first heading another candidate holds; a
    cleaned candidate a heading holds (around it a kicker or breadcrumbs); the
    longest run of a candidate's segments printed on the page; the first
    heading that is not a label (the one above the story); the cleaned
    candidate the most others hold. A site name, a segment of the <title>'s
    site suffix or a section label is never taken.
    """
    c = _Candidates(title, headings, metas, url, site_names)
    cleaned = [(text, rs) for text, rs in c.stripped if c.usable(text) and not c.site_name_alone(text)]
    chosen = (next((h for h in c.headings if c.usable(h) and _agrees(h, c.raw)), None)
              or next((t for t, _ in cleaned if c.headline(t) and any(name_key(t) in name_key(h) for h in c.headings)),
                      None)
              or _printed_run(c, printed)
              or next((h for h in c.headings if c.headline(h)), None))
    if chosen is None and not cleaned:
        return None, []
    if chosen is None:
        # Ties go to the earlier candidate: JSON-LD, og:title, twitter:title, then <title>.
        chosen = max(cleaned, key=lambda t: sum(name_key(t[0]) in name_key(o) for o in c.raw))[0]
    # What was cut off a candidate that, so cut, reads as the headline (its site suffix or prefix).
    removals = next((rs for text, rs in c.stripped if rs and name_key(text) == name_key(chosen)), [])
    chosen, prefix = strip_clickbait_prefix(chosen)
    return chosen, removals + prefix
