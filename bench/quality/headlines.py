"""Headline and author part of the quality benchmark (aeb and daniel-zh pages).

The printed headline of a page is the last ``<h1>`` or ``itemprop=headline``
element that comes before (or is) the first block of the page's ground-truth
text: the heading above the story, found with the annotation newsrake never
sees; on daniel-zh, whose references start with the headline, their first line
when a body element prints exactly it. Pages without one are left out of the
headline count.

Per extractor (newsrake's ``extract_article``, trafilatura's
``extract_metadata``), even and odd pages (sorted ids) apart:
titles equal to the printed headline (whitespace normalised), titles that
still hold the site name (og:site_name or the ``<title>``'s last segment,
when the headline itself does not hold it), titles that are a site name alone
or empty; authors found, URL-looking authors, site-name authors.

    .venv/bin/python -m bench.quality.run --corpus headlines
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from multiprocessing import Pool

SPACES = re.compile(r"\s+")
HEADLINE_ELEMENTS = {"h1"}
# The <title>'s last segment after one of these is the site name it carries.
TITLE_SEPARATOR = re.compile(r"\s+[-–—|·:]\s+|\s*[|_｜丨]\s*")
# Broader than the rule newsrake filters with (cleaners.authors.URL_LIKE), so that it checks it.
URL_LIKE = re.compile(r"https?://|www\.|\.(?:com|org|net|cn)\b|/", re.I)
# The ground truth's first line of at least this many characters marks where the story starts.
MIN_PROBE = 12
PROBE = 30
EXTRACTORS = ("newsrake", "trafilatura")
FIGURES = ("pages", "with headline", "title = headline", "site name in title", "site name alone or empty",
           "authors", "URL authors", "site-name authors")


def _normal(text) -> str:
    return SPACES.sub(" ", text or "").strip()


def _probe(expected: str) -> str:
    for line in expected.splitlines():
        line = _normal(line)
        if len(line) >= MIN_PROBE:
            return line[:PROBE]
    return ""


def printed_headline(tree, expected: str, in_truth: bool = False) -> str | None:
    """The heading printed above the story, or None.

    ``in_truth``: the ground truth starts with the headline (daniel-zh), taken
    when some body element has exactly that text. Otherwise the last headline
    element at or before the first block holding the story's first line.
    """
    body = tree.find("body")
    if body is None:
        return None
    if in_truth:
        first = _normal(expected.splitlines()[0]) if expected.strip() else ""
        return first if first and any(_normal(e.text_content()) == first for e in body.iter()
                                       if isinstance(e.tag, str)) else None
    probe = _probe(expected)
    if not probe:
        return None
    found = None
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        own = _normal(" ".join([element.text or "", *(child.tail or "" for child in element)]))
        is_headline = element.tag in HEADLINE_ELEMENTS or element.get("itemprop") == "headline"
        if is_headline and _normal(element.text_content()):
            found = _normal(element.text_content())
            if probe in found:
                return found
        elif probe[:MIN_PROBE] in own or (element.tag == "p" and probe in _normal(element.text_content())):
            return found
    return None


def site_names(tree, headline: str | None) -> set[str]:
    """og:site_name and the <title>'s last segment, when not part of the printed headline."""
    names = {_normal(v) for v in tree.xpath("//meta[@property='og:site_name']/@content")}
    title = _normal(" ".join(tree.xpath("//title//text()")))
    parts = TITLE_SEPARATOR.split(title)
    if len(parts) > 1:
        names.add(_normal(parts[-1]))
    keep = {name for name in names if len(name) >= 3}
    return {name for name in keep if not headline or name.casefold() not in headline.casefold()}


def _is_site_name(value: str, names: set[str]) -> bool:
    folded = value.casefold()
    return any(folded == name.casefold() or (len(folded) >= 3 and folded in name.casefold()) for name in names)


def newsrake_fields(html: str, url: str) -> tuple[str, str]:
    from pipeline.extract.article import extract_article
    article = extract_article(html, url)
    return article.title or "", article.author or ""


def trafilatura_fields(html: str, url: str) -> tuple[str, str]:
    import trafilatura
    meta = trafilatura.extract_metadata(html, default_url=url)
    return (meta.title or "", meta.author or "") if meta else ("", "")


RUNNERS = {"newsrake": newsrake_fields, "trafilatura": trafilatura_fields}


# Corpora whose ground truth starts with the printed headline.
HEADLINE_IN_TRUTH = {"daniel-zh"}


@dataclass(frozen=True)
class PageScore:
    """One page: its printed headline, and per extractor the title, the author and the figures."""

    headline: str | None
    fields: dict[str, tuple[str, str]]
    figures: dict[str, Counter]


def score_page(task) -> tuple[str, PageScore]:
    from trafilatura.utils import load_html

    from bench.quality.run import read_html
    page_id, url, path, expected, in_truth = task
    html = read_html(path)
    tree = load_html(html)
    headline = printed_headline(tree, expected, in_truth) if tree is not None else None
    names = site_names(tree, headline) if tree is not None else set()
    fields = {name: tuple(map(_normal, runner(html, url))) for name, runner in RUNNERS.items()}
    figures = {}
    for name, (title, author) in fields.items():
        figures[name] = Counter({
            "pages": 1,
            "with headline": headline is not None,
            "title = headline": headline is not None and title == headline,
            "site name in title": any(n.casefold() in title.casefold() for n in names),
            "site name alone or empty": not title or _is_site_name(title, names),
            "authors": bool(author),
            "URL authors": bool(author) and bool(URL_LIKE.search(author)),
            "site-name authors": bool(author) and _is_site_name(author, names),
        })
    return page_id, PageScore(headline, fields, figures)


def report(corpus: str, results, verbose: bool = False) -> None:
    """One table per half: a row per extractor, a column per figure."""
    from bench.quality.run import halves
    for half, rows in halves(results).items():
        print(f"\n{corpus} headlines and authors, {half} pages")
        print("| extractor | " + " | ".join(FIGURES) + " |\n" + "|---" * (len(FIGURES) + 1) + "|")
        for name in EXTRACTORS:
            total = sum((score.figures[name] for _, score in rows), Counter())
            print(f"| {name} | " + " | ".join(str(total[f]) for f in FIGURES) + " |")
        if verbose:  # --worst: the pages where the title misses the headline, or the two authors differ
            for page_id, score in rows:
                (n_title, n_author), (t_title, t_author) = score.fields["newsrake"], score.fields["trafilatura"]
                if score.headline and n_title != score.headline:
                    print(f"  {page_id[:24]} headline {score.headline[:60]!r}\n{'':26}"
                          f"newsrake {n_title[:60]!r}  trafilatura {t_title[:60]!r}")
                if n_author != t_author:
                    print(f"  {page_id[:24]} author newsrake {n_author[:40]!r}  trafilatura {t_author[:40]!r}")


def run_headlines(corpora: dict, limit: int | None = None, verbose: bool = False) -> None:
    for corpus, loader in corpora.items():
        tasks = [(*task, corpus in HEADLINE_IN_TRUTH) for task in list(loader())[:limit]]
        with Pool(2) as pool:
            results = pool.map(score_page, tasks, chunksize=4)
        report(corpus, results, verbose)
