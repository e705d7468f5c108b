"""Thin list pages: stop following a site's list pages once they stop bringing articles.

A calendar, a tag cloud or pagination past the end is a frontier of list
pages that each link a handful of other list pages and next to no article:
the depth limit does not bound it (a calendar links the day, month and year
either side, so the pages within 20 steps number in the thousands) and the
page budget bounds it only after thousands of fetches. A real list page
links tens of articles. So the spider keeps, per site, how many article
links not seen before in the run each of its last ``window`` list pages
brought; once they average under ``min_links``, the links to further list
pages are not followed (counted ``thin_lists``), while the articles found are
still fetched. A later list page (already scheduled) that brings articles
again lifts the stop. Known articles count as found: a quiet night is not thin.
"""

from __future__ import annotations

from collections import deque


class ListYield:
    """Per site: the article links first seen on its list pages, and the yield of its last list pages
    (:meth:`first_seen` and :meth:`is_thin` are the override points: a fleet keeps both in Redis). The
    spider builds the class NEWSRAKE_LIST_YIELD names."""

    def __init__(self, window: int, min_links: float):
        self.window, self.min_links = window, min_links
        self._seen: dict[str, set[int]] = {}
        self._recent: dict[str, deque[int]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getint("NEWSRAKE_THIN_LIST_WINDOW"), crawler.settings.getfloat("NEWSRAKE_THIN_LIST_LINKS"))

    def first_seen(self, site: str, url: str) -> bool:
        """Record an article link found on a list page of ``site``; True the first time in the run."""
        seen = self._seen.setdefault(site, set())
        key = hash(url)  # an int, not the string: a site can list hundreds of thousands of links
        if key in seen:
            return False
        seen.add(key)
        return True

    def is_thin(self, site: str, new_links: int) -> bool:
        """Record that a list page of ``site`` brought ``new_links``; True if its list pages have gone thin."""
        if self.window <= 0:
            return False
        recent = self._recent.setdefault(site, deque(maxlen=self.window))
        recent.append(new_links)
        return len(recent) == self.window and sum(recent) < self.min_links * self.window
