"""No story lost to a cleaner: each heuristic keeps story-sized blocks and lines, and still removes its boilerplate."""

import lxml.html
import pytest

from cleaners import html as H
from cleaners import text as T

STORY = [
    "The harbour authority said on Monday that the old quay wall cracked in the storm and must be rebuilt.",
    "Ferry operators moved their boats to the north pier, where passengers now board from a floating pontoon.",
    "Traders at the fish market said the closure cost them a third of their sales during the winter weeks.",
    "Engineers expect the repairs to take eight months and to cost more than the council first planned.",
]


def page(body: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><body>{body}</body></html>")


def linked(sentence: str) -> str:
    """The sentence with every word a link: a story paragraph made mostly of anchors."""
    return " ".join(f"<a href='/w/{i}'>{word}</a>" for i, word in enumerate(sentence.split()))


def test_link_dense_blocks_keeps_a_story_container_whose_paragraphs_are_mostly_links():
    story = "".join(f"<p>{linked(s)}</p>" for s in STORY)
    tree = page(f"<div class='story'>{story}</div>"
                "<ul class='menu'><li><a href='/a'>News</a></li><li><a href='/b'>Sport</a></li>"
                "<li><a href='/c'>Weather</a></li></ul>")
    removals = H.drop_link_dense_blocks(tree)
    text = H.text_of(tree)
    assert all(s in text for s in STORY)
    assert [r.text for r in removals] == ["NewsSportWeather"]


def test_comment_areas_keeps_article_paragraphs_inside_a_comment_looking_class():
    story = "".join(f"<p>{s}</p>" for s in STORY)
    tree = page(f"<div class='article comments-enabled'>{story}</div>"
                "<div class='comment-list'><p>Great read!</p><p>Agreed.</p></div>")
    removals = H.drop_comment_areas(tree)
    text = H.text_of(tree)
    assert all(s in text for s in STORY)
    assert "Great read!" not in text and [r.cleaner for r in removals] == ["comment_areas"]


def test_a_live_blog_keeps_every_timestamped_post():
    posts = "".join(f"<div class='comment-entry'><time>10:{i:02d}</time><p>{s}</p></div>" for i, s in enumerate(STORY))
    tree = page(f"<div class='liveblog'>{posts}</div><div id='comments'><p>First!</p></div>")
    H.drop_comment_areas(tree)
    text = H.text_of(tree)
    assert all(s in text for s in STORY)
    assert "First!" not in text


def test_a_code_line_is_not_a_breadcrumb_trail():
    tree = page("<p>Install it:</p><pre><code>Home &gt; src &gt; run.sh</code></pre>"
                "<div>Home &gt; News &gt; World</div>")
    removals = H.drop_breadcrumbs(tree)
    assert [r.text for r in removals] == ["Home > News > World"]
    assert "run.sh" in H.text_of(tree)
    assert T.breadcrumbs(["cp config.toml /home/user/.config/newsrake/"]).removals == []
    assert T.breadcrumbs(["Home / News / World"]).lines == []


@pytest.mark.parametrize("line", ["By Jane Doe, jane.doe@example.org", "Jane Doe | jane.doe@example.org"])
def test_contact_ads_keeps_an_articles_own_email_line(line):
    assert T.contact_ads([line]).lines == [line]


@pytest.mark.parametrize("line", ["投稿邮箱:news@example.com", "Email: tips@example.com", "或微信/手机:13391219793"])
def test_contact_ads_still_removes_a_contact_ad(line):
    assert T.contact_ads([line]).lines == []


@pytest.mark.parametrize("line, kept", [
    ("本文来源:示例网 转载请保留链接", ""),
    ("转载请注明出处", ""),
    ("（原文来源：示例日报，转载请注明）", ""),
    ("欢迎转载，请注明来源：示例网", ""),
    ("项目将于明年投产。本文来源:示例网 转载请保留链接", "项目将于明年投产。"),
    ("签约仪式在上午举行。 转载请注明出处和链接", "签约仪式在上午举行。"),
    ("本文來源:示例網 轉載請保留鏈接", ""),
])
def test_reprint_notice_is_removed_as_a_line_and_as_a_line_tail(line, kept):
    result = T.copyright_notices([line])
    assert result.lines == ([kept] if kept else [])
    assert result.removals and result.removals[0].cleaner == "copyright_notices"


@pytest.mark.parametrize("line", [
    "他说，转载请注明出处是网络写作的基本规矩。",
    "该网站未经许可转载了大量新闻作品，被法院判赔十万元。",
    "记者注意到，这些消息的来源不明，却被多家网站转载。",
    "原文来源于一位读者的来信，编辑部核实后刊发。",
])
def test_a_story_sentence_mentioning_reprints_or_sources_stays(line):
    assert T.clean_text(line).lines == [line]


def test_layout_rows_are_unwrapped_and_their_repeat_of_the_story_dropped():
    story = STORY[0]
    result = T.layout_rows([story, "|  |  |", f"| {story} (Harbour Daily) |", "| Name | Value |", "| 【打印】 |  |"])
    assert result.lines == [story, "| Name | Value |", "【打印】"]
    assert [r.cleaner for r in result.removals] == ["layout_rows"]


def test_a_layout_row_is_checked_against_every_line_above_it_also_after_an_earlier_row():
    result = T.layout_rows([STORY[0], f"| {STORY[1]} |", STORY[2], f"| {STORY[2]} |", f"| {STORY[1]} |"])
    assert result.lines == STORY[:3]
    assert [r.text for r in result.removals] == [STORY[2], STORY[1]]


def test_the_largest_text_block_is_found_again_after_pruning():
    tree = page(f"<div id=a><p>{STORY[0]}</p><p class=x>{STORY[1]}</p><p class=x>{STORY[2]}</p></div>"
                f"<div id=b><p>{STORY[3]}</p><p>{STORY[1]}</p></div>")
    blocks = H.TextBlocks(tree)
    assert blocks.largest().get("id") == "a"
    for paragraph in tree.xpath("//p[@class='x']"):
        paragraph.drop_tree()
    assert blocks.largest().get("id") == "b"  # "a" shrank below "b"
    tree.xpath("//div[@id='b']")[0].drop_tree()
    assert blocks.largest().get("id") == "a"  # "b" left the page


@pytest.mark.parametrize("line", ["【字號 大 中 小】 【打印】 【關閉】", "字号：T|T", "本文共分2页 当前是第 1 页 首页 尾页", "1     2"])
def test_page_tool_lines_are_dropped(line):
    assert T.clean_text(line).lines == []


def test_page_tools_are_cut_from_a_line_tail_and_the_editor_line_still_lifted():
    result = T.clean_text("( 编辑： 张三 ) 【字号：大 中 小】【打印】【关闭】")
    assert result.lines == [] and result.meta["editor"] == "张三"


def test_traditional_lines_meet_the_same_rules():
    result = T.clean_text("\n".join([*STORY, "相關新聞", "另一則新聞的標題", "責任編輯：王小明"]))
    assert result.lines == STORY


@pytest.mark.parametrize("line", [
    "蔡英文 、 民進黨 、 國民黨 、 馬英九 、 宋楚瑜 、 親民黨 、 總統大選",
    "- 被爆食材劣等 燒肉店擬提..",
    "- 南京政法委书记：彭宇案不应被误读 评论5478条",
    "手机读报，精彩随身，移动用户发送到RMRB到10658000，订阅人民日报手机报。",
    "香港新聞現已開設Facebook專頁，快點到Facebook Like我們的專頁！[按此 Like]",
    "新华网版权与免责声明：",
    "仅供投资者参考，并不构成投资建议。投资者据此操作，风险自担。",
    "Get the day's top headlines delivered to your inbox every morning by subscribing to our newsletter.",
    "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
])
def test_portal_boilerplate_lines_are_dropped(line):
    assert T.clean_text(line).lines == []


@pytest.mark.parametrize("line", [
    "会议期间，民进党、国民党、亲民党的代表分别发言，讨论了预算、交通和教育等议题。",
    "He said the paper would keep its newsletter free for readers who subscribe before March.",
    "网友评论称，这项政策让小企业松了一口气。",
])
def test_story_lines_like_them_stay(line):
    assert T.clean_text(line).lines == [line]
