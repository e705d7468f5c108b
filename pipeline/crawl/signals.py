"""newsrake's own Scrapy signals (sent with ``crawler.signals.send_catch_log``)."""

#: An article link carried tracking parameters: ``canonical`` (the URL requested), ``site``, ``url`` (as linked).
article_alias = object()

#: ``newsrake extract``, ``newsrake check``: a requested page could not be had: ``url``, ``kind`` (error or skip);
#: ``site`` too, from ``check``.
page_failed = object()

#: ``newsrake check``: a list page, feed or sitemap was read: ``site``, ``url``, ``kind`` (list, feed or sitemap),
#: ``links``: ``[(url, what the crawl does with it: article | follow | ignored, the rule that decided)]``.
page_read = object()

#: A query parameter proved per-visit for a site (same text under URLs differing only in it): ``site``, ``param``.
session_param_found = object()

#: The store pipeline committed what it had taken (the distributed writer acknowledges those stream entries).
batch_committed = object()

#: The run cannot go on for a cause outside the store (the distributed writer lost Redis): ``cause``; the store
#: pipeline fails the run with it.
run_failed = object()

#: A site's page budget is spent (sent once per run and process, when it is first seen full: locally, as its last
#: admitted URL is scheduled): ``site``.
budget_spent = object()
