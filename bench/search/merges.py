"""The search indexes' merge setting: FTS5's default (4 segments per level) against newsrake's (16).

    .venv/bin/python -m bench.search.merges [--articles 100000] [--batch 50]

For each setting, a new database (the real schema and triggers, both search indexes) takes ``--articles``
of the search benchmark's synthetic articles (bench/search/corpus.py) in transactions of ``--batch``, as a
crawl commits them (NEWSRAKE_BATCH_SIZE). Printed: CPU ms per article insert in each tenth of the load, so
the growth with the archive shows, then the file size and the median time of the search benchmark's
queries (``newsrake search`` in this process, and the trigram index for the 4-character one).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from bench.search.corpus import generated
from bench.search.run import QUERIES, TRIGRAM_TOP, median_ms, search_quietly
from pipeline.store import Store, connect

SETTINGS = {"FTS5 default (automerge 4)": None, "newsrake (automerge 16)": 16}


def load(path: Path, n: int, batch: int, automerge: int | None) -> list[float]:
    """``n`` articles into a new database at ``path``; CPU ms per insert in each tenth of them."""
    Store(path).close()
    conn = connect(path)
    if automerge is None:  # back to FTS5's own defaults
        for table in ("articles_fts", "articles_bigram"):
            conn.execute(f"DELETE FROM {table}_config WHERE k IN ('automerge', 'crisismerge')")
    articles, tenth, per_tenth = generated(random.Random(13)), max(1, n // 10), []
    start = time.process_time()
    for i in range(n):
        if i % batch == 0:
            conn.execute("BEGIN")
        _, title, text = next(articles)
        conn.execute("INSERT INTO articles (url, site, title, text, fetched_at, content_hash)"
                     " VALUES (?, ?, ?, ?, ?, ?)",
                     (f"http://site.example/news/{i}.html", "site", title, text, "2024-01-01T00:00:00+00:00", f"h{i}"))
        if i % batch == batch - 1 or i == n - 1:
            conn.execute("COMMIT")
        if (i + 1) % tenth == 0:
            now = time.process_time()
            per_tenth.append(1000 * (now - start) / tenth)
            start = now
    conn.close()
    return per_tenth


def query_ms(path: Path, repeat: int = 7) -> dict[str, float]:
    """Median ms of ``newsrake search`` (its own function, in this process) per query, and of the trigram index."""
    out = {label: median_ms(lambda: search_quietly(path, q), repeat) for label, q in QUERIES.items()}
    conn = connect(path)
    out["4-character, trigram index"] = median_ms(lambda: conn.execute(TRIGRAM_TOP, ('"土地市场"',)).fetchall(), repeat)
    conn.close()
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, automerge in SETTINGS.items():
            path = Path(tmp) / f"merge-{automerge}.db"
            results[label] = (load(path, args.articles, args.batch, automerge), query_ms(path), path.stat().st_size)
    print(f"## Search-index merges ({args.articles:,} articles, {args.batch} per transaction)\n")
    print("| setting | insert CPU ms/article, by tenth of the load | file MB |\n| --- | --- | --- |")
    for label, (tenths, _, size) in results.items():
        print(f"| {label} | {' '.join(f'{t:.2f}' for t in tenths)} | {size / 2**20:.0f} |")
    labels = list(next(iter(results.values()))[1])
    print("\n| setting | " + " | ".join(f"{q} ms" for q in labels) + " |\n| --- |" + " --- |" * len(labels))
    for label, (_, queries, _) in results.items():
        print(f"| {label} | " + " | ".join(f"{queries[q]:.1f}" for q in labels) + " |")


if __name__ == "__main__":
    main()
