"""Publication dates: parse, resolve relative dates, pick the trustworthy one.

Output is ISO 8601: with the source's UTC offset when it gives one, naive
when it gives a time without an offset, and a plain "YYYY-MM-DD" when it gives
only a date (never shifted to UTC, which could move it to another day).
Dates in the future (relative to ``fetched_at``) or before 1995 are rejected:
NULL beats a wrong date. Dates are only taken from published-time metadata,
the page's date line or the linking feed/list entry, never from body text.
"""

from __future__ import annotations

import functools
import json
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from cleaners import patterns as P

EARLIEST = date(1995, 1, 1)
# Clock skew tolerated between a source's timestamp and our fetch time.
SKEW = timedelta(minutes=10)
# A naive timestamp may be in any timezone: allow this much "future".
NAIVE_SLACK = timedelta(hours=14)
# A metadata or feed date is short ("2023-02-03T10:20:00+08:00", "Fri, 03 Feb 2023 10:20:00 GMT"):
# a longer value is not one, and is not searched (a 20 KB meta value must not cost a page its time).
MAX_DATE_VALUE = 100

MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
UNIT_SECONDS = {"秒": 1, "second": 1, "分钟": 60, "minute": 60, "小时": 3600, "hour": 3600}
UNIT_DAYS = {"天": 1, "日": 1, "day": 1, "周": 7, "星期": 7, "week": 7}
UNIT_MONTHS = {"个月": 1, "月": 1, "month": 1, "年": 12, "year": 12}
DAY_OFFSETS = {"今天": 0, "today": 0, "昨天": 1, "yesterday": 1, "前天": 2}

PUBLISHED_META = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "pubdate", "publishdate", "publish_date", "publish-date", "publication_date", "publishtime",
    "sailthru.date", "dc.date", "dc.date.issued", "dcterms.created", "date", "parsely-pub-date",
    "article.published", "cxenseparse:recs:publishtime", "weibo: article:create_at",
)
META_XPATH = "//meta[@content][@property or @name or @itemprop]"
JSON_LD_XPATH = "//script[@type='application/ld+json']/text()"
TIME_XPATH = "//time[@datetime]"


def _build(y, m, d, hh=None, mm=None, ss=None, tz=None) -> datetime | date | None:
    try:
        if hh is None:
            return date(int(y), int(m), int(d))
        offset = None
        if tz == "Z":
            offset = timezone.utc
        elif tz:
            sign = -1 if tz[0] == "-" else 1
            digits = tz[1:].replace(":", "")
            offset = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        return datetime(int(y), int(m), int(d), int(hh), int(mm), int(ss or 0), tzinfo=offset)
    except ValueError:
        return None


def _none_on_bad_values(parse):
    """Out-of-range fields ("昨天 25:61", "99999999天前", month 13) mean no date, not a crash."""
    @functools.wraps(parse)
    def safe(*args):
        try:
            return parse(*args)
        except (ValueError, OverflowError):
            return None
    return safe


@_none_on_bad_values
def parse_absolute(text: str) -> datetime | date | None:
    """The first absolute date in ``text`` (ISO, 2023年2月3日 10:20, Feb 3, 2023, RFC 2822)."""
    match = P.NUMERIC_DATE.search(text)
    if match:
        return _build(match["y"], match["m"], match["d"], match["H"], match["M"], match["S"], match["tz"])
    try:
        return parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        pass
    match = P.ENGLISH_DATE.search(text)
    month = match and MONTHS.get((match["mon1"] or match["mon2"])[:3].lower())
    return _build(match["y1"] or match["y2"], month, match["d1"] or match["d2"]) if month else None


def _anchor_date(anchor: datetime, months_back: int) -> date:
    index = anchor.year * 12 + anchor.month - 1 - months_back
    return date(index // 12, index % 12 + 1, min(anchor.day, 28))


def _nearest_year(month: int, day: int, approx: date, fetched: date) -> date | None:
    """The month-day date closest to ``approx`` that is not after ``fetched``."""
    options = []
    for year in (approx.year - 1, approx.year, approx.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= fetched:
            options.append(candidate)
    return min(options, key=lambda c: abs((c - approx).days), default=None)


@_none_on_bad_values
def parse_relative(text: str, fetched_at: datetime) -> datetime | date | None:
    """Resolve "3小时前", "昨天 10:20", "9个月前 (09-30)", "2 hours ago" against ``fetched_at``.

    Month and year offsets are too coarse on their own: they resolve only
    with a month-day next to them, and otherwise give None.
    """
    match = P.RELATIVE_TIME.search(text)
    if not match:
        return None
    rest = text[match.end():]
    if match["day"] or match["eday"]:
        day = fetched_at.date() - timedelta(days=DAY_OFFSETS[(match["day"] or match["eday"]).lower()])
        clock = P.TIME.search(match["hm"] or rest)
        if not clock:
            return day
        return datetime(day.year, day.month, day.day, int(clock["H"]), int(clock["M"]), tzinfo=fetched_at.tzinfo)
    raw_count = (match["num"] or match["enum"]).lower()
    count = 1 if raw_count in ("a", "an", "one") else int(raw_count)
    unit = (match["unit"] or match["eunit"]).lower()
    if unit in UNIT_SECONDS:
        return (fetched_at - timedelta(seconds=count * UNIT_SECONDS[unit])).replace(second=0, microsecond=0)
    if unit in UNIT_DAYS:
        approx = fetched_at.date() - timedelta(days=count * UNIT_DAYS[unit])
    else:
        approx = _anchor_date(fetched_at, count * UNIT_MONTHS[unit])
    month_day = P.MONTH_DAY.search(rest)
    if month_day:
        return _nearest_year(int(month_day["m"]), int(month_day["d"]), approx, fetched_at.date())
    return approx if unit in UNIT_DAYS else None


def is_plausible(value: datetime | date, fetched_at: datetime | None) -> bool:
    """Not before 1995 and not after the fetch."""
    day = value.date() if isinstance(value, datetime) else value
    if day < EARLIEST:
        return False
    if fetched_at is None:
        fetched_at = datetime.now(timezone.utc)
    if not isinstance(value, datetime):
        return day <= fetched_at.date()
    if value.tzinfo and fetched_at.tzinfo:
        return value <= fetched_at + SKEW
    return value.replace(tzinfo=None) <= fetched_at.replace(tzinfo=None) + NAIVE_SLACK


def to_iso(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def parse_date(text: str | None, fetched_at: datetime | None = None) -> str | None:
    """``text`` as an ISO date if it holds a plausible absolute or (with fetched_at) relative date."""
    text = (text or "").strip()
    if not text or len(text) > MAX_DATE_VALUE:
        return None
    value = parse_absolute(text)
    if value is None and fetched_at is not None:
        value = parse_relative(text, fetched_at)
    if value is None or not is_plausible(value, fetched_at):
        return None
    return to_iso(value)


def _json_ld_dates(tree) -> list[str]:
    found = []
    for raw in tree.xpath(JSON_LD_XPATH):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    found.append(item["datePublished"])
                stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
    return found


def metadata_dates(tree) -> list[str]:
    """Published-time values from <meta>, JSON-LD and <time datetime>, most explicit first."""
    found = []
    for meta in tree.xpath(META_XPATH):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key in PUBLISHED_META:
            found.append(meta.get("content"))
    found += _json_ld_dates(tree)
    for node in tree.xpath(TIME_XPATH):
        if node.get("itemprop", "").lower() == "datepublished" or node.get("pubdate") is not None:
            found.append(node.get("datetime"))
    return found


def find_published_at(*, metadata: list[str] = (), date_lines: list[str] = (), date_hint: str | None = None,
                      fetched_at: datetime | None = None) -> str | None:
    """The publication date, from the most trustworthy source that gives a plausible one.

    Order: the page's published-time metadata; an absolute date on its date
    line; the linking feed/list entry's date (``date_hint``, often fuller than
    a republisher's "9个月前 (09-30)"); finally a relative date line.
    """
    for text in metadata:
        found = parse_date(text, fetched_at)
        if found:
            return found
    for text in date_lines:
        value = parse_absolute(text)
        if value is not None and is_plausible(value, fetched_at):
            return to_iso(value)
    found = parse_date(date_hint, fetched_at)
    if found:
        return found
    if fetched_at is not None:
        for text in date_lines:
            value = parse_relative(text, fetched_at)
            if value is not None and is_plausible(value, fetched_at):
                return to_iso(value)
    return None
