"""RSS and Atom entries read as a stream: a 100k-item feed costs one entry's tree at a time.

Hand-written over lxml's ``iterparse`` because Scrapy has no feed reader (its
``xmliter_lxml`` yields a Selector per node, one tag name at a time); each
entry is cleared once read, as Scrapy's own ``Sitemap`` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO

import lxml.etree

ENTRY_TAGS = ("item", "entry")  # RSS (and RDF) items, Atom entries


def _local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _children(entry, name: str) -> list:
    return [el for el in entry if _local(el.tag) == name]


def _text(entry, *names: str) -> str | None:
    """The first text of a child named one of ``names`` (in that order of preference)."""
    for name in names:
        for el in _children(entry, name):
            if el.text:
                return el.text
    return None


def _atom_link(entry) -> str | None:
    links = _children(entry, "link")
    for chosen in ([el for el in links if el.get("rel") == "alternate"], [el for el in links if "rel" not in el.attrib],
                   links):
        for el in chosen:
            if el.get("href"):
                return el.get("href")
    return None


def feed_entries(xml: bytes) -> Iterator[tuple[str, str | None]]:
    """``(link, date hint)`` of every item or entry with a link, in document order (``xml`` is UTF-8)."""
    events = lxml.etree.iterparse(BytesIO(xml), events=("end",), encoding="utf-8", recover=True,
                                  resolve_entities=False, no_network=True, remove_comments=True,
                                  remove_pis=True, collect_ids=False)
    try:
        for _, el in events:
            kind = _local(el.tag)
            if kind not in ENTRY_TAGS:
                continue
            if kind == "item":
                link, hint = _text(el, "link", "guid"), _text(el, "pubDate", "date")
            else:
                link, hint = _atom_link(el), _text(el, "published", "updated")
            el.clear()
            while el.getprevious() is not None:  # read siblings go too: memory stays one entry
                del el.getparent()[0]
            if link:
                yield link, hint
    except lxml.etree.XMLSyntaxError:  # garbage past what recover mends: the entries read so far stand
        return
