"""Name the kind of a failed request, for per-site error counts."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net
from twisted.web._newclient import ResponseFailed

_NETWORK_KINDS = [
    ((net.TimeoutError, net.TCPTimedOutError), "timeout"),
    ((net.DNSLookupError,), "dns"),
    ((net.ConnectionRefusedError,), "connection_refused"),
    ((net.ConnectionLost, net.ConnectionDone, ResponseFailed), "connection_lost"),
]


def classify_failure(failure) -> str | None:
    """Return an error kind such as ``http_404`` or ``timeout``.

    None for requests dropped on purpose (robots.txt, offsite, already
    stored): those are decisions, not errors.
    """
    exc = failure.value
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}"
    if isinstance(exc, IgnoreRequest):
        return None
    for types, kind in _NETWORK_KINDS:
        if isinstance(exc, types):
            return kind
    if "maxsize" in str(exc) or "max size" in str(exc).lower():
        return "too_large"
    return type(exc).__name__
