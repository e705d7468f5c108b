"""newsrake's own Scrapy signals (sent with ``crawler.signals.send_catch_log``)."""

#: An article link carried tracking parameters: ``canonical`` (the URL requested), ``site``, ``url`` (as linked).
article_alias = object()

#: ``newsrake extract``: a requested page could not be fetched: ``url``, ``kind``.
page_failed = object()

#: A query parameter proved per-visit for a site (same text under URLs differing only in it): ``site``, ``param``.
session_param_found = object()
