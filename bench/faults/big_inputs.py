"""Big inputs at the default page budget: a 150k-URL sitemap and a 100k-item feed against clean ones.

Each big input lists far more article URLs than the default budget
(NEWSRAKE_MAX_PAGES, 5000) lets the crawl fetch; its baseline is a clean
sitemap or feed of just the pages the budget admits, on the same trap site.
Reports wall time, CPU time of the crawl's process tree (the crawl process and
its extraction workers, from getrusage once they are reaped; the server runs
in this process and is not counted) and peak RSS of the tree, each as a ratio
to its baseline. Issue 9's target: wall time within 2x the clean crawl.

    .venv/bin/python bench/faults/big_inputs.py [--budget 5000] [--repeat 1] [--cases NAME,...]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.faults.traps import TrapWeb  # noqa: E402
from tests.helpers import crawl, write_config  # noqa: E402

MB = 2**20
CASES = {  # name -> (config key, path, URLs listed; None: as many as the budget admits)
    "clean sitemap": ("sitemaps", "/big/sitemap.xml", None),
    "150k-URL sitemap": ("sitemaps", "/big/sitemap.xml", 150_000),
    "clean feed": ("feeds", "/big/feed.xml", None),
    "100k-item feed": ("feeds", "/big/feed.xml", 100_000),
}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_run(name: str, budget: int) -> dict:
    key, path, listed = CASES[name]
    listed = listed or budget - 1  # the sitemap or feed itself is one of the budget's URLs
    with tempfile.TemporaryDirectory(prefix="newsrake-bench-big-") as tmp, \
            TrapWeb(big_urls=listed, big_items=listed) as web:
        tmp = Path(tmp)
        config = write_config(tmp / "sites.toml", [], name="traps", article_pattern="/news/", **{key: [web.url(path)]})
        cpu, start = _children_cpu(), time.monotonic()
        result = crawl(config, tmp / "news.db", {"NEWSRAKE_MAX_PAGES": str(budget)}, timeout=3600)
        wall = time.monotonic() - start
        if result.returncode:
            raise SystemExit(f"{name}: exit {result.returncode}: {result.stderr[-2000:]}")
        return {"wall": wall, "cpu": _children_cpu() - cpu, "rss": result.peak_rss / MB,
                "summary": result.stdout.strip().splitlines()[-1]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=5000, help="NEWSRAKE_MAX_PAGES (default: the shipped 5000)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each case, interleaved; the median is shown")
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, of: {', '.join(CASES)}")
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.cases.split(",") if name.strip()]
    if unknown := [name for name in names if name not in CASES]:
        parser.error(f"unknown case {unknown[0]!r}")
    runs: dict[str, list[dict]] = {name: [] for name in names}
    for _ in range(args.repeat):
        for name in names:
            runs[name].append(one_run(name, args.budget))
            print(f"  {name}: {runs[name][-1]['wall']:.1f} s, {runs[name][-1]['summary']}", file=sys.stderr)
    median = {name: {k: sorted(r[k] for r in rs)[len(rs) // 2] for k in ("wall", "cpu", "rss")}
              for name, rs in runs.items()}
    print("| case | wall (s) | x clean | CPU of the tree (s) | x clean | peak RSS (MB) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, m in median.items():
        base = median.get("clean sitemap" if "sitemap" in name else "clean feed")
        ratio = (lambda key: f"{m[key] / base[key]:.2f}") if base else (lambda key: "-")
        print(f"| {name} | {m['wall']:.1f} | {ratio('wall')} | {m['cpu']:.1f} | {ratio('cpu')} | {m['rss']:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
