"""Dates part of the quality benchmark: htmldate's evaluation set (../shared/benchmarks/dates-htmldate).

Each page's gzipped bytes are decoded as the crawler decodes them
(:func:`pipeline.extract.decode.decode_html`, charset not normalised in the
corpus) and given its URL from ``ground-truth.json`` (URL dates count, as for
a crawler). Per page, the day part of newsrake's ``published_at`` and of
htmldate's extensive search (the baseline, same run) is right, NULL or wrong.
Pages are split into halves by their place in sorted order: tune on the even
ones, the odd ones are held out to confirm.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

NAME = "dates-htmldate"
DATERS = ("newsrake", "htmldate")


def load(benchmarks: Path):
    root = benchmarks / NAME
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for index, (name, item) in enumerate(sorted(truth.items())):
        yield index, name, item["url"], root / "html" / f"{name}.gz", item["date"]


def date_page(task):
    """``(index, name, want, {dater: day or None})`` of one page."""
    from htmldate import find_date

    from pipeline.extract.article import extract_article
    from pipeline.extract.decode import decode_html
    index, name, url, path, want = task
    html, _ = decode_html(gzip.decompress(path.read_bytes()), None, None)
    found = {"newsrake": (extract_article(html, url).published_at or "")[:10] or None,
             "htmldate": find_date(html, extensive_search=True, original_date=True, url=url)}
    return index, name, want, found


def verdict(want: str, got: str | None) -> str:
    return "NULL" if got is None else "right" if got == want else "wrong"


def score_dates(benchmarks: Path, limit: int | None = None):
    tasks = list(load(benchmarks))[:limit]
    with Pool(2) as pool:
        return pool.map(date_page, tasks, chunksize=4)


def print_dates_report(results, worst: int = 0) -> None:
    halves = {"even": [r for r in results if r[0] % 2 == 0], "odd": [r for r in results if r[0] % 2 == 1],
              "all": results}
    print(f"\n{NAME}: {len(results)} pages (tune on even, odd held out)")
    print("| dater | half | pages | right | NULL | wrong | wrong % |\n|---|---|---|---|---|---|---|")
    for dater in DATERS:
        for half, rows in halves.items():
            counts = Counter(verdict(want, found[dater]) for _, _, want, found in rows)
            share = 100 * counts["wrong"] / len(rows) if rows else 0.0
            print(f"| {dater} | {half} | {len(rows)} | {counts['right']} | {counts['NULL']} | {counts['wrong']} "
                  f"| {share:.1f} |")
    wrong = [r for r in halves["even"] if verdict(r[2], r[3]["newsrake"]) == "wrong"][:worst]
    for _, name, want, found in wrong:
        print(f"  wrong on {name}: {found['newsrake']} (want {want}, htmldate {found['htmldate']})")
