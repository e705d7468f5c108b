"""The cleaners on hostile input: long runs of digits, spaces, '年' or '-' where a date, a title or
a contact line is looked for. Each must give the answer it gives on the short form (the patterns
are linear; these tests assert what comes out, never how long it took)."""

from datetime import datetime, timedelta, timezone

import pytest

from cleaners import dates
from cleaners.text import clean_text
from cleaners.title import clean_title

FETCHED = datetime(2024, 6, 20, 12, 0, tzinfo=timezone.utc)
RUN = 20_000
RUNS = ["1" * RUN, " " * RUN, "年" * RUN, "-" * RUN, "1年" * (RUN // 2), "1-" * (RUN // 2), "1 " * (RUN // 2)]


@pytest.mark.parametrize("run", RUNS, ids=["digits", "spaces", "nian", "dashes", "digit-nian", "digit-dash",
                                           "digit-space"])
def test_a_date_value_of_20_kb_is_not_a_date(run):
    assert dates.parse_date(run, FETCHED) is None
    assert dates.find_published_at(markup=[("meta", run), ("meta", "2023-02-03T10:20:00+08:00")], date_hint=run,
                                   fetched_at=FETCHED) == dates.Dated("2023-02-03T10:20:00+08:00", "meta")


def test_a_digit_run_too_long_for_a_count_is_not_a_relative_date():
    assert dates.parse_relative("1" * RUN + "天前 3小时前", FETCHED) == FETCHED - timedelta(hours=3)
    assert dates.parse_relative("1" * RUN + " days ago, 2 hours ago", FETCHED) == FETCHED - timedelta(hours=2)
    assert dates.parse_relative("654321秒前", FETCHED) == (FETCHED - timedelta(seconds=654321)).replace(second=0)


@pytest.mark.parametrize("run", RUNS[:4], ids=["digits", "spaces", "nian", "dashes"])
def test_date_lines_around_long_runs_keep_their_date(run):
    line = f"{run} 2023年3月7日 10:20 来源:新华网"
    assert dates.find_published_at(header_lines=[line], fetched_at=FETCHED) == dates.Dated("2023-03-07T10:20:00",
                                                                                          "header_line")


def test_long_runs_in_text_lines_keep_the_story():
    story = ["天津土地市场日报：3月7日成交地块一览，滨海新区领跑全市。", "本次共成交地块12宗，总成交面积约56万平方米。"]
    hostile = ["1" * RUN, "编辑:张三" + " " * RUN + "x", "。" + "\u3000" * RUN + "x", "联系 " + "a" * RUN + "@"]
    cleaned = clean_text("\n".join([story[0], *hostile, story[1]]))
    assert [line for line in cleaned.lines if line in story] == story


def test_a_long_site_name_still_strips_the_title_suffix():
    assert clean_title("天津土地市场日报 - 新华网", site_names=("新华网" * 7000,))[0] == "天津土地市场日报"
    assert clean_title("天津土地市场日报" + " |" * RUN)[0].startswith("天津土地市场日报")
