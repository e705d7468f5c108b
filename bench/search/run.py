"""Search speed and index size on a synthetic archive of 1,000,000 articles (bench/search/corpus.py).

    .venv/bin/python -m bench.search.run [--articles 1000000] [--repeat 15] [--cache /tmp/newsrake-bench-search]
    .venv/bin/python -m bench.search.run --db PATH     # an archive built before, as it is

The archive is built once, outside the timings, and cached under ``--cache`` (never in the repository).
Each query runs ``newsrake search QUERY --json`` (20 best matches, ranked) through the command's own
function in this process, ``--repeat`` times after one warm-up, and once more as a CLI child process
(interpreter start and imports included). Baselines in the same run: the trigram index for the 4-character
query (the same ranked top 20), and the full scan ``LIKE '%天津%'`` that was the only way to find a
two-character word before. Sizes are the pages of each index's tables (SQLite's dbstat).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.search.corpus import cached
from pipeline.cli import main
from pipeline.store import connect_for_query

ROOT = Path(__file__).resolve().parents[2]
QUERIES = {"2-character Chinese": "天津", "4-character Chinese": "土地市场", "English word": "council",
           "very common 2-character Chinese": "发展", "1-character Chinese": "津"}
TRIGRAM_TOP = ("SELECT a.id FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
               " WHERE articles_fts MATCH ? ORDER BY articles_fts.rank LIMIT 20")


def median_ms(call, repeat: int) -> float:
    """Median milliseconds of ``repeat`` calls of ``call``, after one to warm the caches."""
    call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def search_quietly(db: Path, query: str) -> None:
    """``newsrake search QUERY --json`` through the command's own function, its output discarded."""
    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        assert main(["search", query, "--db", str(db), "--json"]) == 0


def _cli_ms(db: Path, query: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline.cli", "search", query, "--db", str(db), "--json"], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return (time.perf_counter() - start) * 1000


def _sizes(conn) -> dict[str, int]:
    rows = conn.execute("SELECT CASE WHEN name LIKE 'articles_fts%' THEN 'trigram' WHEN name LIKE 'articles_bigram%'"
                        " THEN 'bigram' WHEN name = 'articles' THEN 'articles' END AS part, sum(pgsize)"
                        " FROM dbstat GROUP BY part").fetchall()
    return {part: size for part, size in rows if part}


def run(db: Path, repeat: int) -> None:
    conn = connect_for_query(db)
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    print(f"{articles:,} articles, {db.stat().st_size / 1e9:.2f} GB ({db})\n")
    print("| query | matches | `newsrake search` median (in process) | CLI, once | baseline |")
    print("| --- | ---: | ---: | ---: | --- |")
    for label, query in QUERIES.items():
        matches = conn.execute("SELECT count(*) FROM articles_bigram WHERE articles_bigram MATCH newsrake_match(?)",
                               (query,)).fetchone()[0]
        ms = median_ms(lambda: search_quietly(db, query), repeat)
        baseline = ""
        if label == "4-character Chinese":
            trigram = median_ms(lambda: conn.execute(TRIGRAM_TOP, (query,)).fetchall(), repeat)
            baseline = f"trigram index, same top 20: {trigram:.0f} ms"
        elif label == "2-character Chinese":
            scan = median_ms(lambda: conn.execute("SELECT count(*) FROM articles WHERE title || text LIKE ?",
                                                  (f"%{query}%",)).fetchone(), 1)
            baseline = f"full scan LIKE '%{query}%': {scan:.0f} ms ({scan / ms:.0f}x)"
        print(f"| {label} `{query}` | {matches:,} | {ms:.0f} ms | {_cli_ms(db, query):.0f} ms | {baseline} |")
    sizes = _sizes(conn)
    print(f"\nindex sizes: bigram {sizes['bigram'] / 1e6:,.0f} MB, trigram {sizes['trigram'] / 1e6:,.0f} MB "
          f"(bigram / trigram = {sizes['bigram'] / sizes['trigram']:.2f}); articles table {sizes['articles'] / 1e6:,.0f} MB")
    conn.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/newsrake-bench-search"))
    parser.add_argument("--db", type=Path, help="measure this archive as it is instead (built by corpus.build)")
    args = parser.parse_args()
    run(args.db or cached(args.articles, args.cache), args.repeat)
