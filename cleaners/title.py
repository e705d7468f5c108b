"""Title cleaning: content-farm attention prefixes and site-name suffixes.

The page's <title> usually reads "headline - Site Name"; where the <h1> or
og:title agrees with its start, the rest is the suffix. Without agreement,
only a trailing segment that looks like a site or channel name is dropped.
A headline whose own first words end in a colon stays whole: the prefix rule
only knows stock phrases built from attention words (全球, 天天, 热议 …).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from cleaners import Removal
from cleaners import patterns as P

SPACES = re.compile(r"\s+")
# Separators that put a site name after a headline, split keeping them.
SUFFIX_SPLIT = re.compile(r"((?<!\s)(?:\s+[-–—|·]\s+|\s*[|_｜丨]\s*|\s*--\s*))")
SITE_NAME_WORDS = re.compile(
    r"(?:网|频道|报|站|新闻|在线|官网|中心|平台|门户|资讯|日报|晚报|时报|周刊|客户端|新闻网|论坛)$"
    r"|\b(?:news|blog|online|times|post|daily|magazine|journal|tribune|herald|channel|\.com|\.cn|\.org|\.net)\b",
    re.I,
)
# A trailing segment this short (characters) can be a site name.
MAX_SITE_NAME = 40
MIN_HEADLINE = 4


def _normal(text: str | None) -> str:
    return SPACES.sub(" ", text or "").strip()


def strip_clickbait_prefix(title: str) -> tuple[str, list[Removal]]:
    """Drop a stock attention phrase ("全球即时看!", "天天快看点丨") before the headline."""
    match = P.CLICKBAIT_PREFIX.match(title)
    if not match or len(title) - match.end() < MIN_HEADLINE:
        return title, []
    return title[match.end():], [Removal("title_prefix", "attention-grabbing title prefix", match.group())]


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
    """Drop "- Site Name" / "_频道_网站" after the headline.

    ``headlines`` (the page's h1, og:title) decide where the headline ends
    when <title> starts with one of them; otherwise trailing segments are
    dropped while they look like site or channel names.
    """
    for headline in map(_normal, headlines):
        if len(headline) >= MIN_HEADLINE and title.startswith(headline) and title != headline:
            rest = title[len(headline):]
            if SUFFIX_SPLIT.match(rest):
                return headline, [Removal("title_suffix", "site name after the headline", rest.strip())]
    host = urlsplit(url).hostname or "" if url else ""
    host_words = {w for w in host.lower().split(".") if len(w) > 3 and w not in {"www", "news", "html"}}
    parts = SUFFIX_SPLIT.split(title)
    removed = []
    site = site_name.lower() if site_name else None
    # parts alternate: segment, separator, segment, ...
    while len(parts) >= 3 and _looks_like_site_name(parts[-1], host_words, site):
        removed.append(parts[-2] + parts[-1])
        del parts[-2:]
    removed.reverse()
    if not removed or len("".join(parts).strip()) < MIN_HEADLINE:
        return title, []
    return "".join(parts).strip(), [Removal("title_suffix", "site name after the headline", "".join(removed).strip())]


def clean_title(title: str | None, *, h1: str | None = None, og_title: str | None = None,
                url: str | None = None, site_name: str | None = None) -> tuple[str | None, list[Removal]]:
    """The headline from <title> (or h1/og:title when there is no <title>), without prefix or suffix."""
    candidates = [_normal(t) for t in (h1, og_title) if _normal(t)]
    title = _normal(title) or (candidates[0] if candidates else "")
    if not title:
        return None, []
    title, suffix = strip_site_suffix(title, headlines=tuple(candidates), url=url, site_name=site_name)
    title, prefix = strip_clickbait_prefix(title)
    return title, suffix + prefix
