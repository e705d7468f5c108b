"""Fault-tolerance benchmark: 500 good pages interleaved with every fault of tests/faults.

Runs the same crawl twice, as the CLI runs it (a child process): once against
the site with the faults switched off (the baseline), once with every fault
served (decompression bombs of 4 GiB each, a 64 MiB page, a page streamed
without end, a server that never answers, a dripping page, redirect loops,
...). Reports wall time, peak RSS of the crawl process (psutil, sampled every
50 ms) and stored/expected good pages, and checks the targets:

* every good page stored;
* peak RSS under 500 MB;
* wall time with faults <= 1.5 x baseline + DOWNLOAD_TIMEOUT.

    .venv/bin/python bench/faults/run.py [--pages 500] [--timeout 10] [--extract-timeout 1] [--json out.json]

Both crawls: AUTOTHROTTLE off, progress lines off (tests/faults FAST), other settings as shipped.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.faults import FaultWeb, HangServer, good_path  # noqa: E402
from tests.helpers import crawl, rows, write_config  # noqa: E402

MB = 2**20


def one_run(tmp: Path, name: str, pages: int, timeout: int, faults: bool, extract_timeout: float) -> dict:
    with FaultWeb(host="127.0.0.2", n_good=2, faults=False) as other, HangServer() as hang:
        extra = [hang.url("/news/hang.html"), other.url(good_path(0)), "http://example.invalid/news/x.html"]
        with FaultWeb(n_good=pages, faults=faults, extra_links=extra if faults else [],
                      offsite_target=other.url("/news/offsite-target.html")) as web:
            config = write_config(tmp / f"{name}.toml", [web.url("/list.html")])
            db = tmp / f"{name}.db"
            result = crawl(config, db, {"DOWNLOAD_TIMEOUT": str(timeout),
                                                "NEWSRAKE_EXTRACT_TIMEOUT": str(extract_timeout)}, timeout=600)
            served = {web.url(good_path(n)) for n in range(pages)}
    urls = {u for (u,) in rows(db, "SELECT url FROM articles")}
    (errors,), = rows(db, "SELECT errors_by_kind FROM runs")
    return {"name": name, "returncode": result.returncode, "wall_s": round(result.elapsed, 2),
            "peak_rss_mb": round(result.peak_rss / MB, 1), "good_stored": len(served & urls),
            "good_expected": pages, "rows": len(urls), "errors_by_kind": json.loads(errors or "{}")}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--timeout", type=int, default=10, help="DOWNLOAD_TIMEOUT for both crawls")
    parser.add_argument("--extract-timeout", type=float, default=1.0,
                        help="NEWSRAKE_EXTRACT_TIMEOUT for both crawls (the pathological page takes 1-4 s)")
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsrake-bench-faults-") as tmp:
        tmp = Path(tmp)
        base = one_run(tmp, "baseline", args.pages, args.timeout, False, args.extract_timeout)
        faulty = one_run(tmp, "faults", args.pages, args.timeout, True, args.extract_timeout)
    limit = 1.5 * base["wall_s"] + args.timeout
    checks = {
        "all good pages stored": faulty["good_stored"] == faulty["good_expected"],
        "peak RSS < 500 MB": faulty["peak_rss_mb"] < 500,
        f"wall <= 1.5 x baseline + timeout ({limit:.1f} s)": faulty["wall_s"] <= limit,
        "both runs completed": base["returncode"] == 0 and faulty["returncode"] == 0,
    }
    print("| crawl | wall time (s) | peak RSS (MB) | good pages stored / expected |")
    print("|---|---:|---:|---:|")
    for r in (base, faulty):
        print(f"| {r['name']} | {r['wall_s']} | {r['peak_rss_mb']} | {r['good_stored']} / {r['good_expected']} |")
    print("\nerrors by kind (faults run):", json.dumps(faulty["errors_by_kind"], sort_keys=True))
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    if args.json:
        Path(args.json).write_text(json.dumps({"baseline": base, "faults": faulty, "checks": checks,
                                               "timeout": args.timeout, "pages": args.pages,
                                               "when": time.strftime("%Y-%m-%d %H:%M:%S")}, indent=2))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
