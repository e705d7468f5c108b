"""Throughput: newsrake's full pipeline against a bare Scrapy + trafilatura spider.

    .venv/bin/python -m bench.throughput.run [--pages 2000] [--repeat 2] [--rss-pages 1000 20000]

Both crawls fetch the same synthetic aggregator (bench/throughput/site.py)
from 127.0.0.1 in child processes with the same Scrapy concurrency settings;
wall time, CPU time and peak RSS come from the kernel (os.wait4). A replay of
the same pages through each stage in this process splits newsrake's CPU per
page into extract, clean, dedup and store; fetch is the rest of the crawl's CPU.
A third crawler, the bare spider without trafilatura, is Scrapy's own floor, and
the CPU of this process during each crawl (the page server) completes the budget
of the machine's cores.
One more newsrake crawl per ``--rss-pages`` size gives the peak RSS at each size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from bench.throughput.site import build, serve

ROOT = Path(__file__).resolve().parents[2]
FETCH_ONLY = "bare, no extraction"  # the third crawler: Scrapy's own floor
COMMON = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS=32", "-s",
          "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "LOG_LEVEL=WARNING", "-s", "TELNETCONSOLE_ENABLED=False"]


def _cpu(times) -> float:
    return times.user + times.system


class TreeSample:
    """Peak resident memory of a process tree, and the CPU its root had used when last seen."""

    def __init__(self, proc: psutil.Process):
        self.proc, self.rss_peak, self.own_cpu = proc, 0, 0.0

    def take(self) -> None:
        rss = 0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            try:
                with p.oneshot():
                    rss += p.memory_info().rss
                    if p.pid == self.proc.pid:
                        self.own_cpu = _cpu(p.cpu_times())
            except psutil.Error:
                continue
        self.rss_peak = max(self.rss_peak, rss)


def run_child(args: list[str], cwd: Path) -> dict:
    """Run a crawl; wall time, CPU (its own and its workers', from the kernel), peak RSS of the
    largest process and peak RSS summed over the process tree (sampled every 50 ms); the crawl
    process's own CPU (its last sample, so up to 50 ms short) splits the CPU per process;
    ``server_cpu``: this process's CPU meanwhile (the page server's thread, and the sampling)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start, own_start = time.perf_counter(), time.process_time()
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tree = TreeSample(psutil.Process(proc.pid))
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        tree.take()
        time.sleep(0.05)
    wall, server_cpu = time.perf_counter() - start, time.process_time() - own_start
    if status != 0:
        raise SystemExit(f"{args[:4]} failed: {proc.stderr.read().decode()[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return {"wall": wall, "cpu": cpu, "crawl_cpu": tree.own_cpu, "workers_cpu": cpu - tree.own_cpu,
            "rss_mb": usage.ru_maxrss / 1024, "tree_rss_mb": tree.rss_peak / 2**20, "server_cpu": server_cpu}


def crawl_newsrake(base: str, work: Path, workers: int = -1, args: tuple[str, ...] = (), db: Path | None = None) -> dict:
    """A crawl of the bench site into ``db`` (default: a new database); ``args``: more crawl options
    (bench/distributed: ``--redis``); ``stored``: the articles the crawl stored."""
    config = work / "sites.toml"
    config.write_text(f'[[sites]]\nname = "bench"\nstart_urls = ["{base}/list/1.html"]\n'
                      "article_pattern = '/news/\\d+\\.html$'\nfollow_pattern = '/list/\\d+\\.html$'\n")
    db = db or work / f"news-{time.monotonic_ns()}.db"
    result = run_child([sys.executable, "-m", "pipeline.cli", "crawl", str(config), "--db", str(db), *COMMON,
                        "-s", "NEWSRAKE_PROGRESS_INTERVAL=0", "-s", f"NEWSRAKE_EXTRACT_WORKERS={workers}",
                        # the list pages are one chain (40 for 2,000 pages), followed to its end as the bare spider does
                        "-s", "NEWSRAKE_FOLLOW_DEPTH=0", *args], work)
    import sqlite3

    result["stored"] = sqlite3.connect(db).execute(
        "SELECT count(*) FROM articles WHERE run_id = (SELECT max(id) FROM runs)").fetchone()[0]
    return result


def crawl_bare(base: str, work: Path, extract: bool = True) -> dict:
    """The bare spider's crawl; ``extract=False``: without trafilatura, Scrapy's fetching alone."""
    out = work / f"bare-{time.monotonic_ns()}.jsonl"
    result = run_child([sys.executable, "-m", "scrapy", "runspider", str(ROOT / "bench/throughput/bare_spider.py"),
                        "-a", f"start={base}/list/1.html", "-a", f"extract={int(extract)}", "-o", str(out),
                        *COMMON, "-s", "ROBOTSTXT_OBEY=True"], work)
    result["stored"] = sum(1 for _ in out.open())
    return result


def replay_stages(pages: dict[str, bytes], base: str, sample: int) -> dict:
    """CPU ms per page of each stage, on the same pages, in this process."""
    from datetime import datetime, timezone

    import trafilatura
    from trafilatura.utils import load_html

    from pipeline.core.config import SiteConfig
    from pipeline.core.items import PageItem
    from pipeline.dedup import Deduplicator, content_hash
    from pipeline.extract.article import extract_article
    from pipeline.extract.decode import decode_html
    from pipeline.store import Store

    site = SiteConfig(name="bench")
    items = [(f"{base}{path}", body) for path, body in pages.items() if path.startswith("/news/")][:sample]
    clock = time.process_time
    totals = dict.fromkeys(["decode", "extract", "extract_and_clean", "dedup", "ingest"], 0.0)
    now = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "replay.db")
        ingestor = Deduplicator(store)
        run_id = store.start_run(None, None)
        for url, body in items:
            t0 = clock()
            html, _ = decode_html(body, "text/html; charset=utf-8")
            t1 = clock()
            trafilatura.bare_extraction(load_html(html), url=url, include_comments=False)
            t2 = clock()
            article = extract_article(html, url, site=site, fetched_at=now)
            t3 = clock()
            store.article_with_hash(content_hash(article.text))
            ingestor.index.query(ingestor.hasher.sketch(article.text))
            t4 = clock()
            page = PageItem(site="bench", url=url, body=body, fetched_at=now.isoformat())
            ingestor.ingest(page, article, run_id)
            t5 = clock()
            for key, dt in zip(totals, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
                totals[key] += dt
        store.close()
    ms = {k: 1000 * v / len(items) for k, v in totals.items()}
    return {"decode": ms["decode"], "extract": ms["extract"], "clean": ms["extract_and_clean"] - ms["extract"],
            "dedup": ms["dedup"], "store": ms["ingest"] - ms["dedup"]}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rss-pages", type=int, nargs="+", default=[1000, 20000],
                        help="page counts of the crawls whose peak RSS is compared")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--sample", type=int, default=300, help="pages replayed for the stage split")
    parser.add_argument("--workers", type=int, default=-1,
                        help="NEWSRAKE_EXTRACT_WORKERS for the newsrake crawls (0: extraction in the crawl process)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pages = build(args.pages)
        server = serve(pages)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        runs = {"bare": [], "newsrake": [], FETCH_ONLY: []}
        for _ in range(args.repeat):
            runs["bare"].append(crawl_bare(base, work))
            runs["newsrake"].append(crawl_newsrake(base, work, args.workers))
            runs[FETCH_ONLY].append(crawl_bare(base, work, extract=False))
        stages = replay_stages(pages, base, args.sample)
        server.shutdown()
        by_size = {}
        for size in args.rss_pages:
            size_server = serve(build(size))
            # the whole site at any size: no per-site page cap (NEWSRAKE_MAX_PAGES) or extraction budget
            by_size[size] = crawl_newsrake(f"http://127.0.0.1:{size_server.server_address[1]}", work, args.workers,
                                           ("-s", "NEWSRAKE_MAX_PAGES=0", "-s", "NEWSRAKE_SITE_EXTRACT_BUDGET=0"))
            size_server.shutdown()
            if by_size[size]["stored"] != size:
                sys.exit(f"{size}-page crawl: {by_size[size]['stored']} stored")

    def med(name, key):
        return statistics.median(r[key] for r in runs[name])

    n = args.pages
    print(f"## Throughput ({n} article pages, {args.repeat} runs each, medians, "
          f"NEWSRAKE_EXTRACT_WORKERS={args.workers})\n")
    print("| crawler | stored | wall s | pages/s | CPU ms/page (all processes) | of it: crawl process | of it: workers "
          "| page server CPU ms/page | peak RSS MB, largest process | peak RSS MB, all processes |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name in runs:
        print(f"| {name} | {runs[name][-1]['stored']} | {med(name, 'wall'):.1f} | {n / med(name, 'wall'):.1f} | "
              f"{1000 * med(name, 'cpu') / n:.2f} | {1000 * med(name, 'crawl_cpu') / n:.2f} | "
              f"{1000 * med(name, 'workers_cpu') / n:.2f} | {1000 * med(name, 'server_cpu') / n:.2f} | "
              f"{med(name, 'rss_mb'):.0f} | {med(name, 'tree_rss_mb'):.0f} |")
    short = {name: r["stored"] for name in runs for r in runs[name] if r["stored"] != n}
    if short:  # a ratio of unequal work would mean nothing
        sys.exit(f"not every page was stored: {short}")
    ratio = med("bare", "wall") / med("newsrake", "wall")
    print(f"\nnewsrake / bare pages per second: **{ratio:.2f}x**\n")
    cores, target = os.cpu_count(), 1.3
    per_page_ms = 1000 * med("bare", "wall") / target / n  # the wall time a page may take at the target rate
    budget = cores * per_page_ms - 1000 * med("newsrake", "server_cpu") / n
    print(f"At {target}x the bare spider's rate, {cores} busy cores leave newsrake {budget:.2f} ms of CPU a page "
          f"besides the page server's, and the crawl process {per_page_ms:.2f} ms of its one core; "
          f"Scrapy's fetching alone (the bare spider without extraction) takes "
          f"{1000 * med(FETCH_ONLY, 'cpu') / n:.2f}.\n")
    crawl_cpu = 1000 * med("newsrake", "cpu") / n
    stage_sum = sum(stages.values())
    print("| stage | CPU ms/page |\n| --- | --- |")
    print(f"| fetch (Scrapy, scheduling, process start; crawl CPU minus the stages) | {crawl_cpu - stage_sum:.2f} |")
    for stage, value in stages.items():
        print(f"| {stage} | {value:.2f} |")
    for key, label in (("rss_mb", "largest process"), ("tree_rss_mb", "all processes")):
        sizes = ", ".join(f"{r[key]:.0f} MB at {size} pages" for size, r in by_size.items())
        peaks = [r[key] for r in by_size.values()]
        print(f"\nPeak RSS of newsrake ({label}): {sizes} (largest / smallest {max(peaks) / min(peaks):.2f})")


if __name__ == "__main__":
    main()
