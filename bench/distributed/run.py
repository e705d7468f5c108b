"""Distributed crawl: pages/s of the local crawl and of ``--redis`` with 1, 2 and 4 workers; Redis operations
and bytes per page; the single writer's own ceiling.

    .venv/bin/python -m bench.distributed.run [--pages 1000] [--workers 1,2,4] [--writer-articles 2000] [--repeat 3]

Every crawl fetches the synthetic aggregator of bench/throughput from 127.0.0.1 in a child process, with
the same Scrapy settings, against a redis-server of its own (loopback, no persistence). Redis's own
counters (INFO commandstats, total_net_*_bytes) give its operations and bytes per page. The writer's
ceiling: a stream pre-filled with cleaned articles is stored by a coordinator alone (``--workers 0``
resuming the prepared run); its rate is the articles over the wall time less that of the same command
over an empty stream (start-up and the end-of-run grace), with the workers' fingerprints and MinHash
signatures in the entries and without (the writer computing them).
"""

from __future__ import annotations

import argparse
import pickle
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.throughput.run import crawl_newsrake, run_child
from bench.throughput.site import served_site
from tests.distributed.redis_server import RedisServer

GRACE = "1"  # NEWSRAKE_FLEET_GRACE of the bench crawls, seconds


def redis_counters(client) -> tuple[int, int]:
    """(commands executed, bytes in + out) since the server started."""
    calls = sum(v["calls"] for k, v in client.info("commandstats").items() if k.startswith("cmdstat_"))
    stats = client.info("stats")
    return calls, stats["total_net_input_bytes"] + stats["total_net_output_bytes"]


def distributed(base: str, work: Path, workers: int) -> dict:
    with RedisServer(work) as server:
        before = redis_counters(server.client)
        result = crawl_newsrake(base, work, args=("--redis", server.url, "--workers", str(workers),
                                                  "-s", f"NEWSRAKE_FLEET_GRACE={GRACE}"))
        after = redis_counters(server.client)
    result["ops"], result["bytes"] = after[0] - before[0], after[1] - before[1]
    return result


def cleaned_articles(pages: dict[str, bytes], base: str, n: int, sketched: bool = True) -> list[bytes]:
    """``n`` stream entries as a worker writes them: pickled ExtractedPage of the bench pages with their
    fingerprint and MinHash (cycled with distinct URLs when fewer pages; a repeat is then an exact
    duplicate, as republished copies are); ``sketched`` False: without them, for the writer to compute."""
    from pipeline.core.config import SiteConfig
    from pipeline.core.items import ExtractedPage, PageItem
    from pipeline.dedup.policy import sketcher, text_sketch
    from pipeline.extract.article import extract_article

    site, now, hasher = SiteConfig(name="bench"), datetime.now(timezone.utc), sketcher(0.8)
    items = [(path, body) for path, body in pages.items() if path.startswith("/news/")]
    out = []
    for i in range(n):
        path, body = items[i % len(items)]
        url = f"{base}{path}" + (f"?copy={i // len(items)}" if i >= len(items) else "")
        article = extract_article(body.decode("utf-8"), url, site=site, fetched_at=now)
        page = PageItem(site="bench", url=url, body=body, fetched_at=now.isoformat())
        item = ExtractedPage(page, article, text_sketch(hasher, article.text) if sketched else None)
        out.append(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
    return out


def writer_alone(work: Path, entries: list[bytes]) -> float:
    """Wall seconds of a coordinator storing ``entries`` from a prepared run's stream, with no worker."""
    from pipeline.distributed import fleet

    config, db = work / "sites.toml", work / f"writer-{time.monotonic_ns()}.db"
    with RedisServer(work) as server:
        run = fleet.claim(server.client, db.resolve(), fleet.config_hash(config), {}, lease=15)
        for i in range(0, len(entries), 500):
            pipe = server.client.pipeline()
            for entry in entries[i:i + 500]:
                pipe.xadd(run.keys.articles, {"page": entry})
            pipe.execute()
        server.client.set(run.keys.seeded, 1)
        fleet.release(server.client)  # the prepared run is resumed by the coordinator below
        result = run_child([sys.executable, "-m", "pipeline.cli", "crawl", str(config), "--db", str(db),
                            "--redis", server.url, "--workers", "0", "-s", f"NEWSRAKE_FLEET_GRACE={GRACE}",
                            "-s", "NEWSRAKE_PROGRESS_INTERVAL=0", "-s", "LOG_LEVEL=WARNING"], work)
    stored = sqlite3.connect(db).execute("SELECT (SELECT count(*) FROM articles) + "
                                         "(SELECT count(*) FROM duplicates)").fetchone()[0]
    if stored != len(entries):
        raise SystemExit(f"the writer stored {stored} of {len(entries)} articles")
    return result["wall"]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--workers", default="1,2,4", help="worker counts of the distributed crawls (none: '')")
    parser.add_argument("--writer-articles", type=int, default=2000, help="articles pre-filled for the writer")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each writer measurement")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, served_site(args.pages) as (pages, base):
        work = Path(tmp)
        runs = {"local": crawl_newsrake(base, work)}
        for n in [int(w) for w in args.workers.split(",") if w]:
            runs[f"--redis, {n} worker{'s' if n > 1 else ''}"] = distributed(base, work, n)
        entries = cleaned_articles(pages, base, args.writer_articles)
        bare = cleaned_articles(pages, base, args.writer_articles, sketched=False)
        walls = {"empty": [], "sketched": [], "bare": []}
        for _ in range(args.repeat):  # interleaved, so that a load on the machine hits all three alike
            for name, items in (("empty", []), ("sketched", entries), ("bare", bare)):
                walls[name].append(writer_alone(work, items))
        empty, full, unsketched = (statistics.median(walls[k]) for k in ("empty", "sketched", "bare"))

    n = args.pages
    print(f"## Distributed crawl ({n} article pages, one run each)\n")
    print("| crawl | stored | wall s | pages/s | vs local | Redis ops/page | Redis bytes/page |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    local = runs["local"]["wall"]
    for name, r in runs.items():
        ops = f"{r['ops'] / n:.1f}" if "ops" in r else "-"
        size = f"{r['bytes'] / n:,.0f}" if "bytes" in r else "-"
        print(f"| {name} | {r['stored']} | {r['wall']:.1f} | {n / r['wall']:.1f} | {local / r['wall']:.2f}x | "
              f"{ops} | {size} |")
    short = {name: r["stored"] for name, r in runs.items() if r["stored"] != n}
    if short:  # a ratio of unequal work would mean nothing
        raise SystemExit(f"not every page was stored: {short}")
    rate, bare_rate = len(entries) / (full - empty), len(entries) / (unsketched - empty)
    print(f"\nThe writer alone (medians of {args.repeat}): {len(entries)} articles from a pre-filled stream in "
          f"{full:.1f} s, {empty:.1f} s of it start-up and grace (the same command over an empty stream): "
          f"**{rate:.0f} articles/s**, {rate * 3600 * 8 / 1e6:.1f} M articles in an 8-hour night; "
          f"{bare_rate:.0f} articles/s when the writer computes the fingerprints and MinHash itself "
          f"({rate / bare_rate:.2f}x).")


if __name__ == "__main__":
    main()
