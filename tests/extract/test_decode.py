"""Decoding Chinese pages whatever their charset declarations say."""

import pytest

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
