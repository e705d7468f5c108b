"""Name the kind of a failed request, for per-site error counts."""

from __future__ import annotations

from scrapy import exceptions as sx
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net
from twisted.web._newclient import ResponseFailed

# Scrapy >= 2.14 wraps Twisted's download errors in its own exceptions; both are listed.
_NETWORK_KINDS = [
    ((net.TimeoutError, net.TCPTimedOutError, sx.DownloadTimeoutError), "timeout"),
    ((net.DNSLookupError, sx.CannotResolveHostError), "dns"),
    ((net.ConnectionRefusedError, sx.DownloadConnectionRefusedError), "connection_refused"),
    ((net.ConnectionLost, net.ConnectionDone, ResponseFailed, sx.DownloadFailedError, sx.ResponseDataLossError),
     "connection_lost"),
    # The HTTP handler cancels a download only when it passes DOWNLOAD_MAXSIZE (announced or received).
    ((sx.DownloadCancelledError,), "too_large"),
    ((sx.UnsupportedURLSchemeError,), "bad_scheme"),
]

# IgnoreRequest raised by Scrapy's own middlewares for a fault of the site, by message.
_IGNORED_FAULTS = [
    ("DOWNLOAD_MAXSIZE", "too_large"),  # HttpCompressionMiddleware: a decompression bomb
    ("max redirections reached", "redirect_loop"),  # RedirectMiddleware: REDIRECT_MAX_TIMES
    ("Filtered offsite request", "offsite_redirect"),  # OffsiteMiddleware, if it raises in the downloader
]


def classify_failure(failure) -> str | None:
    """Return an error kind such as ``http_404`` or ``timeout``.

    None for requests dropped on purpose (robots.txt, already stored): those
    are decisions, not errors (see :func:`classify_skip`).
    """
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        # A 3xx reaches the spider only when RedirectMiddleware refused to follow it (file:, ftp:, data:, ...).
        return "bad_redirect" if 300 <= status < 400 else f"http_{status}"
    if isinstance(exc, IgnoreRequest):
        message = str(exc)
        return next((kind for needle, kind in _IGNORED_FAULTS if needle in message), None)
    for types, kind in _NETWORK_KINDS:
        if isinstance(exc, types):
            return kind
    if "maxsize" in str(exc).lower() or "max size" in str(exc).lower():
        return "too_large"
    return type(exc).__name__


def classify_skip(failure) -> str | None:
    """Name a request dropped on purpose, for the per-site skip counts (not errors)."""
    exc = failure.value
    if isinstance(exc, IgnoreRequest) and "robots.txt" in str(exc):
        return "robots_disallowed"
    return None
