"""A served page and the small HTML helpers every demo site template shares."""

from __future__ import annotations

import html
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    body: bytes
    content_type: str
    status: int = 200
    headers: dict = field(default_factory=dict)


esc = html.escape


def html_page(text: str, content_type: str = "text/html; charset=utf-8", encoding: str = "utf-8") -> Page:
    """Encode ``text`` strictly, so a character the site's charset lacks fails the build."""
    return Page(text.encode(encoding), content_type)


def excerpt(text: str, length: int) -> str:
    """The teaser a list or "related" box shows: the start of the story and an ellipsis."""
    return text[:length].rstrip(",,、 ") + "..."
