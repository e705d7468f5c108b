"""Headline and author of saved pages, each next to its expected values (fixtures/headlines/expected.json).

One small page per case: the printed <h1> against an SEO <title>, site names
before and after the headline, a section heading or a site name that is no
headline, og:title and JSON-LD agreeing; authors from JSON-LD (object, list),
meta tags and bylines, never a profile URL or the site's name; Chinese
作者/记者 bylines apart from the 编辑 and 来源 lines.
"""

import json
from pathlib import Path

import pytest

from pipeline.extract.article import extract_article

FIXTURES = Path(__file__).parent / "fixtures" / "headlines"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_title_and_author(name):
    want = EXPECTED[name]
    html = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    article = extract_article(html, f"https://example.com/news/{name}")
    assert (article.title, article.author) == (want["title"], want["author"])
    for key, value in want.get("meta", {}).items():
        assert article.meta.get(key) == value
