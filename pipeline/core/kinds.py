"""The names of what can go wrong with a page, and of what the crawl declines to fetch.

The one definition of every error and skip kind: the crawl counts them, the
``runs`` table stores them, ``newsrake stats`` shows them.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorKind(StrEnum):
    """A page that could not be fetched or turned into an article."""

    TIMEOUT = "timeout"
    DNS = "dns"
    CONNECTION_REFUSED = "connection_refused"
    CONNECTION_LOST = "connection_lost"
    TOO_LARGE = "too_large"  # over DOWNLOAD_MAXSIZE, announced, received or decompressed
    BAD_SCHEME = "bad_scheme"
    BAD_REDIRECT = "bad_redirect"  # a redirect to file:, ftp:, data:, ...
    REDIRECT_LOOP = "redirect_loop"
    OFFSITE_REDIRECT = "offsite_redirect"
    NOT_HTML = "not_html"
    EMPTY_PAGE = "empty_page"
    BAD_SITEMAP = "bad_sitemap"
    EXTRACT_FAILED = "extract_failed"
    EXTRACT_TIMEOUT = "extract_timeout"
    ROBOTS_UNAVAILABLE = "robots_unavailable"  # robots.txt answered 5xx/429 or not at all: the host is off limits
    NO_TEXT = "no_text"
    OTHER = "other"  # an exception of a type not listed here (its type is logged)

    @staticmethod
    def http(status: int) -> str:
        """The kind of an HTTP error status: ``http_404``."""
        return f"http_{status}"


class SkipKind(StrEnum):
    """A request the crawl declined or repeated on purpose: counted, not an error."""

    ROBOTS = "robots_disallowed"
    OFFSITE = "offsite_links"
    OVER_BUDGET = "over_budget"  # over the site's max_pages (or NEWSRAKE_MAX_PAGES)
    LINKS_OVER_CAP = "links_over_cap"  # links past NEWSRAKE_MAX_LINKS_PER_PAGE, URLs past NEWSRAKE_MAX_URLS_PER_FEED
    FOLLOW_TOO_DEEP = "follow_too_deep"  # a list page more than NEWSRAKE_FOLLOW_DEPTH follows from a start URL
    THIN_LISTS = "thin_lists"  # a list page not followed: the site's last list pages brought next to no articles
    SITEMAP_TOO_DEEP = "sitemap_too_deep"  # a sitemap under more than NEWSRAKE_SITEMAP_DEPTH sitemap indexes
    TIME_LIMIT = "time_limit"  # the run reached CLOSESPIDER_TIMEOUT before this site was done
    EXTRACT_BUDGET = "extract_budget"  # a page not extracted: its site used up NEWSRAKE_SITE_EXTRACT_BUDGET
    RETRIED = "retried"
    BAD_LINK = "bad_links"
    SESSION_PARAM = "session_param_links"  # a link whose per-visit parameter (session ID) was dropped
