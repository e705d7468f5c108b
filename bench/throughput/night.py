"""The thousandth night: a crawl into an archive of 1,000,000 articles against the same crawl into an empty one.

    .venv/bin/python -m bench.throughput.night [--articles 1000000] [--pages 2000] [--repeat 3]
                                               [--cache /tmp/newsrake-bench-night]

The archive is built once, outside the timings, and cached under ``--cache`` (never in the repository):
the search benchmark's synthetic articles (bench/search/corpus.py: 80 % Chinese, 20 % English, realistic
lengths, both search indexes kept by the real triggers) spread over 365 completed runs, then their
near-duplicate index (the real MinHash and LSH code), a duplicates row for every fourth article and the
compressed raw page of every article. Each timed crawl is ``newsrake crawl`` of ``--pages`` new article
pages of the throughput bench's site (a seed per repeat that no earlier invocation used, so every page is
new to the archive); the empty-database crawls run interleaved with them. Printed: pages/s both ways and
their ratio, the cost of the lookups a crawl makes per link and per page (seen-URL, fingerprint, LSH band query) in each
database, on the first touch of the pages they read and again, and the archive's size per stored article by table group
(SQLite's dbstat).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

from bench.search import corpus
from bench.throughput.run import crawl_newsrake
from bench.throughput.site import build, serve
from pipeline.dedup.lsh import LSHIndex
from pipeline.dedup.params import derive
from pipeline.dedup.policy import sketcher
from pipeline.store import Store, connect, page_compressed, queries

RUNS = 365
BATCH = 20_000
THRESHOLD = 0.8  # NEWSRAKE_NEAR_THRESHOLD's default
GROUPS = {  # what a table or index holds, by the first prefix of its name that matches; the rest is text
    "raw HTML (zlib)": ("pages", "sqlite_autoindex_pages"),
    "trigram index (articles_fts)": ("articles_fts",),
    "bigram index (articles_bigram)": ("articles_bigram",),
    "near-duplicate index (LSH)": ("lsh_",),
    "duplicates": ("duplicates", "idx_duplicates", "sqlite_autoindex_duplicates"),
}
TEXT = "text and metadata"  # articles, removals, article_history, runs and their indexes


def _page_html(title: str, text: str) -> bytes:
    """A stored article's page, as an aggregator wraps it (the demo's kind of boilerplate around the story)."""
    body = "".join(f"<p>{p}</p>" for p in text.splitlines())
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title} - 聚合网</title></head><body>"
            f"<div class='nav'>{''.join(f'<a href=/c/{i}.html>频道{i}</a>' for i in range(20))}</div><h1>{title}</h1>"
            f"<div class='content'>{body}</div><p>版权声明:本文由聚合网发布,如需转载请注明出处。</p>"
            "</body></html>").encode()


def _batches(conn: sqlite3.Connection, sql: str):
    rows = conn.execute(sql)
    while chunk := rows.fetchmany(BATCH):
        yield chunk


def build_archive(path: Path, n: int) -> None:
    """The articles with both search indexes (bench/search/corpus.py), then the LSH index, duplicates and
    pages, committed every 20,000 rows, with progress on stderr."""
    corpus.build(path, n, runs=RUNS)
    conn = connect(path)
    conn.execute("PRAGMA cache_size = -1000000")
    index, hasher, rng = LSHIndex(conn, derive(THRESHOLD)), sketcher(THRESHOLD), random.Random(5)
    reader = connect(path)  # the batches are read on their own connection while the writer commits
    start, done = time.monotonic(), 0
    for chunk in _batches(reader, "SELECT id, site, title, text, fetched_at, run_id FROM articles ORDER BY id"):
        conn.execute("BEGIN")
        for article_id, site, title, text, fetched_at, run_id in chunk:
            index.add(article_id, hasher.sketch(text))
        conn.executemany("INSERT INTO pages (url, site, fetched_at, content_type, html_zlib) VALUES (?, ?, ?, ?, ?)",
                         [(f"http://{site}.example/news/{article_id}.html", site, fetched_at,
                           "text/html; charset=utf-8", page_compressed(_page_html(title, text)))
                          for article_id, site, title, text, fetched_at, _ in chunk])
        conn.executemany("INSERT INTO duplicates (url, site, article_id, kind, similarity, title, fetched_at, run_id)"
                         " VALUES (?, ?, ?, 'exact', 1.0, ?, ?, ?)",
                         [(f"http://site{rng.randrange(corpus.SITES)}.example/copy/{article_id}.html", site,
                           article_id, title, fetched_at, run_id)
                          for article_id, site, title, _, fetched_at, run_id in chunk if article_id % 4 == 0])
        conn.execute("COMMIT")
        done += len(chunk)
        print(f"indexed {done}/{n} articles (LSH, pages, duplicates) in {time.monotonic() - start:.0f} s",
              file=sys.stderr, flush=True)
    index.mark_built()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    reader.close()
    conn.close()


def cached_archive(n: int, cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"night-{n}.db"
    done = path.with_suffix(".done")
    if not done.exists():
        build_archive(path, n)
        done.write_text(str(n))
    Store(path).close()  # a cached archive of an earlier schema is migrated here, not in the first timed crawl
    return path


def lookup_us(path: Path, repeat: int = 2000) -> dict:
    """Microseconds per lookup a crawl makes: a link's seen-URL check, a page's fingerprint and LSH band query
    (for URLs and texts not in the archive, the nightly case)."""
    conn = connect(path)
    index, hasher = LSHIndex(conn, derive(THRESHOLD)), sketcher(THRESHOLD)
    keys = [index.band_keys(hasher.sketch(f"新的一篇文章 {i} 内容与存档中的都不一样 some new words {i}"))
            for i in range(repeat)]
    timings = {}
    for name, call in (("seen-URL check", lambda i: queries.known_article(conn, f"http://new.example/n/{i}.html")),
                       ("fingerprint", lambda i: conn.execute("SELECT id FROM articles WHERE content_hash = ?",
                                                              (f"nope{i}",)).fetchone()),
                       ("LSH band query", lambda i: index.tables.lookup(keys[i]))):
        for touch in ("first", "again"):  # the same keys again: the pages they read are now in the OS's cache
            start = time.perf_counter()
            for i in range(repeat):
                call(i)
            timings[name, touch] = 1e6 * (time.perf_counter() - start) / repeat
    conn.close()
    return timings


def sizes(path: Path, n: int) -> dict:
    """Bytes per stored article of each table group (dbstat)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    by_table = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))
    conn.close()
    out = dict.fromkeys([TEXT, *GROUPS], 0)
    for name, size in by_table.items():
        out[next((group for group, prefixes in GROUPS.items() if name.startswith(prefixes)), TEXT)] += size
    out["whole file"] = sum(by_table.values())
    return {group: size / n for group, size in out.items()}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/newsrake-bench-night"))
    args = parser.parse_args(argv)

    archive = cached_archive(args.articles, args.cache)
    # Seeds no earlier invocation used: the cached archive keeps every crawl's pages, so a seed used twice
    # would make every page an exact duplicate; each crawl adds a run, so the next invocation starts past these.
    with closing(sqlite3.connect(archive)) as conn:
        first_seed = 100 + conn.execute("SELECT count(*) FROM runs").fetchone()[0]
    before = {"archive": lookup_us(archive)}
    walls = {"empty": [], "archive": []}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for seed in range(args.repeat):
            server = serve(build(args.pages, seed=first_seed + seed))
            base = f"http://127.0.0.1:{server.server_address[1]}"
            for name, db in (("empty", None), ("archive", archive)):
                result = crawl_newsrake(base, work, db=db)
                if result["stored"] != args.pages:
                    sys.exit(f"{name}: {result['stored']} of {args.pages} pages stored")
                walls[name].append(result["wall"])
            server.shutdown()
        before["empty"] = lookup_us(next(work.glob("news-*.db")))  # one of the crawls into an empty database
    rate = {name: args.pages / statistics.median(w) for name, w in walls.items()}
    print(f"## The thousandth night ({args.articles:,} articles stored, {args.pages} new pages, "
          f"median of {args.repeat})\n")
    lookups = ("seen-URL check", "fingerprint", "LSH band query")
    print("| database | pages/s | " + " | ".join(f"{name} µs (first / again)" for name in lookups) + " |\n| --- |"
          + " --- |" * (1 + len(lookups)))
    for name in ("empty", "archive"):
        t = before[name]
        print(f"| {name} | {rate[name]:.1f} | "
              + " | ".join(f"{t[lookup, 'first']:.1f} / {t[lookup, 'again']:.1f}" for lookup in lookups) + " |")
    print(f"\narchive / empty pages per second: **{rate['archive'] / rate['empty']:.2f}x**\n")
    print("| table group | bytes per stored article |\n| --- | --- |")
    for group, size in sizes(archive, args.articles).items():
        print(f"| {group} | {size:,.0f} |")


if __name__ == "__main__":
    main()
