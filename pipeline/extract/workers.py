"""Extraction in worker processes: the crawl's CPU-heavy stage on the other cores.

Scrapy runs in one thread; trafilatura and the cleaners are pure-Python CPU
work (several ms a page), so in-process extraction caps a crawl at one core.
An :class:`ExtractionPool` ships each fetched page to a worker process and
awaits the result, so fetching, dedup and storage go on meanwhile. Workers are
spawned (not forked from the running reactor), ignore SIGINT/SIGTERM (the crawl
process decides how to stop), exit when the crawl process dies, and apply the
per-page time limit themselves.
With ``workers=0`` extraction runs in the crawl process, as ``reclean`` and
``newsrake extract`` do. (Hand-written over ``ProcessPoolExecutor`` because the
executor alone neither restarts a broken pool nor ties workers to the crawl's life.)
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from pipeline.core.items import Article
from pipeline.extract.page import extract_page


def default_workers() -> int:
    """One core stays with Scrapy; at most 4 workers (beyond that the crawl process is the bottleneck)."""
    return min(4, max(1, (os.cpu_count() or 2) - 1))


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)  # the crawl process died (SIGKILL, OOM): nothing will ever ask this worker again


def _init_worker() -> None:
    """The crawl process decides how to stop, so ignore its signals; but never outlive it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


class ExtractionPool:
    """Runs :func:`~pipeline.extract.extract_page` in ``workers`` spawned processes (0: in this process)."""

    def __init__(self, workers: int):
        self.workers = workers
        self.executor = self._start() if workers else None

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_worker)

    async def extract(self, *args) -> Article:
        """``extract_page(*args)``; raises what it raises, or BrokenProcessPool."""
        if self.executor is None:
            return extract_page(*args)
        executor = self.executor
        try:
            return await asyncio.wrap_future(executor.submit(extract_page, *args))
        except BrokenProcessPool:
            # A worker died (killed, out of memory) on some page: every page in flight on that pool
            # fails; the first to notice starts a new pool for the pages that follow.
            if self.executor is executor:
                executor.shutdown(wait=False)
                self.executor = self._start()
            raise

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
