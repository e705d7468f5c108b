"""Does a decoded page read as the script its charset is for?

Decoding without an error proves little outside UTF-8: GB18030 accepts Big5,
EUC-KR and Shift_JIS bytes, and a single-byte charset accepts any bytes. A
wrong decoding still leaves traces in the letters: the wrong script (kana or
private-use characters from GB18030 on Big5 bytes), rare characters where a
text uses frequent ones, word spaces where Chinese has none (Korean read as
GB18030) or none where Korean has them, the wrong case (KOI8-R read as
cp1251), lone letters in Latin words (cp1252 read as cp1251). Hand-written
because neither w3lib nor charset_normalizer checks a *given* charset, and
charset_normalizer's detection is too slow to run on every page.
"""

from __future__ import annotations

import codecs
import functools
import re

# The check reads the first non-ASCII text of the page, gathered in chunks from its first characters,
# and gives no verdict on fewer letters.
SAMPLE_CHARS = 2048
CHUNK_CHARS = 4096
MAX_CHARS = 65536
MIN_LETTERS = 20
SCRIPT_SHARE = 0.85  # of the letters, in the charset's script(s)
FREQUENT_SHARE = 0.9  # of the Han or Hangul, in the first (frequent-character) level of a national standard
# Spaces between two Han or two Hangul, per two side by side: Korean spaces its words, Chinese does not
# (a Chinese page with spaced characters gets no verdict: it might be Korean read as GB18030).
WORD_SPACES = 0.1
MIN_HANGUL = 0.5  # of the letters, for Korean (Hanja are the rest)
MIN_KANA = 0.2  # of the letters, for Japanese (kana-free "Japanese" is misread Korean or Chinese)
MIN_LOWERCASE = 0.6  # of the Cyrillic letters (KOI8-R read as cp1251, and back, swaps the case)
MIN_JOINED = 0.8  # of the Cyrillic letters, next to another one (cp1252 read as cp1251 gives lone ones)

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HANGUL = "\uac00-\ud7a3"
CYRILLIC = "\u0400-\u04ff"
# An ASCII run that is not only spaces: markup and Latin text, cut out of the sample (linear: no backtracking).
ASCII_RUN = re.compile(r"[\x00-\x1f!-\x7f][\x00-\x7f]*")
# Runs, not characters: a regex match costs far more than a character in it.
# The letters the checked charsets can decode to (Latin, Greek, Cyrillic, kana, bopomofo, jamo, Han,
# Hangul, full- and half-width forms: ranges, faster than a Unicode category), and what only a wrong
# decoding puts among them, counted as letters of no script: private use, box drawing.
LETTERS = re.compile(
    "[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u04ff\u3040-\u30ff\u3100-\u318f"
    f"{HAN}{HANGUL}\uff21-\uff3a\uff41-\uff5a\uff66-\uffdc\ue000-\uf8ff\u2500-\u259f]+")
HAN_RUN = re.compile(f"[{HAN}]+")
HAN_SPACED = re.compile(f"[{HAN}] (?=[{HAN}])")
HANGUL_RUN = re.compile(f"[{HANGUL}]+")
HANGUL_SPACED = re.compile(f"[{HANGUL}] (?=[{HANGUL}])")
KANA = re.compile("[\u3040-\u30ff]+")
CYRILLIC_ANY = re.compile(f"[{CYRILLIC}]+")
CYRILLIC_JOINED = re.compile(f"[{CYRILLIC}]{{2,}}")
CYRILLIC_LOWER = re.compile("[\u0430-\u045f]+")


def _count(pattern: re.Pattern, text: str) -> int:
    """Characters of ``text`` in the runs ``pattern`` matches."""
    return len(text) - len(pattern.sub("", text))


def _joined(pattern: re.Pattern, text: str) -> tuple[int, int]:
    """Characters in ``pattern``'s runs, and how many of them stand right after another."""
    runs = pattern.findall(text)
    total = sum(map(len, runs))
    return total, total - len(runs)


@functools.cache
def _level_one(codec: str, leads: tuple[int, int], trails: tuple[tuple[int, int], ...]) -> str:
    """The letters ``codec`` gives its first-level byte pairs: the frequent characters, read from the codec."""
    chars = []
    for lead in range(*leads):
        for low, high in trails:
            for trail in range(low, high):
                try:
                    chars.append(bytes((lead, trail)).decode(codec))
                except UnicodeDecodeError:
                    pass
    return "".join(c for c in chars if c.isalpha())


@functools.cache
def _frequent(*levels: tuple) -> re.Pattern:
    return re.compile(f"[{''.join(_level_one(*level) for level in levels)}]+")


GB2312_LEVEL_ONE = ("gb2312", (0xB0, 0xD8), ((0xA1, 0xFF),))
BIG5_LEVEL_ONE = ("big5", (0xA4, 0xC7), ((0x40, 0x7F), (0xA1, 0xFF)))
KSX1001_HANGUL = ("euc_kr", (0xB0, 0xC9), ((0xA1, 0xFF),))


def _chinese(text: str, total: int, levels: tuple) -> bool | None:
    han, joined = _joined(HAN_RUN, text)
    if han < SCRIPT_SHARE * total or _count(_frequent(*levels), text) < FREQUENT_SHARE * han:
        return False
    return True if len(HAN_SPACED.findall(text)) <= WORD_SPACES * joined else None


def _korean(text: str, total: int) -> bool:
    hangul, joined = _joined(HANGUL_RUN, text)
    return (hangul >= MIN_HANGUL * total and hangul + _count(HAN_RUN, text) >= SCRIPT_SHARE * total
            and _count(_frequent(KSX1001_HANGUL), text) >= FREQUENT_SHARE * hangul
            and len(HANGUL_SPACED.findall(text)) >= WORD_SPACES * joined)


def _japanese(text: str, total: int) -> bool:
    kana = _count(KANA, text)
    return kana >= MIN_KANA * total and kana + _count(HAN_RUN, text) >= SCRIPT_SHARE * total


def _cyrillic(text: str, total: int) -> bool:
    cyrillic = _count(CYRILLIC_ANY, text)
    return (cyrillic >= SCRIPT_SHARE * total and _count(CYRILLIC_LOWER, text) >= MIN_LOWERCASE * cyrillic
            and _count(CYRILLIC_JOINED, text) >= MIN_JOINED * cyrillic)


# GB18030 pages may be written in Traditional characters, so both standards' frequent ones count for it.
_gb = functools.partial(_chinese, levels=(GB2312_LEVEL_ONE, BIG5_LEVEL_ONE))
_big5 = functools.partial(_chinese, levels=(BIG5_LEVEL_ONE,))
CHECKS = {
    "gb18030": _gb, "gbk": _gb, "gb2312": _gb, "big5hkscs": _big5, "big5": _big5, "cp950": _big5,
    "cp949": _korean, "euc_kr": _korean,
    "cp932": _japanese, "shift_jis": _japanese, "euc_jp": _japanese, "euc_jis_2004": _japanese,
    "shift_jis_2004": _japanese,
    "cp1251": _cyrillic, "koi8_r": _cyrillic, "koi8_u": _cyrillic, "iso8859_5": _cyrillic,
}


def sample(text: str) -> str:
    """The page's first non-ASCII text: letters, the spaces between them, line breaks for the rest."""
    found = ""
    for start in range(0, min(len(text), MAX_CHARS), CHUNK_CHARS):
        found += ASCII_RUN.sub("\n", text[start:start + CHUNK_CHARS])
        if len(found) >= SAMPLE_CHARS:
            break
    return found[:SAMPLE_CHARS]


def letters(text: str) -> int:
    return _count(LETTERS, text)


def checked(encoding: str) -> bool:
    """Whether :func:`reads_as` has a script check for ``encoding``."""
    return _check(encoding) is not None


def _check(encoding: str):
    try:
        return CHECKS.get(codecs.lookup(encoding).name.replace("-", "_"))
    except LookupError:
        return None


def reads_as(text: str, encoding: str) -> bool | None:
    """Whether ``text``, a :func:`sample`, reads as the script ``encoding`` is for.

    None: no check for this encoding, or too few letters (or, for Chinese, spaced characters) to judge.
    """
    check = _check(encoding)
    count = letters(text) if check else 0
    return check(text, count) if count >= MIN_LETTERS else None
