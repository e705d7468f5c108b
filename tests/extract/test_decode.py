"""Decoding pages whatever their charset declarations say."""

import re

import pytest
from w3lib.encoding import resolve_encoding

from pipeline.extract.decode import decode_html

TEXT = "天津土地市场日报:3月7日成交地块一览,滨海新区领跑"


def page(meta=""):
    return f"<html><head>{meta}<title>{TEXT}</title></head><body><p>{TEXT}</p></body></html>"


@pytest.mark.parametrize("meta, content_type", [
    ('<meta charset="gbk">', None),  # only in <meta>
    ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "text/html"),  # GB2312 meta
    ("", None),  # no declaration at all
    ('<meta charset="gbk">', "text/html; charset=utf-8"),  # header wrong
    ("", "text/html; charset=iso-8859-1"),  # header wrong, no meta
    ("", "text/html; charset=gbk"),  # header right
])
def test_gbk_pages_decode(meta, content_type):
    text, encoding = decode_html(page(meta).encode("gbk"), content_type)
    assert TEXT in text
    assert encoding == "gb18030"


def test_gb18030_only_characters_survive_gb2312_label():
    body = page('<meta charset="gb2312">').replace("滨海", "滨海㐀").encode("gb18030")
    text, _ = decode_html(body, "text/html")
    assert "滨海㐀" in text


def test_utf8_wins_when_header_says_latin1():
    text, encoding = decode_html(page().encode("utf-8"), "text/html; charset=iso-8859-1")
    assert TEXT in text and encoding == "utf-8"


def test_override_and_bom():
    assert decode_html(page().encode("gbk"), "text/html; charset=utf-8", override="gbk")[0].count(TEXT) == 2
    text, _ = decode_html("\ufeff".encode("utf-8") + page().encode("utf-8"))
    assert text.startswith("<html>")


# --- the declared charset checked against the bytes -------------------------------------------------

# A news paragraph in each script, and a headline: the same story, written for each language.
SAMPLES = {
    "zh-hant": ("臺北延長泳池開放時間因應高溫",
                "臺北市政府今日宣布，為因應近期持續高溫的天氣，將延長市立游泳池及運動中心的開放時間，並在各區增設消暑據點，"
                "提供民眾免費飲水與休息空間。市府官員表示，氣象局預測本週氣溫仍將維持在攝氏三十六度以上，請民眾盡量避免在"
                "中午時段從事戶外活動，外出時應做好防曬措施並補充足夠水分。此外，社會局也將派員訪視獨居長者，確認其生活狀況，"
                "必要時協助安排送往避暑中心。市長在記者會上強調，市府已啟動跨局處應變機制，各單位將密切注意天氣變化，適時調整"
                "相關措施，確保市民的健康與安全。"),
    "ko": ("서울시, 폭염 대응해 수영장 운영 시간 연장",
           "서울시는 오늘 최근 계속되는 폭염에 대응하기 위해 시립 수영장과 체육센터의 운영 시간을 연장하고, 각 구에 무더위 "
           "쉼터를 추가로 설치한다고 밝혔다. 시 관계자는 기상청이 이번 주에도 기온이 섭씨 삼십육 도 이상을 유지할 것으로 "
           "예보했다며, 시민들에게 한낮에는 야외 활동을 자제하고 외출할 때는 자외선 차단제를 바르고 충분한 물을 마실 것을 "
           "당부했다. 또한 복지 담당 공무원들이 혼자 사는 노인들을 직접 방문해 건강 상태를 확인하고, 필요한 경우 무더위 "
           "쉼터로 안내할 계획이다. 시장은 기자회견에서 여러 부서가 함께 참여하는 비상 대응 체계를 가동했으며, 날씨 변화를 "
           "면밀히 지켜보면서 시민의 건강과 안전을 지키기 위한 조치를 계속 보완하겠다고 강조했다."),
    "ja": ("東京都、猛暑でプールの営業時間を延長",
           "東京都は本日、最近続いている猛暑に対応するため、都立プールやスポーツセンターの営業時間を延長し、各区に涼み処を"
           "新たに設けると発表した。都の担当者によると、気象庁は今週も気温が三十六度以上の日が続くと予想しており、都民に"
           "対して日中の屋外での活動をできるだけ控え、外出する際には日焼け止めを使い、こまめに水分を補給するよう呼びかけて"
           "いる。また、福祉局の職員が一人暮らしの高齢者の自宅を訪問して健康状態を確認し、必要に応じて涼み処へ案内する予定"
           "だ。知事は記者会見で、複数の部局が連携する緊急対応体制を立ち上げたと述べ、天候の変化を注意深く見守りながら、"
           "都民の健康と安全を守るための対策を引き続き強化していく考えを示した。"),
    "ru": ("Москва продлевает работу бассейнов из-за жары",
           "Мэрия Москвы сегодня объявила, что в связи с продолжающейся аномальной жарой городские бассейны и спортивные "
           "центры будут работать дольше обычного, а в каждом районе откроются дополнительные пункты охлаждения, где жители "
           "смогут бесплатно получить питьевую воду и отдохнуть в тени. По словам представителя городской администрации, "
           "синоптики ожидают, что на этой неделе температура воздуха будет держаться выше тридцати шести градусов, поэтому "
           "горожанам советуют по возможности не выходить на улицу в полуденные часы, пользоваться солнцезащитным кремом и "
           "пить больше воды. Кроме того, социальные работники будут навещать одиноких пожилых людей, чтобы узнать об их "
           "самочувствии и при необходимости помочь добраться до пунктов охлаждения. Мэр подчеркнул на пресс-конференции, "
           "что в городе введён режим повышенной готовности и все службы внимательно следят за изменением погоды."),
    "zh-hans": ("北京延长游泳馆开放时间应对高温",
                "北京市政府今天宣布，为应对近期持续的高温天气，将延长市属游泳馆和体育中心的开放时间，并在各区增设避暑点，"
                "为市民免费提供饮用水和休息场所。市政府有关负责人表示，气象部门预计本周气温仍将保持在三十六摄氏度以上，提醒"
                "市民尽量避免在中午时段进行户外活动，外出时做好防晒措施并及时补充水分。此外，民政部门将派工作人员走访独居"
                "老人，了解他们的生活情况，必要时协助他们前往避暑点。市长在新闻发布会上强调，市政府已经启动跨部门应急机制，"
                "各单位将密切关注天气变化，及时调整相关措施，切实保障市民的身体健康和生命安全。"),
}
ENCODED = [("zh-hant", "big5"), ("ko", "euc-kr"), ("ja", "shift_jis"), ("ja", "euc-jp"), ("ru", "cp1251"),
           ("ru", "koi8-r"), ("zh-hans", "gbk"), ("zh-hans", "gb18030")]


def paragraphs(lang: str) -> list[str]:
    """The sample split into its sentences, one paragraph each."""
    return re.findall(r".+?(?:[。.](?=\s|$|[^\d])|$)\s*", SAMPLES[lang][1])


def article(lang: str, meta: str = "") -> str:
    """A news page: head, navigation, headline, date line, the sample as paragraphs, footer."""
    headline = SAMPLES[lang][0]
    body = "".join(f"<p>{p.strip()}</p>\n" for p in paragraphs(lang))
    return (f"<!DOCTYPE html><html><head>{meta}<title>{headline}</title><link rel='stylesheet' href='/s.css'>"
            "</head><body><div class='nav'><a href='/'>Home</a> <a href='/news/'>News</a></div>"
            f"<h1>{headline}</h1><div class='info'>2024-07-01 10:20</div><div class='content'>\n{body}</div>"
            "<div class='footer'>Copyright 2024</div></body></html>")


@pytest.mark.parametrize("lang, encoding", ENCODED)
@pytest.mark.parametrize("meta, content_type", [
    ("", None),  # no charset at all
    ("", "text/html; charset=utf-8"),  # a UTF-8 header on bytes that are not UTF-8
    ('<meta charset="utf-8">', "text/html"),  # a UTF-8 <meta>
    ('<meta charset="utf-8">', "text/html; charset=iso-8859-1"),  # UTF-8 <meta>, a Latin-1 server default
], ids=["undeclared", "utf8-header", "utf8-meta", "utf8-meta-latin1-header"])
def test_a_page_labelled_utf8_or_unlabelled_decodes_to_its_text(lang, encoding, meta, content_type):
    html = article(lang, meta)
    assert decode_html(html.encode(encoding), content_type)[0] == html


@pytest.mark.parametrize("lang, encoding", ENCODED)
def test_a_correctly_labelled_page_decodes_to_its_text(lang, encoding):
    html = article(lang, f'<meta charset="{encoding}">')
    assert decode_html(html.encode(encoding), f"text/html; charset={encoding}")[0] == html


@pytest.mark.parametrize("lang, encoding, label", [
    ("zh-hant", "big5", "gb2312"),  # GB18030 decodes Big5 bytes without an error, into other characters
    ("ja", "shift_jis", "gb2312"),
    ("ja", "euc-jp", "gbk"),
    ("ko", "euc-kr", "gb2312"),
    ("zh-hans", "gbk", "big5"),
    ("ru", "koi8-r", "windows-1251"),  # the same letters in another order: the case comes out swapped
    ("ru", "cp1251", "koi8-r"),
])
def test_a_page_in_another_charset_than_declared_decodes_to_its_text(lang, encoding, label):
    html = article(lang, f'<meta charset="{label}">')
    assert decode_html(html.encode(encoding), None)[0] == html


def test_latin1_text_under_a_latin1_default_is_not_taken_for_cyrillic():
    text = ("Le conseil municipal a décidé mercredi de prolonger l'ouverture des piscines pendant la canicule. "
            "« Nous voulons protéger les personnes âgées », a déclaré la maire, qui a également annoncé "
            "l'ouverture de salles rafraîchies dans chaque arrondissement, où l'on servira de l'eau fraîche.")
    html = f"<html><head><title>Canicule</title></head><body><p>{text}</p></body></html>"
    text, encoding = decode_html(html.encode("cp1252"), "text/html; charset=iso-8859-1")
    assert encoding not in ("cp1251", "koi8-r")  # statistical detection picks a Latin code page
    assert "a décidé mercredi de prolonger l'ouverture des piscines" in text


@pytest.mark.parametrize("lang, encoding", [("zh-hans", "gbk"), ("zh-hant", "big5")])
def test_an_unlabelled_page_with_one_invalid_byte_keeps_its_charset(lang, encoding):
    html = article(lang)
    body = html.encode(encoding)
    broken_paragraph = paragraphs(lang)[1].strip()
    at = body.index(broken_paragraph.encode(encoding)) + 10
    text, found = decode_html(body[:at] + b"\xff" + body[at + 1:], None)
    assert found == resolve_encoding(encoding)
    assert 1 <= text.count("\ufffd") <= 2
    for paragraph in [SAMPLES[lang][0], *paragraphs(lang)]:
        if paragraph.strip() != broken_paragraph:
            assert f"{paragraph.strip()}" in text
