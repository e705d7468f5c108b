"""Extraction + cleaning quality benchmark (a script, not a test).

Scores newsrake's ``extract_article`` against trafilatura alone and
readability-lxml on the public benchmarks in ../shared/benchmarks (relative to
the repo), with the metric described in that directory's README: CJK
characters and other ``\\w+`` runs as tokens, bags of 4-token shingles,
per-page precision/recall averaged over pages, F1 from the averages.

    .venv/bin/python -m bench.quality.run [--limit N] [--corpus aeb|daniel-zh|demo-web|dates-htmldate|headlines] [--worst N]

The demo-web part (boilerplate surviving on the project's demo sites) is in
bench/quality/demo_web.py, the dates part (right / NULL / wrong days against
htmldate's extensive search) in bench/quality/dates.py, the headline and author
part (titles against the printed headline, authors) in bench/quality/headlines.py.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import sys
import time
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BENCHMARKS = REPO.parent / "shared" / "benchmarks"
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
TOKEN = re.compile(rf"[{CJK}]|[^\W{CJK}]+")
SHINGLE = 4
EXTRACTORS = ("newsrake", "trafilatura", "readability")
DEMO = "demo-web"
DATES = "dates-htmldate"
HEADLINES = "headlines"


def shingles(text: str) -> Counter:
    tokens = TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i:i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1)))


def precision_recall(expected: str, extracted: str) -> tuple[float, float]:
    want, got = shingles(expected), shingles(extracted)
    if want == got:
        return 1.0, 1.0
    tp = sum((want & got).values())
    precision = tp / sum(got.values()) if got else 0.0
    recall = tp / sum(want.values()) if want else 0.0
    return precision, recall


def load_aeb():
    root = BENCHMARKS / "aeb"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id, item in sorted(truth.items()):
        path = root / "html" / f"{page_id}.html.gz"
        yield page_id, item["url"], path, item["articleBody"]


def load_daniel():
    root = BENCHMARKS / "daniel-zh"
    for page_id in json.loads((root / "ids.json").read_text(encoding="utf-8")):
        reference = (root / "reference" / f"{page_id}.txt").read_text(encoding="utf-8")
        expected = "\n".join(re.findall(r"<p>(.*?)</p>", reference, flags=re.S))
        host = page_id.split("_")[1]
        yield page_id, f"http://{host}/{page_id}.html", root / "html" / f"{page_id}.html", expected


CORPORA = {"aeb": load_aeb, "daniel-zh": load_daniel}


def read_html(path: Path) -> str:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return data.decode("utf-8", errors="replace")


class FullRuns(logging.Handler):
    """Counts the pages on which newsrake found its fast pass suspect and took trafilatura's full run."""

    count = 0

    def emit(self, record):
        FullRuns.count += record.getMessage().startswith("fast pass suspect")


def run_newsrake(html, url):
    from pipeline.extract.article import LOGGER, extract_article
    if not any(isinstance(handler, FullRuns) for handler in LOGGER.handlers):
        LOGGER.addHandler(FullRuns())
        LOGGER.setLevel(logging.DEBUG)
    return extract_article(html, url).text


def run_trafilatura(html, url):
    import trafilatura
    return trafilatura.extract(html, include_comments=False) or ""


def run_readability(html, url):
    import lxml.html
    from readability import Document
    summary = Document(html).summary(html_partial=True)
    root = lxml.html.fromstring(summary)
    blocks = root.xpath("//p|//li|//h1|//h2|//h3|//h4|//pre|//blockquote|//td")
    return "\n".join(b.text_content().strip() for b in blocks) or root.text_content()


RUNNERS = {"newsrake": run_newsrake, "trafilatura": run_trafilatura, "readability": run_readability}


def score_page(task):
    page_id, url, path, expected = task
    html = read_html(path)
    scores, full_runs = {}, FullRuns.count
    for name, runner in RUNNERS.items():
        started = time.perf_counter()
        try:
            text = runner(html, url)
        except Exception as exc:  # a crash scores zero, and is reported
            print(f"{name} failed on {page_id}: {exc!r}", file=sys.stderr)
            text = ""
        scores[name] = (*precision_recall(expected, text), time.perf_counter() - started)
    scores["full_run"] = FullRuns.count > full_runs
    return page_id, scores


def summarise(results) -> dict:
    table = {}
    for name in EXTRACTORS:
        rows = [scores[name] for _, scores in results]
        p = sum(r[0] for r in rows) / len(rows)
        r = sum(r[1] for r in rows) / len(rows)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        table[name] = {"precision": p, "recall": r, "f1": f1, "seconds": sum(x[2] for x in rows)}
    return table


def halves(results) -> dict:
    """The results split by the position of their id in sorted order: "even" to tune on, "odd" held out."""
    order = {page_id: index for index, page_id in enumerate(sorted(page_id for page_id, _ in results))}
    return {half: [item for item in results if order[item[0]] % 2 == parity]
            for half, parity in (("even", 0), ("odd", 1))}


def print_halves(results) -> None:
    """P / R / F1 of each extractor on the even (tuning) and odd (held-out) half."""
    split = {half: summarise(rows) for half, rows in halves(results).items() if rows}
    print("| extractor | " + " | ".join(f"{half} P / R / F1" for half in split) + " |")
    print("|---|" + "---|" * len(split))
    for name in EXTRACTORS:
        cells = (f"{t[name]['precision']:.3f} / {t[name]['recall']:.3f} / {t[name]['f1']:.3f}" for t in split.values())
        print(f"| {name} | " + " | ".join(cells) + " |")


def run_demo() -> None:
    """The demo-web part, when the project's demo web and its ground truth exist."""
    try:
        from bench.quality.demo_web import print_demo_report, score_demo
    except ImportError as exc:
        print(f"\n{DEMO}: skipped ({exc})")
        return
    print_demo_report(score_demo())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="score only the first N pages of each corpus")
    parser.add_argument("--corpus", choices=[*sorted(CORPORA), DEMO, DATES, HEADLINES], action="append", help="default: all")
    parser.add_argument("--worst", type=int, default=0, help="list the N pages where newsrake scores lowest")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    for corpus in args.corpus or [*sorted(CORPORA), DEMO, DATES, HEADLINES]:
        if corpus == DEMO:
            run_demo()
            continue
        if corpus == DATES:
            from bench.quality.dates import print_dates_report, score_dates
            print_dates_report(score_dates(BENCHMARKS, args.limit), args.worst)
            continue
        if corpus == HEADLINES:
            from bench.quality.headlines import run_headlines
            run_headlines(CORPORA, args.limit, verbose=bool(args.worst))
            continue
        tasks = list(CORPORA[corpus]())[: args.limit]
        with Pool(2) as pool:
            results = pool.map(score_page, tasks, chunksize=4)
        print(f"\n{corpus}: {len(results)} pages")
        print("| extractor | precision | recall | F1 | seconds |\n|---|---|---|---|---|")
        for name, row in summarise(results).items():
            print(f"| {name} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} | {row['seconds']:.1f} |")
        print_halves(results)
        full_runs = sum(scores["full_run"] for _, scores in results)
        print(f"newsrake took trafilatura's full run (fast pass suspect) on {full_runs} of {len(results)} pages")
        if args.worst:
            def f1(s):
                return 2 * s[0] * s[1] / (s[0] + s[1]) if s[0] + s[1] else 0.0
            ranked = sorted(results, key=lambda item: f1(item[1]["newsrake"]))[: args.worst]
            for page_id, scores in ranked:
                n, t = scores["newsrake"], scores["trafilatura"]
                print(f"  {page_id[:60]}  newsrake P{n[0]:.2f} R{n[1]:.2f}  trafilatura P{t[0]:.2f} R{t[1]:.2f}")


if __name__ == "__main__":
    main()
