"""``newsrake crawl`` and ``newsrake reclean``: the commands that write."""

from __future__ import annotations

from pathlib import Path

from pipeline.cli.output import kinds_text, table
from pipeline.core import counters
from pipeline.core.config import load_config
from pipeline.store import Store, check_database

EXIT_INTERRUPTED = 130


def cmd_crawl(args) -> int:
    from pipeline.crawl.runner import run_crawl

    sites = load_config(args.config)
    check_database(args.db)  # before the lock file is created
    result = run_crawl(Path(args.config), sites, Path(args.db), dict(args.set or []), verbose=args.verbose)
    rows = []
    for site, values in result.sites.items():
        errors = counters.errors_of(values)
        rows.append([site, values.get("fetched", 0), values.get("stored", 0), values.get("updated", 0),
                     values.get("duplicates", 0), sum(errors.values()), kinds_text(errors)])
    print(f"run {result.run_id}: {result.status}  (database: {args.db})")
    print(table(rows, ["site", "fetched", "stored", "updated", "duplicates", "errors", "error kinds"]))
    return 0 if result.status == "completed" else EXIT_INTERRUPTED


def cmd_reclean(args) -> int:
    from pipeline.crawl.runner import newsrake_settings
    from pipeline.crawl.sites import url_rules
    from pipeline.reclean import reclean, sites_from_last_run
    from pipeline.store.lock import DatabaseLock

    check_database(args.db)  # before the lock file is created
    with DatabaseLock(args.db):
        store = Store(args.db)
        try:
            sites = {s.name: s for s in load_config(args.config)} if args.config else sites_from_last_run(store)
            settings = newsrake_settings()
            outcomes = reclean(store, sites, url_rules(settings), site=args.site,
                               threshold=settings.getfloat("NEWSRAKE_NEAR_THRESHOLD"),
                               timeout=settings.getfloat("NEWSRAKE_EXTRACT_TIMEOUT"))
        finally:
            store.close()
    total = sum(outcomes.values())
    kept = outcomes["no_text"] + outcomes["failed"] + outcomes["timeout"] + outcomes["no_page"]
    print(f"re-cleaned {total} articles: {outcomes['updated']} changed, {outcomes['duplicate']} now duplicates, "
          f"{outcomes['unchanged']} unchanged, {kept} kept as they were (no text left {outcomes['no_text']}, "
          f"extraction failed {outcomes['failed']}, timed out {outcomes['timeout']}, no stored page "
          f"{outcomes['no_page']})")
    return 0
