"""Title cleaning and publication-date resolution."""

from datetime import date, datetime, timedelta, timezone

import lxml.html
import pytest

from cleaners import dates
from cleaners.title import clean_title

FETCHED = datetime(2024, 6, 20, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("raw, expected", [
    ("全球即时看!项目为王实干为先,市中区集中签约23个高端项目", "项目为王实干为先,市中区集中签约23个高端项目"),
    ("天天快看点丨济南各区县抢跑春天里", "济南各区县抢跑春天里"),
    ("环球热议:天津发布招商公告", "天津发布招商公告"),
    ("焦点热门:城事天津又一区发布重点推介地块!", "城事天津又一区发布重点推介地块!"),
    ("天津土地市场日报:3月7日挂牌地块成交", "天津土地市场日报:3月7日挂牌地块成交"),
    ("济南各区县抢跑“春天里”:党政一把手率队外出高质量项目密集签约",
     "济南各区县抢跑“春天里”:党政一把手率队外出高质量项目密集签约"),
])
def test_clickbait_prefix(raw, expected):
    assert clean_title(raw)[0] == expected


@pytest.mark.parametrize("raw, expected", [
    ("天津发布招商公告 - 天津厂房网", "天津发布招商公告"),
    ("沪指收涨1%_财经频道_大众资讯网", "沪指收涨1%"),
    ("Stocks rally as inflation cools | Example News", "Stocks rally as inflation cools"),
    ("Library hours extended | Sport | Example News", "Library hours extended"),
    ("内蒙古确保农牧民工工资基本无拖欠_要闻_正北方网", "内蒙古确保农牧民工工资基本无拖欠"),
])
def test_site_suffix_without_headline(raw, expected):
    title, removals = clean_title(raw)
    assert title == expected
    assert removals and removals[0].cleaner == "title_suffix"


def test_site_suffix_found_by_h1_agreement():
    title, _ = clean_title("Brexit talks stall again - The Wexford Chronicle", headings=("Brexit talks stall again",))
    assert title == "Brexit talks stall again"


def test_title_with_dash_kept_when_no_site_name():
    assert clean_title("Brexit - what happens next")[0] == "Brexit - what happens next"


def test_prefix_and_suffix_together():
    assert clean_title("全球即时看!项目为王实干为先 - 天津厂房网", headings=("全球即时看!项目为王实干为先",))[0] == "项目为王实干为先"


def test_title_falls_back_to_h1():
    assert clean_title(None, headings=("Only a headline",))[0] == "Only a headline"
    assert clean_title(None) == (None, [])


# --- dates -----------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("3小时前", "2024-06-20T09:00:00+00:00"),
    ("昨天 10:20", "2024-06-19T10:20:00+00:00"),
    ("前天", "2024-06-18"),
    ("2 hours ago", "2024-06-20T10:00:00+00:00"),
    ("3 days ago", "2024-06-17"),
    ("admin9个月前 (09-30)天津产业信息64", "2023-09-30"),
    ("1年前 (06-25)", "2023-06-25"),
])
def test_relative_dates_resolved_against_fetch_time(text, expected):
    assert dates.parse_date(text, FETCHED) == expected


def test_coarse_relative_date_without_day_is_null():
    assert dates.parse_date("9个月前", FETCHED) is None


@pytest.mark.parametrize("text, expected", [
    ("2023-02-03T10:20:00+08:00", "2023-02-03T10:20:00+08:00"),
    ("2023-02-03T23:30:00-05:00", "2023-02-03T23:30:00-05:00"),
    ("2023-02-03T10:20:00Z", "2023-02-03T10:20:00+00:00"),
    ("2023年2月3日 10:20", "2023-02-03T10:20:00"),
    ("2023-02-03", "2023-02-03"),
    ("发布时间:2023/02/03", "2023-02-03"),
    ("Feb 3, 2023", "2023-02-03"),
    ("Fri, 03 Feb 2023 10:20:00 +0800", "2023-02-03T10:20:00+08:00"),
])
def test_absolute_dates_keep_offset_and_date_only(text, expected):
    assert dates.parse_date(text, FETCHED) == expected


@pytest.mark.parametrize("text", ["2024-06-21", "2025-01-01T00:00:00+00:00", "1994-12-31", "2009-01-01", "garbage"])
def test_implausible_dates_rejected(text):
    fetched = datetime(2008, 6, 1, tzinfo=timezone.utc) if text == "2009-01-01" else FETCHED
    assert dates.parse_date(text, fetched) is None


def found(**signals) -> tuple[str, str] | None:
    result = dates.find_published_at(fetched_at=FETCHED, **signals)
    return result and (result.value, result.source)


def test_published_at_from_the_strongest_signal_when_the_others_agree():
    assert found(markup=[("meta", "2023-02-03T10:20:00+08:00")], header_lines=["2023-02-03"],
                 date_hint="2023-02-03") == ("2023-02-03T10:20:00+08:00", "meta")
    assert found(header_lines=["发布于 2022-05-06 08:00"], date_hint="2022-05-06") == ("2022-05-06T08:00:00", "header_line")
    # a republisher's relative date line loses to the list page's full date
    assert found(header_lines=["admin9个月前 (09-30)"], date_hint="2023-09-30 14:05") == ("2023-09-30T14:05:00", "feed")
    assert found(header_lines=["admin9个月前 (09-30)"]) == ("2023-09-30", "relative")


def test_published_at_null_when_the_signals_disagree():
    assert found(markup=[("meta", "2023-02-03T10:20:00+08:00")], url="https://example.com/2022/01/01/story") is None
    assert found(markup=[("itemprop", "2023-02-03")], url="https://example.com/2023/01/05/story") is None


def test_a_linking_feed_or_sitemap_date_is_a_hint_that_makes_no_page_date_null():
    # a sitemap's lastmod is the time of the last edit
    assert found(markup=[("jsonld", "2023-02-03")], date_hint="2023-02-05T08:00:00Z") == ("2023-02-03", "jsonld")
    assert found(date_hint="2023-02-05T08:00:00Z") == ("2023-02-05T08:00:00+00:00", "feed")


def test_the_date_printed_under_the_headline_beats_json_ld_and_meta_only():
    assert found(markup=[("jsonld", "2021-11-29T14:13:37+00:00")], header_lines=["ca. 8 Min. 12.01.2022"]) == (
        "2022-01-12", "header_line")
    assert found(markup=[("itemprop", "2021-11-29")], header_lines=["12.01.2022"]) is None


def test_published_at_null_rather_than_wrong():
    assert found(markup=[("meta", "2099-01-01")], date_hint="next week") is None


def test_markup_dates_from_itemprop_json_ld_and_meta():
    tree = lxml.html.fromstring(
        '<html><head><meta property="article:published_time" content="2023-02-03T10:20:00+08:00">'
        '<script type="application/ld+json">{"@graph": [{"datePublished": "2023-02-04"}]}</script></head>'
        '<body><time datetime="2023-02-05" itemprop="datePublished">Feb 5</time></body></html>')
    assert dates.markup_dates(tree) == [("itemprop", "2023-02-05"), ("jsonld", "2023-02-04"),
                                        ("meta", "2023-02-03T10:20:00+08:00")]


def test_naive_fetch_time_works():
    assert dates.parse_date("2小时前", datetime(2024, 6, 20, 12, 0)) == "2024-06-20T10:00:00"
    assert dates.is_plausible(date(2024, 6, 20), datetime(2024, 6, 20, 0, 1))
    assert not dates.is_plausible(datetime(2024, 6, 22, 0, 0), datetime(2024, 6, 20) + timedelta(hours=12))


@pytest.mark.parametrize("text", ["昨天 25:61", "today 99:99", "99999999天前", "1000000年前 (09-30)", "2023-13-45"])
def test_out_of_range_dates_give_null_not_an_error(text):
    assert dates.parse_date(text, datetime(2023, 3, 1, tzinfo=timezone.utc)) is None
