"""Name the kind of a failed request by the type of its exception, for per-site counts.

Scrapy's middlewares signal several faults with a bare ``IgnoreRequest``; the
middlewares in :mod:`.middlewares` re-raise those as the typed subclasses
below, so nothing here reads an exception's message.
"""

from __future__ import annotations

from scrapy import exceptions as sx
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net
from twisted.web._newclient import ResponseFailed

from pipeline.core.kinds import ErrorKind, SkipKind


class Skipped(IgnoreRequest):
    """A request dropped on purpose; ``kind`` is what it counts as."""

    kind: str = ""


class RobotsForbidden(Skipped):
    kind = SkipKind.ROBOTS


class RobotsUnavailable(RobotsForbidden):
    """Refused because the host's robots.txt could not be had (its site counts the error once)."""


class SiteFault(IgnoreRequest):
    """A response dropped for a fault of the site; ``kind`` is the error kind."""

    kind: str = ErrorKind.OTHER


class DecompressedTooLarge(SiteFault):
    kind = ErrorKind.TOO_LARGE


class TooManyRedirects(SiteFault):
    kind = ErrorKind.REDIRECT_LOOP


# Scrapy >= 2.14 wraps Twisted's download errors in its own exceptions; both are listed.
_NETWORK_KINDS = [
    ((net.TimeoutError, net.TCPTimedOutError, sx.DownloadTimeoutError), ErrorKind.TIMEOUT),
    ((net.DNSLookupError, sx.CannotResolveHostError), ErrorKind.DNS),
    ((net.ConnectionRefusedError, sx.DownloadConnectionRefusedError), ErrorKind.CONNECTION_REFUSED),
    ((net.ConnectionLost, net.ConnectionDone, ResponseFailed, sx.DownloadFailedError, sx.ResponseDataLossError),
     ErrorKind.CONNECTION_LOST),
    # The HTTP handler cancels a download only when it passes DOWNLOAD_MAXSIZE (announced or received).
    ((sx.DownloadCancelledError,), ErrorKind.TOO_LARGE),
    ((sx.UnsupportedURLSchemeError,), ErrorKind.BAD_SCHEME),
]


def classify_failure(failure) -> str | None:
    """The error kind of a failed request (``http_404``, ``timeout``, ...), or None for a
    request dropped on purpose (robots.txt: see :func:`classify_skip`)."""
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        # A 3xx reaches the spider only when RedirectMiddleware refused to follow it (file:, ftp:, data:, ...).
        return ErrorKind.BAD_REDIRECT if 300 <= status < 400 else ErrorKind.http(status)
    if isinstance(exc, SiteFault):
        return exc.kind
    if isinstance(exc, IgnoreRequest):
        return None
    for types, kind in _NETWORK_KINDS:
        if isinstance(exc, types):
            return kind
    return ErrorKind.OTHER


def classify_skip(failure) -> str | None:
    """The skip kind of a request dropped on purpose, when it is counted as one."""
    exc = failure.value
    return exc.kind or None if isinstance(exc, Skipped) else None


def failure_kind(failure) -> str:
    """Why one requested page could not be had, for a report on that page: its error or skip kind
    (``robots_unavailable`` for a page refused for it), ``dropped`` for a request a middleware dropped uncounted."""
    if isinstance(failure.value, RobotsUnavailable):
        return ErrorKind.ROBOTS_UNAVAILABLE
    return classify_failure(failure) or classify_skip(failure) or "dropped"
