"""The stored title and author columns, through a crawl: the printed headline, not the SEO <title>;
the JSON-LD author, not a profile URL; the Chinese reporter, not the editor or the source."""

from __future__ import annotations

import json
from pathlib import Path

from tests.faults import FaultWeb
from tests.helpers import crawl, rows, write_config

FIXTURES = Path(__file__).parents[1] / "extract" / "fixtures" / "headlines"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
CRAWLED = ("h1_vs_seo_title", "author_jsonld_object", "zh_author_editor_source")


class FixtureWeb(FaultWeb):
    def _serve(self, h, path, hits):
        name = path.removeprefix("/news/").removesuffix(".html")
        if name in CRAWLED:
            return self._send(h, 200, (FIXTURES / f"{name}.html").read_bytes())
        return super()._serve(h, path, hits)


def test_stored_title_and_author_are_the_printed_headline_and_the_byline(tmp_path):
    db = tmp_path / "news.db"
    with FixtureWeb(n_good=0, faults=False) as web:
        config = write_config(tmp_path / "sites.toml", [web.url("/list.html")])
        web.article_paths = lambda: [f"/news/{name}.html" for name in CRAWLED]
        run = crawl(config, db)
    assert run.returncode == 0, run.stderr[-3000:]
    stored = {url.rsplit("/", 1)[1].removesuffix(".html"): (title, author)
              for url, title, author in rows(db, "SELECT url, title, author FROM articles")}
    assert stored == {name: (EXPECTED[name]["title"], EXPECTED[name]["author"]) for name in CRAWLED}
