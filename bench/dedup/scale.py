"""Scale benchmark of the SQLite-backed MinHash LSH index.

Inserts N synthetic documents (half Chinese, half English, 1,000-2,000
characters, Zipf-distributed vocabulary drawn with numpy) into an
:class:`~pipeline.dedup.LSHIndex` in a temporary SQLite file and, at 10k,
100k and 1M stored documents (those <= N, plus N), measures:

- lookup latency of ``index.query(sig)`` (sketching excluded): median and
  p99 over queries that are half unseen documents (the common miss path) and
  half lightly edited copies of stored documents (hit path);
- index bytes per document (``dbstat`` pages of the two index tables);
- RSS and peak RSS of the process.

Sketch time is measured separately on exactly 2,000-character documents.
Inserts are batched in transactions of ``--batch`` documents, with
``journal_mode=WAL`` and ``synchronous=NORMAL`` and SQLite's default page
cache, as in the crawler.

Usage::

    .venv/bin/python bench/dedup/scale.py                 # 1,000,000 docs
    .venv/bin/python bench/dedup/scale.py --docs 100000   # quicker
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pipeline.dedup import LSHIndex, MinHasher, derive  # noqa
from pipeline.store.db import migrate  # noqa: E402


class Corpus:
    """Cheap synthetic documents from a fixed vocabulary."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)
        letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
        lengths = self.rng.integers(2, 11, 30_000)
        self.words = np.array(["".join(self.rng.choice(letters, n)) for n in lengths])
        self.hanzi = np.array([chr(c) for c in range(0x4E00, 0x4E00 + 4_000)])
        self.zh_punct = np.array(list("，，，。、：；"))

    def _zipf_ids(self, n: int, vocab: int) -> np.ndarray:
        return np.minimum(self.rng.zipf(1.3, n), vocab) - 1

    def doc(self, chars: int | None = None) -> str:
        """One document of ``chars`` characters (random 1,000-2,000 if None)."""
        chars = chars or int(self.rng.integers(1_000, 2_001))
        if self.rng.random() < 0.5:
            toks = self.hanzi[self._zipf_ids(chars, len(self.hanzi))]
            punct = self.rng.random(chars) < 0.07
            toks[punct] = self.zh_punct[self.rng.integers(0, len(self.zh_punct), punct.sum())]
            return "".join(toks)
        words = self.words[self._zipf_ids(chars // 5, len(self.words))]
        return " ".join(words)[:chars]

    def edit(self, text: str, share: float = 0.01) -> str:
        """Replace ``share`` of the characters/words of ``text``."""
        sep = " " if " " in text else ""
        toks = text.split(" ") if sep else list(text)
        for i in self.rng.choice(len(toks), max(1, int(share * len(toks))), replace=False):
            toks[i] = self.words[self.rng.integers(len(self.words))] if sep else \
                self.hanzi[self.rng.integers(len(self.hanzi))]
        return sep.join(toks)


def index_bytes(conn: sqlite3.Connection) -> int:
    return conn.execute(
        "SELECT SUM(pgsize) FROM dbstat WHERE name IN ('lsh_bands', 'lsh_signatures')"
    ).fetchone()[0]


def rss_mb() -> tuple[float, float]:
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return psutil.Process().memory_info().rss / 2**20, peak_kb / 2**10


def measure_lookups(index: LSHIndex, hasher: MinHasher, corpus: Corpus, sample: list[str],
                    queries: int) -> dict:
    misses = [hasher.sketch(corpus.doc()) for _ in range(queries // 2)]
    picks = corpus.rng.choice(len(sample), queries - len(misses))
    hits = [hasher.sketch(corpus.edit(sample[i])) for i in picks]
    times, found = {"miss": [], "hit": []}, 0
    for kind, sigs in (("miss", misses), ("hit", hits)):
        for sig in sigs:
            t0 = time.perf_counter()
            m = index.query(sig)
            times[kind].append(time.perf_counter() - t0)
            found += kind == "hit" and m is not None
    both = np.array(times["miss"] + times["hit"]) * 1e3
    return {
        "lookup_median_ms": float(np.median(both)),
        "lookup_p99_ms": float(np.percentile(both, 99)),
        "miss_median_ms": float(np.median(times["miss"]) * 1e3),
        "hit_median_ms": float(np.median(times["hit"]) * 1e3),
        "hits_found": found / len(hits),
    }


def measure_sketch(hasher: MinHasher, corpus: Corpus, n: int = 1_000) -> float:
    docs = [corpus.doc(2_000) for _ in range(n)]
    t0 = time.perf_counter()
    for d in docs:
        hasher.sketch(d)
    return (time.perf_counter() - t0) / n * 1e3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=10_000, help="documents per transaction")
    ap.add_argument("--queries", type=int, default=2_000, help="lookups per checkpoint")
    ap.add_argument("--dir", default=None, help="directory for the database (default: a new /tmp dir)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=None, help="also write the results as JSON here")
    args = ap.parse_args()

    workdir = Path(args.dir or tempfile.mkdtemp(prefix="newsrake-dedup-scale-", dir="/tmp"))
    db = workdir / "index.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    migrate(conn, "bench")
    index = LSHIndex(conn, derive(0.8))
    hasher = MinHasher(num_perm=128, shingle=5, seed=1)
    corpus = Corpus(args.seed)

    results = {"docs": args.docs, "db": str(db),
               "sketch_ms_per_2000_chars": measure_sketch(hasher, corpus), "checkpoints": []}
    print(json.dumps({"sketch_ms_per_2000_chars": results["sketch_ms_per_2000_chars"]}), flush=True)
    checkpoints = sorted({c for c in (10_000, 100_000, 1_000_000) if c <= args.docs} | {args.docs})
    sample: list[str] = []  # reservoir of stored texts for hit queries (fixed size: flat RSS)
    sketch_s = insert_s = 0.0
    stored = 0
    for stop in checkpoints:
        while stored < stop:
            for _ in range(min(args.batch, stop - stored)):
                stored += 1
                text = corpus.doc()
                t0 = time.perf_counter()
                sig = hasher.sketch(text)
                t1 = time.perf_counter()
                index.add(stored, sig)
                insert_s += time.perf_counter() - t1
                sketch_s += t1 - t0
                if len(sample) < 1_000:
                    sample.append(text)
                elif (j := corpus.rng.integers(stored)) < 1_000:
                    sample[j] = text
            t0 = time.perf_counter()
            conn.commit()
            insert_s += time.perf_counter() - t0
        point = {"stored": stored, **measure_lookups(index, hasher, corpus, sample, args.queries),
                 "index_bytes_per_doc": index_bytes(conn) / stored,
                 "file_bytes_per_doc": (db.stat().st_size + (workdir / "index.db-wal").stat().st_size) / stored,
                 "sketch_ms_per_doc": sketch_s / stored * 1e3,
                 "insert_ms_per_doc": insert_s / stored * 1e3}
        point["rss_mb"], point["peak_rss_mb"] = rss_mb()
        results["checkpoints"].append(point)
        print(json.dumps(point), flush=True)

    first, last = results["checkpoints"][0], results["checkpoints"][-1]
    results["lookup_median_ratio_last_first"] = last["lookup_median_ms"] / first["lookup_median_ms"]
    results["rss_growth_mb_last_first"] = last["rss_mb"] - first["rss_mb"]
    print(json.dumps({k: v for k, v in results.items() if k != "checkpoints"}), flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2))
    conn.close()


if __name__ == "__main__":
    main()
