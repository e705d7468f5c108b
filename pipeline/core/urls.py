"""URL canonicalisation: one story, one URL, whatever the link carried.

w3lib does the RFC work (percent-encoding, query sorting, fragment removal,
host case); this module adds what a news crawler needs on top: dropping the
default port and tracking parameters such as ``utm_*`` or ``spm``, and telling
which one parameter two URLs differ in (how a site's per-visit parameters,
such as session IDs, are recognised and then dropped).
"""

from __future__ import annotations

import fnmatch
import re
from urllib.parse import parse_qs, unquote_plus, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, safe_url_string

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
    query = parts.query if tracking is None else _query_without(parts.query, tracking)
    return urlunsplit((parts.scheme, netloc, parts.path or "/", query, ""))


def _query_without(query: str, names) -> str:
    """``query`` without the pairs whose decoded name is in ``names`` (any container of names)."""
    return "&".join(pair for pair in query.split("&") if unquote_plus(pair.split("=", 1)[0]) not in names)


def without_params(url: str, names) -> str:
    """``url`` without the query parameters ``names`` (exact names); ``url`` itself when it has none of them."""
    parts = urlsplit(url)
    query = _query_without(parts.query, names)
    return url if query == parts.query else urlunsplit(parts._replace(query=query))


def differing_param(a: str, b: str) -> str | None:
    """The one query parameter that tells URLs ``a`` and ``b`` apart: both carry it, with other values,
    and everything else (scheme, host, port, path, the other parameters) is the same; else None."""
    first, second = urlsplit(a), urlsplit(b)
    if first[:3] != second[:3]:
        return None
    values_a, values_b = (parse_qs(parts.query, keep_blank_values=True) for parts in (first, second))
    differing = [name for name in values_a.keys() | values_b.keys()
                 if sorted(values_a.get(name, ())) != sorted(values_b.get(name, ()))]
    if len(differing) == 1 and differing[0] in values_a and differing[0] in values_b:
        return differing[0]
    return None


def ascii_host(host: str) -> str:
    """A host name as Scrapy requests it: lower case, a Unicode name in IDNA form (w3lib's encoding)."""
    if host.isascii():
        return host.lower()
    return urlsplit(safe_url_string(f"http://{host}/")).hostname or host.lower()


def host_allowed(url: str, hosts) -> bool:
    """True when the URL's host is one of ``hosts`` (IDNA form) or a subdomain of one (OffsiteMiddleware's
    rule; Scrapy's ``url_is_from_any_domain`` compares the netloc, port included)."""
    host = ascii_host(urlsplit(url).hostname or "")
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
