"""``newsrake crawl`` and ``newsrake reclean``: the commands that write."""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.cli.output import kinds_text, table
from pipeline.core import counters
from pipeline.core.config import load_config
from pipeline.store import Store, check_database, storage_faults

EXIT_STORAGE_FAILED = 4  # what was fetched could not be stored: the run is marked failed
EXIT_INTERRUPTED = 130


def cmd_crawl(args) -> int:
    from pipeline.crawl.runner import run_crawl

    sites = load_config(args.config)
    check_database(args.db)  # before anything is created
    result = run_crawl(Path(args.config), sites, Path(args.db), dict(args.set or []), verbose=args.verbose)
    rows = []
    for site, values in result.sites.items():
        errors = counters.errors_of(values)
        held = ["?" if values[name] is None else values[name] for name in ("stored", "updated", "duplicates")]
        rows.append([site, values.get("fetched", 0), *held, sum(errors.values()), kinds_text(errors)])
    print(f"run {result.run_id}: {result.status}  (database: {args.db})")
    print(table(rows, ["site", "fetched", "stored", "updated", "duplicates", "errors", "error kinds"]))
    if result.failure:
        print(f"newsrake: error: run {result.run_id} failed: {result.failure}", file=sys.stderr)
        return EXIT_STORAGE_FAILED
    return 0 if result.status == "completed" else EXIT_INTERRUPTED


def cmd_reclean(args) -> int:
    from pipeline.crawl.runner import newsrake_settings
    from pipeline.crawl.sites import url_rules
    from pipeline.reclean import reclean, sites_from_last_run

    check_database(args.db)  # before anything is created
    store = Store(args.db)  # takes the lock, refuses a damaged database
    try:
        sites = {s.name: s for s in load_config(args.config)} if args.config else sites_from_last_run(store)
        settings = newsrake_settings()
        with storage_faults(args.db):  # StorageFailure: exit 4
            outcomes = reclean(store, sites, url_rules(settings), site=args.site,
                               threshold=settings.getfloat("NEWSRAKE_NEAR_THRESHOLD"),
                               timeout=settings.getfloat("NEWSRAKE_EXTRACT_TIMEOUT"))
            store.close()
    finally:
        if store.is_open:  # reclean stopped on an error: its open batch is dropped
            store.abort()
    total = sum(outcomes.values())
    kept = outcomes["no_text"] + outcomes["failed"] + outcomes["timeout"] + outcomes["no_page"]
    print(f"re-cleaned {total} articles: {outcomes['updated']} changed, {outcomes['duplicate']} now duplicates, "
          f"{outcomes['unchanged']} unchanged, {kept} kept as they were (no text left {outcomes['no_text']}, "
          f"extraction failed {outcomes['failed']}, timed out {outcomes['timeout']}, no stored page "
          f"{outcomes['no_page']})")
    return 0
