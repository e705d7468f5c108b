"""Publication dates: parse, resolve relative dates, pick the trustworthy one.

Output is ISO 8601: with the source's UTC offset when it gives one, naive
when it gives a time without an offset, and a plain "YYYY-MM-DD" when it gives
only a date (never shifted to UTC, which could move it to another day).
Dates in the future (relative to ``fetched_at``) or before 1995 are rejected:
NULL beats a wrong date. :func:`find_published_at` weighs the signals a page
gives (published-time markup, the date printed in its article header, its
URL, the linking feed/list entry) and takes a date only when they agree;
htmldate's search of the whole page only for a page that states none. Never
from body text.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from htmldate import find_date
from htmldate.extractors import try_date_expr

from cleaners import patterns as P

EARLIEST = date(1995, 1, 1)
EARLIEST_MOMENT = datetime.combine(EARLIEST, datetime.min.time())  # the same, as htmldate takes it
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

# Published-time <meta> names and properties (an itemprop="datePublished" <meta> is an itemprop signal).
PUBLISHED_META = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "pubdate", "publishdate", "publish_date", "publish-date", "publication_date", "publishtime",
    "sailthru.date", "dc.date", "dc.date.issued", "dcterms.created", "date", "parsely-pub-date",
    "article.published", "cxenseparse:recs:publishtime", "weibo: article:create_at",
)
META_XPATH = "//meta[@content][@property or @name]"
JSON_LD_XPATH = "//script[@type='application/ld+json']/text()"
ITEMPROP_XPATH = "//*[translate(@itemprop, 'DP', 'dp') = 'datepublished'] | //time[@pubdate][@datetime]"

# Where a date came from (articles.date_source), strongest first: markup that names the publication
# date, then what the reader sees under the headline, then the URL, the linking feed or list, and
# last a relative date under the headline or htmldate's search of the whole page.
SOURCES = ("itemprop", "jsonld", "meta", "header_line", "url", "feed", "relative", "htmldate")
# The day htmldate completes a month and year with.
MONTH_ONLY_DAY = "-01"
# A text without spaces longer than "27.01.2022" is a file name or glued text, not a date line.
BARE_DATE = 12
# The votes that may disagree with a source's date without making it NULL: the linking feed, sitemap or
# list date is a hint (a sitemap's lastmod is a modified time), and the date printed under the headline
# stands against JSON-LD and <meta> too.
OVERRULED = {source: ("feed",) for source in SOURCES} | {"header_line": ("jsonld", "meta", "feed")}
# Two timestamps this close are one moment (a page states its time in UTC and in local time).
SAME_MOMENT = timedelta(minutes=2)
# The UTC offsets in use: a UTC time falls on a local day this far either side.
OFFSETS = (timedelta(hours=-12), timedelta(hours=14))


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
    if P.RFC_2822_DATE.match(text):
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


@dataclass(frozen=True)
class Dated:
    """A publication date (ISO 8601) and how it was found (one of SOURCES)."""

    value: str
    source: str


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
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    found.append(item["datePublished"])
                stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
    return found


def markup_dates(tree) -> list[tuple[str, str]]:
    """``(source, text)`` of the published-time markup: itemprop="datePublished" and <time pubdate>
    (on the element the reader sees), JSON-LD ``datePublished``, then <meta> published times."""
    found = [("itemprop", node.get("content") or node.get("datetime") or node.text_content())
             for node in tree.xpath(ITEMPROP_XPATH)]
    found += [("jsonld", text) for text in _json_ld_dates(tree)]
    for meta in tree.xpath(META_XPATH):
        if (meta.get("property") or meta.get("name")).strip().lower() in PUBLISHED_META:
            found.append(("meta", meta.get("content")))
    return found


def url_date(url: str | None) -> str | None:
    """The Y/M/D date in a URL's path ("/2023/02/03/…")."""
    match = P.URL_DATE.search(url or "")
    return match and f"{match['y']}-{int(match['m'] or match['m2']):02d}-{int(match['d'] or match['d2']):02d}"


def htmldate_day(tree, fetched_at: datetime | None) -> str | None:
    """htmldate's original (publication) day of ``tree``, not after the fetch, when its fast mode
    (markup and timestamps only) and its extensive search (free text too) find the same day, and that
    day is not the 1st (which htmldate gives for a month alone: "Juli 2020").

    The fast mode runs first, and the extensive search (slower: it may
    call dateparser) only when that found a day. Given an empty URL, so that
    the answer is htmldate's own reading of the page and not the URL's date
    (a signal of its own here).
    """
    options = {"original_date": True, "url": "", "min_date": EARLIEST_MOMENT, "max_date": _latest(fetched_at)}
    fast = find_date(tree, extensive_search=False, **options)
    if not fast or fast.endswith(MONTH_ONLY_DAY):
        return None
    return fast if find_date(tree, extensive_search=True, **options) == fast else None


def _latest(fetched_at: datetime | None) -> datetime:
    """The latest moment a date may name, as htmldate takes it (naive)."""
    return (fetched_at or datetime.now(timezone.utc)).replace(tzinfo=None)


def header_line_date(text: str, fetched_at: datetime | None) -> datetime | date | None:
    """The absolute date a visible date line under the headline shows, with htmldate's parser for the
    forms ours does not read ("19. Oktober 2019", "30 septembre 2018", "27.01.2022"). Not capped in
    length like a metadata value: a date line may hold other text, and our patterns are linear."""
    value = parse_absolute(text) if text else None
    if value is None and text and len(text) <= MAX_DATE_VALUE and (" " in text or len(text) <= BARE_DATE) \
            and not P.GLUED_DIGITS.search(text):
        day = try_date_expr(text, "%Y-%m-%d", False, EARLIEST_MOMENT, _latest(fetched_at))
        value = day and date.fromisoformat(day)
    return value if value is not None and is_plausible(value, fetched_at) else None


def _absolute(text: str | None) -> datetime | date | None:
    text = (text or "").strip()
    return parse_absolute(text) if text and len(text) <= MAX_DATE_VALUE else None


def _day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _utc_day(value: datetime | date) -> date:
    """The UTC day of an aware moment, else the day (htmldate gives the day a page's markup states, in
    whatever zone that states it)."""
    return value.astimezone(timezone.utc).date() if isinstance(value, datetime) and value.tzinfo else _day(value)


def _is_utc(value: datetime | date) -> bool:
    return isinstance(value, datetime) and value.utcoffset() == timedelta(0)


def agree(a: datetime | date, b: datetime | date) -> bool:
    """The same day, or the same moment: one moment in UTC and the page's local time (an offset or a
    visible day) may fall on two days."""
    if _day(a) == _day(b) or _utc_day(a) == _utc_day(b):
        return True
    for utc, local in ((a, b), (b, a)):
        if not _is_utc(utc) or _is_utc(local):
            continue
        if isinstance(local, datetime) and local.tzinfo:
            return abs(local - utc) <= SAME_MOMENT
        moment = utc.replace(tzinfo=None)
        return _day(local) in {(moment + offset).date() for offset in OFFSETS}
    return False


def _local_first(chosen: tuple[str, datetime | date], votes: list[tuple[str, datetime | date]]) -> Dated:
    """The chosen vote, or when it is a UTC time, an agreeing vote that states the page's local time or
    day (a UTC time after local midnight falls on the next day)."""
    source, value = chosen
    if _is_utc(value):
        local = [(s, v) for s, v in votes if not _is_utc(v) and _day(v) != _day(value) and agree(v, value)]
        source, value = local[0] if local else chosen
    return Dated(to_iso(value), source)


def find_published_at(*, markup: list[tuple[str, str]] = (), header_lines: list[str] = (), url: str | None = None,
                      date_hint: str | None = None, htmldate: Callable[[], str | None] = lambda: None,
                      fetched_at: datetime | None = None) -> Dated | None:
    """The publication date the page's signals agree on, with its source; None when they disagree.

    Each source gives one vote, its first plausible date (a page's later
    itemprop or JSON-LD dates are its comments' and related stories'; its
    first dated header line is the one under the headline). The strongest
    vote (SOURCES order) is taken when every other agrees with it (the
    linking feed's date is only a hint: it makes no page date NULL); else the
    date printed under the headline, when only JSON-LD and <meta> (often a
    modified or first-draft time) say otherwise. Otherwise NULL, which beats a
    wrong date. Only a page that states no date at all is left to a
    relative date under its headline ("3小时前", "9个月前 (02-02)": too coarse
    to vote against a stated date), then to htmldate's search (``htmldate``,
    called only then).
    """
    votes = _votes(markup, header_lines, url, date_hint, fetched_at)
    if not votes:
        return _fallback(header_lines, htmldate, fetched_at)
    for source, value in (votes[0], *(vote for vote in votes if vote[0] == "header_line")):
        if all(agree(value, other) for other_source, other in votes if other_source not in OVERRULED[source]):
            return _local_first((source, value), votes)
    return None


def _votes(markup, header_lines, url, date_hint, fetched_at) -> list[tuple[str, datetime | date]]:
    """``(source, value)``: each source's first plausible stated date, strongest source first."""
    found = [(source, _absolute(text)) for source, text in markup]
    found += [("header_line", header_line_date(text, fetched_at)) for text in header_lines]
    found += [("url", _absolute(url_date(url))), ("feed", _absolute(parse_date(date_hint, fetched_at)))]
    first = {}
    for source, value in found:
        if value is not None and is_plausible(value, fetched_at):
            first.setdefault(source, value)
    return sorted(first.items(), key=lambda item: SOURCES.index(item[0]))


def _fallback(header_lines, htmldate, fetched_at) -> Dated | None:
    """A relative date under the headline, else htmldate's day."""
    for text in header_lines:
        if found := parse_date(text, fetched_at):
            return Dated(found, "relative")
    found = _absolute(htmldate())
    return Dated(to_iso(found), "htmldate") if found is not None and is_plausible(found, fetched_at) else None
