"""A canonical link never hides an article: only URLs fetched (or recorded as duplicates of
something fetched) count as known.

Night 1 links only to pages A1 and A2, whose rel=canonical names B1 and B2. B1
is another story, B2 the same text as A2. Night 2 links to all four: both B
pages must be fetched, B1 stored, B2 recorded as a duplicate of A2, and the A
pages skipped as known.
"""

from __future__ import annotations

from tests.faults import FaultWeb
from tests.faults.server import article_html
from tests.helpers import crawl, rows, write_config


def with_canonical(html: str, href: str) -> str:
    return html.replace("</head>", f"<link rel='canonical' href='{href}'></head>")


PAGES = {
    "/news/a1.html": with_canonical(article_html(1), "/news/b1.html"),
    "/news/b1.html": article_html(2),
    "/news/a2.html": with_canonical(article_html(3), "/news/b2.html"),
    "/news/b2.html": article_html(3),
}


class CanonicalWeb(FaultWeb):
    def _serve(self, h, path, hits):
        if path in PAGES:
            return self._send(h, 200, PAGES[path].encode())
        return super()._serve(h, path, hits)


def test_an_article_named_only_by_a_canonical_link_is_fetched_the_next_night(tmp_path):
    db = tmp_path / "news.db"
    with CanonicalWeb(n_good=0, faults=False) as web:
        config = write_config(tmp_path / "sites.toml", [web.url("/list.html")])
        web.article_paths = lambda: ["/news/a1.html", "/news/a2.html"]
        first = crawl(config, db)
        assert first.returncode == 0, first.stderr[-3000:]
        assert rows(db, "SELECT url, canonical_url FROM articles ORDER BY url") == [
            (web.url("/news/a1.html"), web.url("/news/b1.html")), (web.url("/news/a2.html"), web.url("/news/b2.html"))]

        web.article_paths = lambda: list(PAGES)
        second = crawl(config, db)
        assert second.returncode == 0, second.stderr[-3000:]
    assert [web.requested(p) for p in PAGES] == [1, 1, 1, 1]  # the A pages once (night 1), the B pages on night 2
    (a2_id,), = rows(db, "SELECT id FROM articles WHERE url = ?", web.url("/news/a2.html"))
    assert rows(db, "SELECT url, run_id FROM articles WHERE url = ?", web.url("/news/b1.html")) == [
        (web.url("/news/b1.html"), 2)]
    assert rows(db, "SELECT url, article_id, kind FROM duplicates") == [(web.url("/news/b2.html"), a2_id, "exact")]
    assert rows(db, "SELECT count(*) FROM articles") == [(3,)]
