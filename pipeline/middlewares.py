"""Downloader middleware: skip article pages already in the database.

Like deltafetch, but the memory is newsrake's own tables, so it survives
across nights and follows URL canonicalisation: an article URL already stored
(or recorded as a duplicate) is not fetched again, except articles published
within NEWSRAKE_RECHECK_DAYS, which are re-fetched to pick up corrections.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

from pipeline.store import connect


class SeenArticlesMiddleware:
    def __init__(self, crawler, db_path: Path, recheck_days: float):
        self.crawler = crawler
        self.db_path = db_path
        self.recheck_days = recheck_days
        self.conn = None

    @classmethod
    def from_crawler(cls, crawler):
        db = crawler.settings.get("NEWSRAKE_DB")
        if not db:
            raise NotConfigured
        mw = cls(crawler, Path(db), crawler.settings.getfloat("NEWSRAKE_RECHECK_DAYS"))
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_closed(self, spider):
        if self.conn is not None:
            self.conn.close()

    def _known(self, url: str):
        """(stored?, its published_at) for an article URL; undated articles are not re-fetched."""
        if self.conn is None:
            if not self.db_path.exists():
                return False, None
            self.conn = connect(self.db_path, readonly=True)
        row = self.conn.execute(
            "SELECT published_at FROM articles WHERE url = ?1 OR canonical_url = ?1"
            " UNION ALL SELECT NULL FROM duplicates WHERE url = ?1 LIMIT 1", (url,)).fetchone()
        return row is not None, (row[0] if row else None)

    def _recent(self, when: str | None) -> bool:
        if not when or self.recheck_days <= 0:
            return False
        try:
            moment = datetime.fromisoformat(when)
        except ValueError:
            return False
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return datetime.now(timezone.utc) - moment <= timedelta(days=self.recheck_days)

    def process_request(self, request):
        if not request.meta.get("newsrake_article"):
            return None
        known, when = self._known(request.url)
        if not known:
            return None
        if self._recent(when):
            self.crawler.stats.inc_value("newsrake/rechecked")
            return None
        self.crawler.stats.inc_value("newsrake/skipped_known")
        raise IgnoreRequest(f"already stored: {request.url}")
