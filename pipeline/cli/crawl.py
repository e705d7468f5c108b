"""``newsrake crawl`` and ``newsrake reclean``: the commands that write."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from pipeline.cli.archive import UsageError, check_site
from pipeline.cli.health import health_cell, sentence
from pipeline.cli.output import kinds_text, table
from pipeline.core import counters
from pipeline.core.config import load_config
from pipeline.crawl.logs import print_logged
from pipeline.store import Store, check_database, storage_faults

EXIT_FLAGGED = 3  # done, but something needs a look: a crawl's site flagged (--ok-on-flags: 0), a check warned
EXIT_STORAGE_FAILED = 4  # what was fetched could not be stored: the run is marked failed
EXIT_INTERRUPTED = 130


def _settings(args) -> dict:
    """The ``-s`` overrides, and ``--log-file`` as Scrapy's LOG_FILE."""
    return {**dict(getattr(args, "set", None) or []), **({"LOG_FILE": args.log_file} if args.log_file else {})}


def cmd_crawl(args) -> int:
    from pipeline.crawl.runner import run_crawl

    if args.workers is not None and not args.redis:
        raise UsageError("--workers needs --redis (the workers of a distributed crawl)")
    sites = load_config(args.config)
    check_database(args.db)  # before anything is created
    if args.redis:
        from pipeline.distributed.coordinator import run_distributed

        result = run_distributed(Path(args.config), sites, Path(args.db), args.redis,
                                 1 if args.workers is None else args.workers, _settings(args), verbose=args.verbose)
    else:
        result = run_crawl(Path(args.config), sites, Path(args.db), _settings(args), verbose=args.verbose)
    rows = []
    for site, values in result.sites.items():
        errors = counters.errors_of(values)
        held = ["?" if values[name] is None else values[name] for name in ("stored", "updated", "duplicates")]
        flags = result.site_runs[site]["flags"] if site in result.site_runs else None
        rows.append([site, values.get("fetched", 0), values.get("new_links", 0), values.get("known_links", 0), *held,
                     sum(errors.values()), kinds_text(errors), health_cell(flags)])
    print_logged(f"run {result.run_id}: {result.status}  (database: {args.db})")
    print_logged(table(rows, ["site", "fetched", "new", "known", "stored", "updated", "duplicates", "errors",
                              "error kinds", "health"]))
    flagged = {site: flags for site in result.sites if (flags := result.site_runs.get(site, {}).get("flags"))}
    if flagged:
        print_logged("\n" + "\n".join(sentence(site, flag, result.site_runs[site])
                                       for site, flags in flagged.items() for flag in flags))
    if result.failure:
        print_logged(f"newsrake: error: run {result.run_id} failed: {result.failure}", sys.stderr, logging.ERROR)
    print_logged(_summary_line(result, flagged))
    if result.failure:
        return EXIT_STORAGE_FAILED
    if result.status != "completed":
        return EXIT_INTERRUPTED
    return EXIT_FLAGGED if flagged and not args.ok_on_flags else 0


def cmd_worker(args) -> int:
    """A worker of the distributed crawl on ``--redis``: 0 when the coordinator ended the run, 4 when Redis
    was gone longer than NEWSRAKE_REDIS_LOST_TIMEOUT, 130 when stopped by a signal."""
    from pipeline.distributed.worker import REDIS_LOST, run_worker

    sites = load_config(args.config)
    reason = run_worker(Path(args.config), sites, args.redis, _settings(args), verbose=args.verbose)
    if reason == REDIS_LOST:
        return EXIT_STORAGE_FAILED
    return 0 if reason == "finished" else EXIT_INTERRUPTED


def _summary_line(result, flagged: dict) -> str:
    """The run in one machine-readable line, last on stdout and in the log:
    ``run 12 completed: 3 sites, 41 stored, 2 flagged (zh-agg: no_links; en-wire: yield_drop)``."""
    stored = [values["stored"] for values in result.sites.values()]
    total = "?" if None in stored else sum(stored)
    names = "; ".join(f"{site}: {', '.join(f['flag'] for f in flags)}" for site, flags in flagged.items())
    return (f"run {result.run_id} {result.status}: {len(result.sites)} sites, {total} stored, {len(flagged)} flagged"
            + (f" ({names})" if names else ""))


def cmd_reclean(args) -> int:
    from pipeline.crawl.logs import install_log_handler
    from pipeline.crawl.runner import newsrake_settings
    from pipeline.crawl.sites import url_rules
    from pipeline.reclean import reclean, sites_from_last_run

    check_database(args.db)  # before anything is created
    settings = newsrake_settings(_settings(args))
    install_log_handler(settings, verbose=False)  # LogFileError before the lock is taken
    store = Store(args.db)  # takes the lock, refuses a damaged database
    try:
        check_site(store.conn, args.site)
        sites = {s.name: s for s in load_config(args.config)} if args.config else sites_from_last_run(store)
        with storage_faults(args.db):  # StorageFailure: exit 4
            outcomes = reclean(store, sites, url_rules(settings), site=args.site,
                               threshold=settings.getfloat("NEWSRAKE_NEAR_THRESHOLD"),
                               timeout=settings.getfloat("NEWSRAKE_EXTRACT_TIMEOUT"))
            store.close()
    finally:
        if store.is_open:  # reclean stopped on an error: its open batch is dropped
            store.abort()
    total = sum(outcomes.values())
    kept = outcomes["no_text"] + outcomes["extract_failed"] + outcomes["extract_timeout"] + outcomes["no_page"]
    print_logged(f"re-cleaned {total} articles: {outcomes['updated']} changed, {outcomes['duplicate']} now duplicates, "
                  f"{outcomes['unchanged']} unchanged, {kept} kept as they were (no text left {outcomes['no_text']}, "
                  f"extraction failed {outcomes['extract_failed']}, timed out {outcomes['extract_timeout']}, "
                  f"no stored page {outcomes['no_page']})")
    return 0
