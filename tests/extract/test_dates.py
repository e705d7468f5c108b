"""Publication dates on small saved pages, one cause each, with the expected date and its source side by
side in date_pages/expected.json: date lines only from the article header (at the heading that prints the
chosen headline, not a logo's <h1> the <title> names; not a sidebar, related list, user card, widget,
table, code or quote), relative dates only from there, the page's local day, the
strongest markup not overruled by a weaker signal, and NULL when the signals disagree."""

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pipeline.extract.article import extract_article

PAGES = Path(__file__).parent / "date_pages"
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
FETCHED = datetime(2024, 6, 20, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_date_and_its_source(name):
    want = EXPECTED[name]
    article = extract_article((PAGES / name).read_text(encoding="utf-8"), want["url"], fetched_at=FETCHED)
    assert (article.published_at, article.date_source) == (want["published_at"], want["date_source"])
