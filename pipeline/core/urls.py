"""URL canonicalisation: one story, one URL, whatever the link carried.

w3lib does the RFC work (percent-encoding, query sorting, fragment removal,
host case); this module adds what a news crawler needs on top: dropping the
default port and tracking parameters such as ``utm_*`` or ``spm``.
"""

from __future__ import annotations

import fnmatch
import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

DEFAULT_PORTS = {"http": 80, "https": 443}


class TrackingParams:
    """A matcher for tracking query parameter names (shell-style globs, case-insensitive)."""

    def __init__(self, patterns):
        self._regex = re.compile("|".join(fnmatch.translate(p.lower()) for p in patterns) or r"(?!)")

    def __contains__(self, name: str) -> bool:
        return bool(self._regex.match(name.lower()))


def canonical_url(url: str, tracking: TrackingParams | None = None) -> str:
    """Return the canonical form of ``url``: the key newsrake dedups and skips by.

    Tracking parameters are removed only when ``tracking`` is given (article
    URLs: on list pages a parameter such as ``from`` may be an offset). Other
    parameters keep their spelling. Raises ValueError for a malformed URL
    (a bad port, an unclosed IPv6 bracket).
    """
    parts = urlsplit(canonicalize_url(url, keep_fragments=False))
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port and parts.port != DEFAULT_PORTS.get(parts.scheme):
        netloc = f"{netloc}:{parts.port}"
    query = parts.query
    if tracking is not None:
        query = "&".join(pair for pair in query.split("&") if unquote_plus(pair.split("=", 1)[0]) not in tracking)
    return urlunsplit((parts.scheme, netloc, parts.path or "/", query, ""))


def host_allowed(url: str, hosts) -> bool:
    """True when the URL's host is one of ``hosts`` or a subdomain of one (OffsiteMiddleware's rule;
    Scrapy's ``url_is_from_any_domain`` compares the netloc, port included)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in hosts)


class UrlRules:
    """The crawl's one canonicalisation policy: list pages keep their query, article URLs lose
    tracking parameters (on list pages a parameter such as ``from`` may be an offset)."""

    def __init__(self, tracking_patterns):
        self.tracking = TrackingParams(tracking_patterns)

    def article(self, url: str) -> str:
        return canonical_url(url, self.tracking)

    def page(self, url: str) -> str:
        return canonical_url(url)

    def canonical_link(self, link: str | None, site) -> str | None:
        """A page's rel=canonical / og:url, when it names an article URL on the site's own hosts.

        A canonical pointing at a home or section page (some sites put one on every
        page) says nothing about the article, so it is not kept.
        """
        if not link:
            return None
        try:
            canonical = self.article(link)
        except ValueError:
            return None
        return canonical if host_allowed(canonical, site.allowed_hosts) and site.is_article(canonical) else None
