"""Text-level and HTML-level cleaners, each on its own, in both directions."""

import re

import lxml.html
import pytest

from cleaners import html as H
from cleaners import text as T
from pipeline.core.config import SiteConfig


def kept(cleaner, lines):
    return cleaner(lines).lines


def assert_drops(cleaner, line):
    result = cleaner([line])
    assert result.lines == [], f"{cleaner} kept {line!r}"
    assert [r.text for r in result.removals] == [line]
    assert result.removals[0].cleaner and result.removals[0].reason


def assert_keeps(cleaner, line):
    result = cleaner([line])
    assert result.lines == [line], f"{cleaner} dropped {line!r}"
    assert result.removals == []


@pytest.mark.parametrize("line", [
    "产业招商/厂房土地租售:400 0123 021",
    "或微信/手机:13391219793",
    "葛毅明微信号",
    "请说明您的需求、用途、税收、公司、联系人、手机号,以便快速帮您对接资源。",
    "长按/扫一扫加葛毅明的微信号",
    "扫一扫关注公众号",
    "联系电话:010-88889999 传真:010-88889998",
    "QQ:123456789",
    "投稿邮箱:news@example.com",
    "Tel: +1 212-555-0199",
    "Scan the QR code to follow us on WeChat",
])
def test_contact_ads_dropped(line):
    assert_drops(T.contact_ads, line)


@pytest.mark.parametrize("line", [
    "记者拨打该公司客服电话400-123-4567,无人接听。",
    "市民如遇问题,可拨打12345市民热线反映,相关部门将在24小时内答复。",
    "The company said customers could call 1-800-555-0100 for refunds, but many complained the line was busy.",
    "他的手机号码13800138000被人冒用,警方已立案调查。",
    "线路票价为全程10元,可以使用交通一卡通和手机扫码乘车。",
    "2月2日,平阴县举行2023年头部季度招商引资项目集中签约仪式。",
])
def test_contact_ads_keep_story_sentences(line):
    assert_keeps(T.contact_ads, line)


@pytest.mark.parametrize("line", [
    "版权声明:本文由天津厂房网发布,如需转载请注明出处。部份内容收集于网络,如有不妥之处请联系我们删除 400-0123-021 或 13391219793",
    "转载请注明出处。",
    "本站部分内容来源于网络,如有侵权请联系删除。",
    "© 2024 Example Media Group. All rights reserved.",
    "Copyright 2023 The Daily Example",
])
def test_copyright_notices_dropped(line):
    assert_drops(T.copyright_notices, line)


@pytest.mark.parametrize("line", [
    "法院审理认为,被告未经许可使用原告作品,构成著作权侵权,双方就版权声明的效力争议较大。",
    "The lawsuit claims the studio copied the song, and the copyright dispute could take years to resolve.",
])
def test_copyright_notices_keep_story_sentences(line):
    assert_keeps(T.copyright_notices, line)


@pytest.mark.parametrize("line", ["分享给朋友:", "分享到:微信 微博 QQ空间", "Share this article", "Share on Facebook Twitter"])
def test_share_widgets_dropped(line):
    assert_drops(T.share_widgets, line)


def test_share_widgets_keep_story_sentence():
    assert_keeps(T.share_widgets, "分享经济的快速发展,让更多人分享到了改革红利。")


@pytest.mark.parametrize("line", ["当前位置:首页 > 天津产业信息 > 正文内容", "您的位置:首页>新闻>国内", "Home > News > World >"])
def test_breadcrumbs_dropped(line):
    assert_drops(T.breadcrumbs, line)


def test_breadcrumbs_keep_story_sentence():
    assert_keeps(T.breadcrumbs, "他说,当前位置的选择对项目至关重要。")


@pytest.mark.parametrize("line", [
    "admin9个月前 (09-30)天津产业信息64",
    "2023-02-03 10:20 来源:新黄河 作者:张三 阅读:1024",
    "By Jane Doe · 2 hours ago · Politics",
    "Published 10:42 EST, 5 March 2019 | Updated 12:01 EST, 5 March 2019",
])
def test_post_meta_dropped(line):
    assert_drops(T.post_meta, line)


@pytest.mark.parametrize("line", [
    "1月28日,春节后上班首日,济南紧锣密鼓召开全市2023年“项目突破年”工作动员大会。",
    "On March 5, 2019, the council voted to approve the budget.",
    "聚焦“高精尖”广聚天下英才",
    "Melbourne d. Space Coast 69-54",
    "— The Nigerian Senate (@NGRSenate) October 9, 2018",
])
def test_post_meta_keeps_story_lines(line):
    assert_keeps(T.post_meta, line)


def test_post_meta_lifts_source():
    result = T.post_meta(["2023-02-03 10:20 来源:新黄河"])
    assert result.meta == {"source": "新黄河"}


@pytest.mark.parametrize("line", ["(相关资料图)", "(图片来源:视觉中国)", "【资料图】", "(Photo: Reuters)"])
def test_image_placeholders_dropped(line):
    assert_drops(T.image_placeholders, line)


def test_image_placeholders_keep_story_sentence():
    assert_keeps(T.image_placeholders, "(相关资料图显示,该地块位于河东区。)以及更多内容在后面。")


@pytest.mark.parametrize("line", ["关键词: 重点项目 生命周期 妇幼保健院", "Tags: politics, economy"])
def test_keyword_footers_dropped(line):
    assert_drops(T.keyword_footers, line)


def test_keyword_footers_keep_story_sentence():
    assert_keeps(T.keyword_footers, "济南市委书记刘强在会上强调了一个关键词——“项目”。")


@pytest.mark.parametrize("cleaner, line, key, value", [
    (T.editor_lines, "(责任编辑:张弘)", "editor", "张弘"),
    (T.editor_lines, "责任编辑:李明", "editor", "李明"),
    (T.source_lines, "来源:大众日报", "source", "大众日报"),
    (T.source_lines, "Source: Reuters", "source", "Reuters"),
    (T.original_title_lines, "原标题:天津北辰30+环内商住地块招商", "original_title", "天津北辰30+环内商住地块招商"),
])
def test_editor_source_title_lines_move_to_meta(cleaner, line, key, value):
    result = cleaner([line])
    assert result.lines == []
    assert result.meta == {key: value}


def test_source_line_keeps_story_sentence():
    assert_keeps(T.source_lines, "来源:据国家统计局最新数据,今年一季度经济增长5.3%。")


@pytest.mark.parametrize("line", ["ADVERTISEMENT", "Subscribe to our newsletter for daily updates",
                                  "We use cookies to improve your experience.", "广告"])
def test_ad_slots_dropped(line):
    assert_drops(T.ad_slots, line)


def test_ad_slots_keep_story_sentence():
    assert_keeps(T.ad_slots, "The advertisement campaign, which ran for six weeks, cost the party $2m.")


@pytest.mark.parametrize("line", ["Read more: Why the Fed is raising rates again", "相关阅读:天津首批60宗地块亮相"])
def test_related_links_dropped(line):
    assert_drops(T.related_links, line)


def test_related_links_keep_story_sentence():
    assert_keeps(T.related_links, "相关部门表示,将进一步加强监管。")


STORY = ["抓项目促发展,济南“新春头部会”锚定了“项目突破年”的全年工作基调。" * 3] * 4


@pytest.mark.parametrize("heading", ["相关文章", "【推荐阅读】", "Related stories", "You may also like"])
def test_related_list_tail_drops_heading_and_rest(heading):
    lines = STORY + [heading, "今年天津首批60宗地块亮相招商", "为打好“十四五”开局之战,支持天津市经济社会高质量发展。"]
    result = T.related_list_tail(lines)
    assert result.lines == STORY
    assert result.removals[0].text.startswith(heading)
    assert "十四五" in result.removals[0].text


def test_related_list_tail_ignores_heading_at_top_and_sentences():
    lines = ["相关阅读", *STORY, "相关部门表示,将进一步加强监管。"]
    assert T.related_list_tail(lines).lines == lines


def test_inline_related_cut_from_paragraph():
    result = T.inline_related(["今天天津市范围内供应与交易已全部网上审批。[延伸阅读:2009芜湖国有土地使用权出让情况一览]"])
    assert result.lines == ["今天天津市范围内供应与交易已全部网上审批。"]
    assert "2009芜湖" in result.removals[0].text


def test_site_patterns_drop_matching_lines():
    site = SiteConfig(name="t", drop_patterns=[re.compile(r"^本站微信群")])
    result = T.clean_text("正文第一段,讲述了事情的经过。\n本站微信群:欢迎加入", site)
    assert result.lines == ["正文第一段,讲述了事情的经过。"]
    assert result.removals[0].cleaner == "site_patterns"


def test_clean_text_keeps_ad_law_rewrites():
    text = "2月2日,平阴县举行2023年头部季度招商引资项目集中签约仪式。\n为蕞佳招商合伙人奖获得企业颁奖。"
    assert T.clean_text(text).lines == text.splitlines()


# --- HTML cleaners -----------------------------------------------------------

STORY_HTML = "".join(f"<p>Paragraph {i} of the story tells what happened in the city council today and why.</p>"
                     for i in range(10))


def page(extra: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(f"<html><body><div id='story'>{STORY_HTML}</div>{extra}</body></html>")


def body_text(tree) -> str:
    return H.text_of(tree)


def test_drop_site_selectors():
    tree = page("<div class='promo'>Buy our mugs</div>")
    site = SiteConfig(name="t", drop_selectors=["div.promo"])
    removals = H.drop_site_selectors(tree, site)
    assert [r.text for r in removals] == ["Buy our mugs"]
    assert "mugs" not in body_text(tree) and "Paragraph 9" in body_text(tree)


def test_drop_hidden():
    tree = page("<div style='display: none'>secret tracking text</div><span hidden>also hidden</span>")
    assert len(H.drop_hidden(tree)) == 2
    assert "secret" not in body_text(tree) and "Paragraph 0" in body_text(tree)


def test_drop_comment_areas_keeps_story():
    tree = page("<div id='comments'><p>Great article! -- Bob</p></div>")
    removals = H.drop_comment_areas(tree)
    assert removals[0].cleaner == "comment_areas"
    assert "Bob" not in body_text(tree) and "Paragraph 5" in body_text(tree)


def test_drop_share_bars():
    tree = page("<div class='bdsharebuttonbox'>分享到:<a>微信</a><a>微博</a></div>")
    assert H.drop_share_bars(tree)
    assert "微博" not in body_text(tree)


def test_drop_breadcrumbs_by_text_and_class():
    tree = lxml.html.fromstring(
        f"<html><body><div>当前位置:<a>首页</a> &gt; <a>天津产业信息</a> &gt; 正文内容</div>"
        f"<ol class='breadcrumb'><li><a>Home</a></li><li><a>World</a></li></ol><div>{STORY_HTML}</div></body></html>")
    removals = H.drop_breadcrumbs(tree)
    assert len(removals) == 2
    assert "当前位置" not in body_text(tree) and "World" not in body_text(tree)
    assert "Paragraph 3" in body_text(tree)


def test_drop_link_dense_blocks():
    related = "".join(f"<li><a href='/n/{i}'>Other headline number {i} about something</a></li>" for i in range(8))
    tree = page(f"<div class='more'><h3>Related</h3><ul>{related}</ul></div>")
    removals = H.drop_link_dense_blocks(tree)
    assert len(removals) == 1 and "Other headline number 7" in removals[0].text
    assert "Other headline" not in body_text(tree) and "Paragraph 9" in body_text(tree)


def test_link_dense_keeps_story_with_links():
    paragraphs = "".join(f"<p>The minister <a href='/a'>said</a> on Tuesday that the {i} plan would "
                         f"<a href='/b'>cut costs</a> and <a href='/c'>taxes</a> for families.</p>" for i in range(6))
    tree = lxml.html.fromstring(f"<html><body><div>{paragraphs}</div></body></html>")
    assert H.drop_link_dense_blocks(tree) == []


def test_html_cleaners_never_drop_the_main_story():
    tree = lxml.html.fromstring(f"<html><body><div id='comments' class='share'>{STORY_HTML}</div></body></html>")
    assert H.clean_html(tree) == []
    assert "Paragraph 9" in body_text(tree)


def test_repeated_headline_dropped_only_as_first_line():
    from cleaners.text import clean_text

    text = "天津港前两个月集装箱吞吐量同比增长8.6%\n记者3月5日获悉,天津港集装箱吞吐量同比增长8.6%。\n天津港前两个月集装箱吞吐量同比增长8.6%"
    cleaned = clean_text(text, headlines=("天津港前两个月集装箱吞吐量 同比增长8.6%", None))
    assert cleaned.lines == text.splitlines()[1:]
    assert [r.cleaner for r in cleaned.removals] == ["repeated_headline"]
    story = "Storm closes the harbour road\nThe harbour road was closed on Monday."
    assert clean_text(story, headlines=("Chip plant opens",)).lines == story.splitlines()
