"""Extractor agreement: edge lines no other extractor found are cut, the rest is kept."""

from cleaners.agreement import trim_unsupported_edges, support
from cleaners.text import clean_text

STORY = [
    "The council voted on Tuesday to expand the riverside park by twelve hectares after three years of debate.",
    "Supporters said families would get playing fields and a wetland walk, while opponents wanted road repairs.",
    "Work on the first section begins next spring and the whole park should open the following summer.",
]
TEASER = "Watch: our reporters explain the week in ninety seconds, every Friday on the channel."
PROMO = "Most readers of this story went on to read about the new bus timetable for the winter."
WITNESS = "\n".join(STORY)


def test_unsupported_edge_lines_are_cut_and_reported():
    result = trim_unsupported_edges([TEASER, *STORY, PROMO], [WITNESS])
    assert result.lines == STORY
    assert [r.text for r in result.removals] == [TEASER, PROMO]
    assert {r.cleaner for r in result.removals} == {"extractor_agreement"}


def test_supported_edges_and_unsupported_interior_lines_stay():
    lines = [STORY[0], PROMO, *STORY[1:]]
    result = trim_unsupported_edges(lines, [WITNESS])
    assert result.lines == lines and not result.removals


def test_any_witness_is_enough():
    result = trim_unsupported_edges([TEASER, *STORY], ["", WITNESS, TEASER])
    assert result.lines == [TEASER, *STORY]


def test_nothing_cut_when_witnesses_disagree_too_much():
    # No line supported at all: the witness saw another page region.
    assert trim_unsupported_edges(STORY, [TEASER]).lines == STORY
    # The trim would remove more than half of the text.
    long_tail = [STORY[0], PROMO * 3, TEASER * 3]
    assert trim_unsupported_edges(long_tail, [STORY[0]]).lines == long_tail
    # No witness text at all.
    assert trim_unsupported_edges([TEASER, *STORY], ["", "  "]).lines == [TEASER, *STORY]


def test_short_lines_must_occur_whole_in_a_witness():
    heading = "Park grows"
    assert trim_unsupported_edges([heading, *STORY], [f"{heading}\n{WITNESS}"]).lines == [heading, *STORY]
    assert trim_unsupported_edges(["Read next", *STORY], [WITNESS]).lines == STORY
    assert support("Park grows", "Big Park grows again") == 1.0
    assert support("Park grow", "Big Park grows again") == 0.0


def test_cjk_lines_are_compared_character_by_character():
    story = ["12月15日，北京市西城区嘉茂购物中心施工现场发生火灾。截至记者发稿时，大火已被扑灭。",
             "消防部门表示，火灾原因正在调查之中，现场没有人员伤亡的报告。"]
    tail = "上海滩微博爆料或短信爆料，一经采用最高奖励五百元"
    result = trim_unsupported_edges([*story, tail], ["\n".join(story)])
    assert result.lines == story
    # A witness with slightly different punctuation and spacing still supports the line.
    assert support(story[0], story[0].replace("，", " ")) == 1.0


def test_lazy_witness_runs_only_when_an_edge_is_in_doubt():
    calls = []

    def costly():
        calls.append(1)
        return f"{TEASER}\n{WITNESS}"

    assert trim_unsupported_edges(STORY, [WITNESS, costly]).lines == STORY
    assert calls == []
    assert trim_unsupported_edges([TEASER, *STORY, PROMO], [WITNESS, costly]).lines == [TEASER, *STORY]
    assert calls == [1]


def test_reprint_disclaimers_are_dropped_and_story_sentences_stay():
    disclaimers = [
        "• 凡注明为其他媒体来源的信息，均为转载自其他媒体，转载并不代表本网赞同其观点，也不代表本网对其真实性负责。",
        "【免责声明】本文仅代表作者本人观点，与本网无关。请读者仅作参考，并请自行承担全部责任。",
        "免責聲明：本文所載資料僅供參考，并不構成投資建議。",
        "| ② | 凡本網注明“來源：XXX”的作品，均轉載自其它媒體，轉載目的在于傳遞更多信息，並不代表本網讚同其觀點。 |",
        "This copy is for your personal, non-commercial use only. To order presentation-ready copies, visit our site.",
    ]
    story = [
        "他表示，这一说法并不代表政府的立场，最终方案仍在讨论之中。",
        "凡是注明产地的进口商品，都要接受检验检疫部门的抽查。",
        "该报告仅代表作者观点，专家称有关部门将另行发布正式评估。",
    ]
    cleaned = clean_text("\n".join([story[0], *disclaimers, *story[1:]]))
    assert cleaned.lines == story
    assert {r.cleaner for r in cleaned.removals} == {"copyright_notices"}
