"""Search of any length: Chinese words of one or two characters as well as longer ones, English words as words.

The trigram index (``articles_fts``) cannot match fewer than three characters, and most Chinese words
have two. ``articles_bigram`` is a contentless FTS5 index (unicode61 tokenizer) of title and text in which
each run of CJK characters is written as its overlapping bigrams followed by its last character, the way
Lucene's CJK bigram analyzer indexes: ``天津市场`` becomes ``天津 津市 市场 场``. A query becomes the same
tokens: two characters are one bigram, four a phrase of three adjacent bigrams, one character a prefix
query (every character of the text starts a token: a bigram, or its run's last character). Other text is
left to unicode61, so English words match as whole words, case- and accent-insensitively.

The SQL functions registered by :func:`register` are the one definition that ``newsrake search``,
``newsrake query`` and the browser (Datasette) use: ``newsrake_match(q)`` turns a query into an FTS5
expression for ``articles_bigram MATCH``, ``newsrake_snippet(text, q)`` marks where it matched, and
``newsrake_bigrams(text)`` is what the index holds (the triggers of ``articles`` call it on every write;
changing it needs a migration that rebuilds the index).
"""

from __future__ import annotations

import re
import sqlite3

from cleaners.patterns import CJK_CHARS

CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
CJK_SPLIT = re.compile(f"([{CJK_CHARS}]+)")
WORD = re.compile(r"\w")
MARK = "**"  # around each match in a snippet: plain text, so it survives a terminal, CSV and JSON
SNIPPET_CHARS = 80
NO_WORDS = '""'  # an empty phrase matches no row (MATCH NULL would be an FTS5 syntax error)

# The one statement of `newsrake search` (which adds a LIMIT) and the browser's search query; '' leaves a
# filter out.
SEARCH_SQL = """SELECT a.id, a.site, substr(a.published_at, 1, 10) AS published, a.title,
  newsrake_snippet(a.text, :q) AS snippet
FROM articles_bigram JOIN articles a ON a.id = articles_bigram.rowid
WHERE articles_bigram MATCH newsrake_match(:q)
  AND (:site = '' OR a.site = :site)
  AND (:since = '' OR coalesce(a.published_at, a.fetched_at) >= :since)
ORDER BY articles_bigram.rank"""


def bigrams(text: str | None) -> str | None:
    """``text`` as the index holds it: each CJK run as its bigrams and its last character."""
    return text and CJK_RUN.sub(lambda m: f" {_bigram_tokens(m.group())} {m.group()[-1]} ", text)


def _bigram_tokens(run: str) -> str:
    return " ".join(map(str.__add__, run, run[1:]))


def _pieces(query: str | None):
    """The query's words as ``(is_cjk, piece)``: each whitespace-separated chunk cut into its CJK runs and
    the text between them (kept when it has a word character)."""
    for chunk in (query or "").split():
        for i, piece in enumerate(CJK_SPLIT.split(chunk)):
            if i % 2 or WORD.search(piece):
                yield bool(i % 2), piece


def _phrase(tokens: str) -> str:
    return '"' + tokens.replace('"', '""') + '"'


def match_expression(query: str | None) -> str:
    """An FTS5 expression for ``articles_bigram`` finding every article with all the query's words;
    NO_WORDS when the query has nothing to search for (only spaces or punctuation)."""
    parts = []
    for is_cjk, piece in _pieces(query):
        if not is_cjk:  # words as unicode61 splits them, adjacent
            parts.append(_phrase(piece))
        elif len(piece) == 1:
            parts.append(_phrase(piece) + " *")
        else:
            parts.append(_phrase(_bigram_tokens(piece)))
    return " AND ".join(parts) or NO_WORDS


def _pattern(query: str | None) -> re.Pattern | None:
    """What :func:`match_expression` finds, as a regex over the plain text (for the snippet)."""
    terms = [re.escape(piece) if is_cjk else r"(?<!\w)" + r"\W+".join(map(re.escape, re.findall(r"\w+", piece)))
             + r"(?!\w)" for is_cjk, piece in _pieces(query)]
    return re.compile("|".join(sorted(terms, key=len, reverse=True)), re.IGNORECASE) if terms else None


def snippet(text: str | None, query: str | None, width: int = SNIPPET_CHARS) -> str | None:
    """About ``width`` characters of ``text`` on one line around the first match of ``query``, each match
    between ``**``; the start of the text when it matched only in the title."""
    if not text:
        return text
    flat = " ".join(text.split())
    pattern = _pattern(query)
    first = pattern.search(flat) if pattern else None
    start = max(0, first.start() - width // 4) if first else 0
    window = flat[start:start + width]
    marked = pattern.sub(lambda m: f"{MARK}{m.group()}{MARK}", window) if pattern else window
    return ("…" if start else "") + marked + ("…" if start + width < len(flat) else "")


def register(conn: sqlite3.Connection) -> None:
    """Make the search functions available on ``conn`` (every newsrake connection has them)."""
    conn.create_function("newsrake_bigrams", 1, bigrams, deterministic=True)
    conn.create_function("newsrake_match", 1, match_expression, deterministic=True)
    conn.create_function("newsrake_snippet", 2, snippet, deterministic=True)


def create_index(conn: sqlite3.Connection, progress=None, batch: int = 20_000) -> None:
    """Create ``articles_bigram`` and the triggers that keep it in step with ``articles``, and index the
    articles already stored, ``batch`` at a time; ``progress(done, total)`` after each batch."""
    register(conn)
    conn.execute("CREATE VIRTUAL TABLE articles_bigram USING fts5(title, text, content='',"
                 " tokenize='unicode61 remove_diacritics 2')")
    insert = ("INSERT INTO articles_bigram (rowid, title, text)"
              " VALUES (new.id, newsrake_bigrams(new.title), newsrake_bigrams(new.text));")
    delete = ("INSERT INTO articles_bigram (articles_bigram, rowid, title, text)"
              " VALUES ('delete', old.id, newsrake_bigrams(old.title), newsrake_bigrams(old.text));")
    conn.execute(f"CREATE TRIGGER articles_bigram_ai AFTER INSERT ON articles BEGIN {insert} END")
    conn.execute(f"CREATE TRIGGER articles_bigram_ad AFTER DELETE ON articles BEGIN {delete} END")
    conn.execute(f"CREATE TRIGGER articles_bigram_au AFTER UPDATE OF title, text ON articles"
                 f" BEGIN {delete} {insert} END")
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    done, after = 0, -1
    while done < total:
        upto = conn.execute("SELECT max(id) FROM (SELECT id FROM articles WHERE id > ? ORDER BY id LIMIT ?)",
                            (after, batch)).fetchone()[0]
        if upto is None:
            break
        done += conn.execute("INSERT INTO articles_bigram (rowid, title, text) SELECT id, newsrake_bigrams(title),"
                             " newsrake_bigrams(text) FROM articles WHERE id > ? AND id <= ?", (after, upto)).rowcount
        after = upto
        if progress:
            progress(done, total)
