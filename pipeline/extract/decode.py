"""Decode HTML bytes to text when the declared charset may be missing or wrong.

Chinese sites often send no charset header, declare it only in ``<meta>``, or
declare UTF-8 while serving GBK. w3lib reads the declarations (and maps
GB2312/GBK to GB18030); this module only adds the check that the declared
encoding actually decodes the bytes, and falls back in a fixed order.
"""

from __future__ import annotations

import codecs

import charset_normalizer

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

FALLBACKS = ("gb18030", "big5")
# Single-byte labels decode any bytes, so they prove nothing; servers send them by default.
WEAK_LABELS = {"cp1252", "latin-1", "iso8859-1", "ascii"}


def _strict(body: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(body: bytes) -> str | None:
    """Statistical detection, for pages with no declaration or only a Latin-1 one."""
    best = charset_normalizer.from_bytes(body[:65536]).best()
    return best.encoding if best else None


def decode_html(body: bytes, content_type: str | None = None, override: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)`` for an HTML body.

    Order: the site's override, a BOM, UTF-8 (bytes that are not UTF-8 almost
    never decode as UTF-8 by chance), the ``<meta>`` declaration (written with
    the page, so more often right than a server default), the HTTP header,
    GB18030 and Big5 (statistical detection goes first when nothing but a
    single-byte Latin label is declared); the first that decodes the bytes without error wins. Nothing decodes cleanly: the best declaration with
    replacement characters.
    """
    if override:
        enc = resolve_encoding(override) or override
        return body.decode(enc, errors="replace"), enc
    bom, _ = read_bom(body)
    if bom:
        return codecs.decode(body, bom, errors="replace").lstrip("\ufeff"), bom
    declared = [html_body_declared_encoding(body), http_content_type_encoding(content_type)]
    if not any(e and resolve_encoding(e) not in WEAK_LABELS for e in declared):
        declared = [_detect(body), *declared]
    for enc in ["utf-8", *declared, *FALLBACKS]:
        enc = resolve_encoding(enc) if enc else None
        text = _strict(body, enc)
        if text is not None:
            return text, enc
    enc = next((resolve_encoding(e) for e in declared if e and resolve_encoding(e)), "utf-8")
    return body.decode(enc, errors="replace"), enc
