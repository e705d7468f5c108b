"""`newsrake extract FILE` on article pages built to make date patterns slow: a 20 KB run of digits in
the date metadata, or long runs of digits in the text. The good text and the real date come out under
the default NEWSRAKE_EXTRACT_TIMEOUT (what is asserted is the result, not the time)."""

import json

from tests.helpers import newsrake

STORY = [
    "天津土地市场日报：3月7日共成交地块12宗，总成交面积约56万平方米，滨海新区成交面积领跑全市。",
    "其中，滨海新区中新生态城一宗住宅用地经过多轮竞价，最终以溢价百分之十五成交，创下本年度新高。",
    "业内人士表示，近期土地市场回暖明显，房企拿地意愿增强，预计二季度成交量将继续保持增长势头。",
    "市规划和自然资源局表示，下一步将继续优化供地结构，保障重点项目和民生工程的用地需求。",
]
DIGITS = "1" * 20_000


def page(head: str = "", extra_paragraphs: tuple[str, ...] = ()) -> str:
    body = "".join(f"<p>{p}</p>" for p in (STORY[0], *extra_paragraphs, *STORY[1:]))
    return (f"<html><head><meta charset='utf-8'><title>滨海新区土地成交领跑全市</title>{head}</head><body>"
            f"<h1>滨海新区土地成交领跑全市</h1><article>{body}</article></body></html>")


def extract(tmp_path, html: str) -> dict:
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    result = newsrake("extract", path, "--json", check=True)
    return json.loads(result.stdout)


def test_a_20_kb_digit_run_in_the_date_metadata_costs_no_article(tmp_path):
    head = (f"<meta property='article:published_time' content='{DIGITS}'>"
            f"<meta name='pubdate' content='{DIGITS}天前'>"
            f"<script type='application/ld+json'>{{\"datePublished\": \"{DIGITS}\"}}</script>"
            "<meta name='date' content='2023-03-07 10:20'>")
    article = extract(tmp_path, page(head))
    assert article["text"] == "\n".join(STORY)
    assert article["published_at"] == "2023-03-07T10:20:00"


def test_long_digit_runs_in_the_text_cost_no_article(tmp_path):
    runs = (DIGITS, "1年" * 10_000 + "前", "2023-" * 4_000, "3 " * 10_000 + "小时前")
    article = extract(tmp_path, page(extra_paragraphs=runs))
    lines = article["text"].splitlines()
    assert [line for line in lines if line in STORY] == STORY


def test_a_page_that_states_no_date_is_searched_by_htmldate_and_keeps_its_article(tmp_path):
    """No date in the markup, header or URL: htmldate searches the page, hostile runs and all."""
    runs = ("Jan 1 " * 4_000, "12/" * 7_000, "2023-" * 4_000, "1.1." * 5_000)
    article = extract(tmp_path, page(extra_paragraphs=runs).replace("</article>", "<p>2023-03-07 10:20</p></article>"))
    lines = article["text"].splitlines()
    assert [line for line in lines if line in STORY] == STORY
    assert (article["published_at"], article["date_source"]) == ("2023-03-07", "htmldate")
