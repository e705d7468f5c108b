"""Scrapy's LOG_FORMATTER for newsrake: every dropped page one log line (see :mod:`.logs`)."""

from __future__ import annotations

from scrapy.logformatter import LogFormatter


class OneLineLogFormatter(LogFormatter):
    """Scrapy's log messages, with a dropped page's line not followed by the item (the reason names its URL)."""

    def dropped(self, item, exception, response, spider):
        return {**super().dropped(item, exception, response, spider), "msg": "Dropped: %(exception)s"}
