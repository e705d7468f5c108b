"""The article's author: the first candidate that is a person's name, not a URL or the site's name.

Candidates come in order of trust: JSON-LD and meta tags, trafilatura's
byline search, then the byline lines above or below the story ("By Jane Doe",
"记者 张三", "作者：李四"). 编辑 (editor) and 来源 (source) lines are not
authors: the text cleaners lift them to ``meta["editor"]`` / ``meta["source"]``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable
from urllib.parse import urlsplit

from cleaners import patterns as P
from cleaners.title import SITE_NAME_WORDS, host_words, name_key

URL_LIKE = re.compile(r"https?://|^\s*(?:www\.|/)|^\S+\.(?:com|net|org|cn|co\.uk)(?:/\S*)?$|(?:https?|www)(?:[\s.:]|$)",
                      re.I)
# Widget and page labels that a byline search picks up ("点击登录; 个人设置", "字号", "Page published").
UI_WORDS = re.compile(r"登录|退出|注册|设置|我的|字号|打印|收藏|分享|评论|跟贴|关闭"
                      r"|\b(?:published|updated|posted|share|print|comments?)\b", re.I)
# No name holds a colon (a label left over or a comment), a sentence's punctuation or a handle's @.
NOT_IN_NAMES = re.compile(r"[:：，。！？!?@#|]")
# Accounts and placeholders of a publishing system, never a person ("admin", "小编"); compared casefolded.
CMS_ACCOUNTS = frozenset({"admin", "administrator", "webmaster", "root", "guest", "anonymous", "unknown",
                          "editor", "staff", "管理员", "小编", "佚名", "匿名", "网站编辑", "本站编辑", "未知"})
# CJK characters of one name ("布蘭登．山德森"); more is a phrase.
MAX_CJK_NAME = 8
# A name list longer than this (characters) is a sentence, not a byline.
MAX_AUTHOR = 100
MAX_AUTHOR_WORDS = 12
# A Chinese name has 2-4 characters; a transliterated one has its parts joined by a dot ("布蘭登．山德森").
CJK_NAME = rf"(?:[{P.CJK_CHARS}]{{1,5}}[·・．])?[{P.CJK_CHARS}]{{2,4}}?"
ROLE = r"(?:通讯员|实习|见习|特约|责任编辑|编辑|责编|摄影|记者)"
CJK_NAMES = rf"(?P<names>(?!{ROLE}){CJK_NAME}(?:[\s、](?!{ROLE}){CJK_NAME}){{0,4}}?)"
# "（记者 张三 李四）", "本报记者 王小明 通讯员 …", "作者：李四 来源：…": the label, then names up to a closing
# mark or the next label; without a space or colon after the label only before a closing mark ("记者张三报道"),
# so that "记者昨日获悉" is no byline.
CJK_BYLINE = re.compile(
    r"(?:^|[\s（(【\[：:])(?:本报|本台|本刊|新华社|中新社)?(?:特约|实习|见习)?(?:记者|作者)"
    rf"(?:(?:\s*[:：]\s*|\s+){CJK_NAMES}"
    r"(?=\s*+(?:[）)】\]|,，。]|$|通讯员|实习生|编辑|责编|摄|报道|来源|发布|时间|\d))"
    rf"|(?P<joined>{CJK_NAME})(?=\s*+(?:[）)】\]]|通讯员|实习生|报道|摄)))"
)
ENGLISH_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|da|del|la|le|bin)){0,4}"
# "By Jane Doe", "BY JANE DOE and JOHN ROE | Updated 3pm", "By Jane Doe, Reuters"; not "By Monday, the …".
ENGLISH_BYLINE = re.compile(
    rf"^\W*(?:[Ww]ritten\s+)?(?:[Bb]y|BY)\s+"
    rf"(?P<names>{ENGLISH_NAME}(?:\s*(?:,|and|AND|&)\s*{ENGLISH_NAME}){{0,3}}?)"
    r"\s*+(?=$|[|·•–—-]|\d|(?:Updated|Published|Posted|Staff|Reporter|Correspondent)\b|,\s*(?:[A-Z][\w.]*\s*)+$)"
)


def byline(line: str) -> str | None:
    """The names of a byline: "By Jane Doe" as a line's start, "记者 张三" / "作者：李四" near its start."""
    head = line[:MAX_AUTHOR]
    match = ENGLISH_BYLINE.match(head) or CJK_BYLINE.search(head)
    found = match and next(filter(None, match.groupdict().values()), None)
    return " ".join(found.split()) if found else None


def _refused_names(not_names: Iterable[str], url: str | None) -> set[str]:
    """Keys an author must not be or be part of: the site's names, its host name, the headline."""
    host = (urlsplit(url).hostname or "").removeprefix("www.") if url else ""
    return {k for k in (name_key(n) for n in (*not_names, host)) if k} | host_words(url)


def is_plausible(author: str, refused: set[str] = frozenset()) -> bool:
    """A name: not a URL, an e-mail, a publishing system's account, a sentence, a comment ("X 的原贴：…") or
    mojibake; none of ``refused``."""
    text = author.strip()
    if not text or len(text) > MAX_AUTHOR or URL_LIKE.search(text) or P.EMAIL.search(text):
        return False
    if text.casefold() in CMS_ACCOUNTS:
        return False
    if len(text.split()) > MAX_AUTHOR_WORDS or NOT_IN_NAMES.search(text):
        return False
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        return False
    if any(len(P.CJK.findall(part)) > MAX_CJK_NAME for part in re.split(r"[\s、]", text)):
        return False
    key = name_key(text)
    return bool(key) and not any(key == name or (len(key) >= 2 and key in name) for name in refused)


def _without_site_words(names: str) -> str:
    """A CJK name list without the parts that end like a site or paper name ("李晓亮 新民网")."""
    parts = names.split()
    if not P.CJK.search(names):
        return " ".join(parts)
    return " ".join(p for p in parts if not SITE_NAME_WORDS.search(p))


def choose_author(candidates: Iterable[str | None], *, not_names: Iterable[str] = (),
                  url: str | None = None) -> str | None:
    """The first candidate with a plausible name; of a "; "-joined list, the plausible names.

    A labelled candidate ("作者：李四", "By Jane Doe") gives the names after its label. ``not_names``
    are the site's names and the headline; the URL's host name is refused too.
    """
    refused = _refused_names(not_names, url)
    for candidate in candidates:
        if not candidate or UI_WORDS.search(candidate):  # a widget's labels, whatever else it holds
            continue
        names = [_without_site_words(byline(name) or name) for name in candidate.split(";")]
        kept = [name for name in names if name and is_plausible(name, refused)]
        if kept:
            return "; ".join(dict.fromkeys(kept))
    return None
