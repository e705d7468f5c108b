"""Decode HTML bytes to text when the declared charset may be missing or wrong.

Chinese sites often send no charset header, declare it only in ``<meta>``, or
declare UTF-8 while serving GBK, Big5 or EUC-KR. w3lib reads the declarations
(and maps GB2312/GBK to GB18030); this module adds the check that the chosen
encoding decodes the bytes and, in the CJK and Cyrillic families, that its
text reads as that family's script (:mod:`pipeline.extract.scripts`), and
falls back in a fixed order. charset_normalizer's detection, slow on big
pages, runs only when nothing declared or in those families fits.
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

from pipeline.extract import scripts

# The charsets a missing or wrong label usually hides, tried in this order.
FAMILIES = ("gb18030", "big5hkscs", "cp949", "cp932", "euc_jp", "cp1251", "koi8-r")
FALLBACKS = ("gb18030", "big5hkscs")
# Single-byte labels decode any bytes, so they prove nothing; servers send them by default.
WEAK_LABELS = {"cp1252", "latin-1", "iso8859-1", "ascii"}
# Replacement characters per letter still "valid but for a few bytes" (a corrupt byte, a cut character).
FEW_REPLACED = 0.01


def _strict(body: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _nearly_clean(body: bytes, encodings) -> tuple[str, str] | None:
    """The decoding that reads as its script with the fewest replacement characters, if only a few."""
    best = None
    for enc in encodings:
        text = body.decode(enc, errors="replace")
        if text.count("\ufffd") > 1 + FEW_REPLACED * len(text):
            continue
        sample = scripts.sample(text)
        replaced = sample.count("\ufffd")
        if replaced <= 1 + FEW_REPLACED * scripts.letters(sample) and scripts.reads_as(sample, enc) \
                and (best is None or replaced < best[0]):
            best = (replaced, text, enc)
    return best and best[1:]


def _detect(body: bytes) -> str | None:
    """Statistical detection, for pages with no declaration but a Latin default that nothing fits."""
    best = charset_normalizer.from_bytes(body[:65536]).best()
    return best.encoding if best else None


def _declared(body: bytes, content_type: str | None) -> list[str]:
    """The charsets the page declares, ``<meta>`` first (written with the page, so more often right
    than a server default)."""
    labels = (html_body_declared_encoding(body), http_content_type_encoding(content_type))
    return [enc for enc in (resolve_encoding(label) for label in labels if label) if enc]


def _fitting(body: bytes, declared: list[str]) -> tuple[str, str] | None:
    """The first of the declarations and FAMILIES that decodes ``body`` and reads as its script.

    Single-byte Latin labels prove nothing and are left out. A declaration
    with no script check is taken as it is; one on a page too short (or too
    spaced) to judge, only if no other reads as its script. Nothing decodes
    and fits: the one that reads as its script with only a few bytes replaced.
    """
    strong = [enc for enc in declared if enc not in WEAK_LABELS and enc != "utf-8"]
    undecided, failed = None, []
    for enc in dict.fromkeys([*strong, *FAMILIES]):
        text = _strict(body, enc)
        if text is None:
            failed.append(enc)
        elif enc in strong and not scripts.checked(enc):
            return text, enc
        else:
            verdict = scripts.reads_as(scripts.sample(text), enc)
            if verdict:
                return text, enc
            if verdict is None and enc in strong:
                undecided = undecided or (text, enc)
    return undecided or _nearly_clean(body, failed)


def decode_html(body: bytes, content_type: str | None = None, override: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)`` for an HTML body.

    Order: the site's override, a BOM, UTF-8 (bytes that are not UTF-8 almost
    never decode as UTF-8 by chance), a declared or family charset that fits
    (:func:`_fitting`). Nothing fits: statistical detection when nothing but a
    Latin label is declared, the declarations, GB18030 and Big5; the first
    that decodes wins. Nothing decodes: the best declaration with replacement
    characters.
    """
    if override:
        enc = resolve_encoding(override) or override
        return body.decode(enc, errors="replace"), enc
    bom, _ = read_bom(body)
    if bom:
        return codecs.decode(body, bom, errors="replace").lstrip("\ufeff"), bom
    text = _strict(body, "utf-8")
    if text is not None:
        return text, "utf-8"
    declared = _declared(body, content_type)
    found = _fitting(body, declared)
    if found:
        return found
    detected = [] if any(enc not in WEAK_LABELS for enc in declared) else [_detect(body)]
    for enc in [*detected, *declared, *FALLBACKS]:
        enc = resolve_encoding(enc) if enc else None
        text = _strict(body, enc)
        if text is not None:
            return text, enc
    enc = next(iter(declared), "utf-8")
    return body.decode(enc, errors="replace"), enc
