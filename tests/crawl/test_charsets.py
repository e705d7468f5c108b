"""Pages in another charset than they declare are stored as their own text, through a real crawl.

Each article is served with a wrong or missing label: Big5 under a gb2312
<meta>, EUC-KR and cp1251 under a UTF-8 header, Shift_JIS under a UTF-8
<meta>, and a GBK page with no charset and one corrupt byte (read as GBK with
a replacement character, not as a single-byte charset).
"""

from __future__ import annotations

from tests.extract.test_decode import SAMPLES, article, paragraphs
from tests.faults import FaultWeb
from tests.helpers import crawl, rows, write_config

CORRUPT = "/news/gbk-one-bad-byte.html"


def corrupt_one_byte(body: bytes, lang: str) -> bytes:
    """``body`` with one byte inside its second paragraph replaced by one no charset here allows there."""
    at = body.index(paragraphs(lang)[1].strip().encode("gbk")) + 10
    return body[:at] + b"\xff" + body[at + 1:]


# path: (language, bytes, Content-Type)
PAGES = {
    "/news/big5-as-gb2312.html": ("zh-hant", article("zh-hant", '<meta charset="gb2312">').encode("big5"), "text/html"),
    "/news/euckr-as-utf8.html": ("ko", article("ko").encode("euc-kr"), "text/html; charset=utf-8"),
    "/news/sjis-as-utf8.html": ("ja", article("ja", '<meta charset="utf-8">').encode("shift_jis"), "text/html"),
    "/news/cp1251-as-utf8.html": ("ru", article("ru").encode("cp1251"), "text/html; charset=utf-8"),
    CORRUPT: ("zh-hans", corrupt_one_byte(article("zh-hans").encode("gbk"), "zh-hans"), "text/html"),
}


class CharsetWeb(FaultWeb):
    def _serve(self, h, path, hits):
        if path in PAGES:
            _, body, content_type = PAGES[path]
            return self._send(h, 200, body, content_type)
        return super()._serve(h, path, hits)


def test_mislabelled_pages_are_stored_as_their_text(tmp_path):
    db = tmp_path / "news.db"
    with CharsetWeb(n_good=0, faults=False) as web:
        web.article_paths = lambda: list(PAGES)
        run = crawl(write_config(tmp_path / "sites.toml", [web.url("/list.html")]), db)
    assert run.returncode == 0, run.stderr[-3000:]
    stored = {url: (title, text) for url, title, text in rows(db, "SELECT url, title, text FROM articles")}
    assert set(stored) == {web.url(path) for path in PAGES}
    for path, (lang, _, _) in PAGES.items():
        title, text = stored[web.url(path)]
        assert title == SAMPLES[lang][0], path
        lines = [p.strip() for p in paragraphs(lang)]
        if path == CORRUPT:
            assert text.count("\ufffd") in (1, 2)
            assert text.splitlines()[:1] + text.splitlines()[2:] == lines[:1] + lines[2:]
        else:
            assert text == "\n".join(lines), path
