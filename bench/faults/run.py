"""Fault-tolerance benchmark: every hostile case of tests/faults next to the same good pages.

Runs crawls as the CLI runs them (a child process), with the shipped settings
(AUTOTHROTTLE and progress lines off, as tests.helpers.FAST). The baseline is
a clean crawl of ``--pages`` good pages on one site. Each hostile case crawls
the same good site next to a hostile one (or, for ``faults``, with every fault
of tests/faults interleaved in the good site: decompression bombs, a 64 MiB
page, an endless stream, a server that never answers, a dripping page,
redirect loops, ...). For each case it reports the wall time, the peak RSS of
the whole process tree (crawl process and extraction workers, sampled every
50 ms), the exit code and the good pages stored, and checks the targets of
issue 9:

* every good page stored (disk full: exit 4, and the summary is what the database holds);
* the tree's peak RSS under 500 MB;
* wall time <= 2 x baseline + the configured timeouts (DOWNLOAD_TIMEOUT).

    .venv/bin/python bench/faults/run.py [--pages 500] [--timeout 10] [--cases NAME,...] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.faults import FaultWeb, HangServer, good_path  # noqa: E402
from tests.faults.session_site import SessionWeb  # noqa: E402
from tests.faults.traps import TrapWeb  # noqa: E402
from tests.helpers import finish, rows, rss, start_crawl, write_config  # noqa: E402

MB = 2**20
DISK_LIMIT = 700_000  # bytes of file size for the disk-full case: the schema and a few batches fit


class RobotsWeb(FaultWeb):
    """A small site whose robots.txt answers ``status`` with ``body``."""

    def __init__(self, status: int, body: bytes, **kwargs):
        super().__init__(n_good=4, faults=False, **kwargs)
        self.robots = status, body

    def _serve(self, h, path, hits):
        if path == "/robots.txt":
            return self._send(h, *self.robots, "text/plain")
        return super()._serve(h, path, hits)


def big_robots(size: int) -> bytes:
    return b"User-agent: *\n" + b"".join(b"Disallow: /*/archive-%08d\n" % i for i in range(size // 28))


def _trap(stack, path, site):
    web = stack.enter_context(TrapWeb(host="127.0.0.3"))
    return {"start_urls": [web.url(path)] if path else [], "article_pattern": r"/news/", **site(web)}


# name -> (stack, tmp) -> the hostile site's config keys (None: no second site)
HOSTILE = {
    "pagination trap": lambda stack, tmp: _trap(stack, "/page/1.html", site=lambda w: {
        "follow_pattern": r"/page/\d+\.html$"}),
    "calendar trap": lambda stack, tmp: _trap(stack, "/cal/2024-05-01.html", site=lambda w: {
        "follow_pattern": r"/cal/[\d-]+\.html$"}),
    "sitemap index chain": lambda stack, tmp: _trap(stack, None, site=lambda w: {
        "sitemaps": [w.url("/sitemap/1.xml")], "follow_pattern": None}),
    "30k-link list page": lambda stack, tmp: _trap(stack, "/big/list.html", site=lambda w: {
        "follow_pattern": None}),
    "150k-URL sitemap": lambda stack, tmp: _trap(stack, None, site=lambda w: {
        "sitemaps": [w.url("/big/sitemap.xml")], "follow_pattern": None}),
    "100k-item feed": lambda stack, tmp: _trap(stack, None, site=lambda w: {
        "feeds": [w.url("/big/feed.xml")], "follow_pattern": None}),
}


def _session(stack, tmp):
    web = stack.enter_context(SessionWeb("sid", host="127.0.0.3", n_stories=5, n_lists=3))
    return {"start_urls": [web.url("/list.html")], "article_pattern": r"/news/story-",
            "follow_pattern": r"/list/\d+\.html$"}


def _robots(status: int, body: bytes):
    def site(stack, tmp):
        web = stack.enter_context(RobotsWeb(status, body, host="127.0.0.3"))
        return {"start_urls": [web.url("/list.html")]}
    return site


HOSTILE.update({
    "session ids": _session,
    "robots.txt 503": _robots(503, b"busy"),
    "7 MB robots.txt": _robots(200, big_robots(7 * MB)),
})


def _config(tmp: Path, name: str, good_url: str, hostile: dict | None) -> Path:
    text = write_config(tmp / f"{name}-good.toml", [good_url], name="good").read_text()
    if hostile is not None:
        hostile = dict(hostile)
        start = hostile.pop("start_urls")
        follow = hostile.pop("follow_pattern", r"/list/\d+\.html$")
        text += "\n" + write_config(tmp / f"{name}-hostile.toml", start, name="hostile",
                                    follow_pattern=follow, **hostile).read_text()
    config = tmp / f"{name.replace(' ', '_')}.toml"
    config.write_text(text, encoding="utf-8")
    return config


def _limit_file_size():
    resource.setrlimit(resource.RLIMIT_FSIZE, (DISK_LIMIT, DISK_LIMIT))


def one_run(tmp: Path, name: str, pages: int, timeout: int) -> dict:
    settings = {"DOWNLOAD_TIMEOUT": str(timeout)}
    db = tmp / f"{name.replace(' ', '_')}.db"
    with ExitStack() as stack:
        if name == "faults":
            other = stack.enter_context(FaultWeb(host="127.0.0.2", n_good=2, faults=False))
            hang = stack.enter_context(HangServer())
            extra = [hang.url("/news/hang.html"), other.url(good_path(0)), "http://example.invalid/news/x.html"]
            web = stack.enter_context(FaultWeb(n_good=pages, faults=True, extra_links=extra,
                                               offsite_target=other.url("/news/offsite-target.html")))
            hostile = None
        else:
            web = stack.enter_context(FaultWeb(n_good=pages, faults=False))
            hostile = HOSTILE[name](stack, tmp) if name in HOSTILE else None
        config = _config(tmp, name, web.url("/list.html"), hostile)
        start = time.monotonic()
        proc = start_crawl(config, db, settings, log_dir=tmp,
                           preexec_fn=_limit_file_size if name == "disk full" else None)
        result = finish(proc, start, timeout=1800, sample=rss)
        served = {web.url(good_path(n)) for n in range(pages)}
    urls = {u for (u,) in rows(db, "SELECT url FROM articles UNION SELECT url FROM duplicates")}
    status = rows(db, "SELECT status FROM runs ORDER BY id DESC LIMIT 1")
    return {"name": name, "returncode": result.returncode, "status": status[0][0] if status else None,
            "wall_s": round(result.elapsed, 2), "peak_rss_mb": round(result.peak_rss / MB, 1),
            "good_stored": len(served & urls), "good_expected": pages,
            "stderr_tail": result.stderr.strip().splitlines()[-1:] if result.returncode else []}


CASES = ["faults", *HOSTILE, "disk full"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--timeout", type=int, default=10, help="DOWNLOAD_TIMEOUT for every crawl")
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, of: {', '.join(CASES)}")
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args(argv)
    names = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r}")
    with tempfile.TemporaryDirectory(prefix="newsrake-bench-faults-") as tmp:
        tmp = Path(tmp)
        base = one_run(tmp, "baseline", args.pages, args.timeout)
        results = []
        for name in names:
            results.append(one_run(tmp, name, args.pages, args.timeout))
            print(f"  {name}: {results[-1]['wall_s']} s", file=sys.stderr)
    limit = 2 * base["wall_s"] + args.timeout
    print(f"baseline: {base['wall_s']} s, {base['peak_rss_mb']} MB, {base['good_stored']}/{args.pages} stored; "
          f"time target <= 2 x baseline + DOWNLOAD_TIMEOUT = {limit:.1f} s\n")
    print("| case | exit | status | wall (s) | x baseline | peak RSS of the tree (MB) | good stored | targets |")
    print("|---|---:|---|---:|---:|---:|---:|---|")
    checks = {}
    for r in results:
        expected = (r["returncode"] == 4 and r["status"] in ("failed", "running")) if r["name"] == "disk full" \
            else (r["returncode"] == 0 and r["good_stored"] == r["good_expected"])
        ok = {"outcome": expected, "rss": r["peak_rss_mb"] < 500, "time": r["wall_s"] <= limit}
        checks[r["name"]] = ok
        mark = "ok" if all(ok.values()) else "MISSED: " + ", ".join(k for k, v in ok.items() if not v)
        print(f"| {r['name']} | {r['returncode']} | {r['status']} | {r['wall_s']} | {r['wall_s'] / base['wall_s']:.2f} "
              f"| {r['peak_rss_mb']} | {r['good_stored']} / {r['good_expected']} | {mark} |")
    if args.json:
        Path(args.json).write_text(json.dumps({"baseline": base, "cases": results, "checks": checks,
                                               "timeout": args.timeout, "pages": args.pages,
                                               "when": time.strftime("%Y-%m-%d %H:%M:%S")}, indent=2))
    return 0 if all(all(c.values()) for c in checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
