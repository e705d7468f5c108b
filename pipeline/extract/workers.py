"""Extraction in worker processes: the crawl's CPU-heavy stage on the other cores.

Scrapy runs in one thread; trafilatura and the cleaners are pure-Python CPU
work (several ms a page), so in-process extraction caps a crawl at one core.
An :class:`ExtractionPool` ships each fetched page to a worker process and
awaits the result, so fetching, dedup and storage go on meanwhile. Workers are
spawned (not forked from the running reactor), ignore SIGINT/SIGTERM (the crawl
process decides how to stop), exit when the crawl process dies, and apply the
per-page time limit themselves; each result carries the seconds the page took
in its worker, for the per-site budget.
With ``workers=0`` extraction runs in the crawl process, as ``reclean`` and
``newsrake extract`` do. (Hand-written over ``ProcessPoolExecutor`` because the
executor alone neither restarts a broken pool nor ties workers to the crawl's life.)
"""

from __future__ import annotations

import asyncio
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from pipeline.core.items import Article
from pipeline.extract.page import ExtractionError, extract_page

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def default_workers() -> int:
    """One core stays with Scrapy; at most 4 workers (beyond that the crawl process is the bottleneck)."""
    return min(4, max(1, (os.cpu_count() or 2) - 1))


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)  # the crawl process died (SIGKILL, OOM): nothing will ever ask this worker again


def _kill_me_with_parent() -> None:
    """Linux: have the kernel SIGKILL this worker the moment its parent dies (prctl PR_SET_PDEATHSIG).

    The kernel ties the signal to the thread that spawned the worker: the crawl's reactor
    thread, which lives as long as the crawl process.
    """
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):  # no libc prctl: the polling thread still ends the worker
            pass


def _init_worker(parent: int) -> None:
    """The crawl process decides how to stop, so ignore its signals; but never outlive it.

    ``parent`` is the crawl's pid, passed in: read here with getppid() it would already be 1
    (or a subreaper) when the crawl died while this worker was starting up.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _kill_me_with_parent()
    if os.getppid() != parent:  # died before the death signal was armed
        os._exit(0)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


@dataclass(frozen=True)
class Extraction:
    """One page's extraction: its article, or the :class:`ExtractionError` it ended in, and the
    seconds it took in the process that ran it (the wait for a free worker not included)."""

    seconds: float
    article: Article | None = None
    error: ExtractionError | None = None


def timed_extract(*args) -> Extraction:
    """:func:`extract_page` with the time it took, also when it failed (a page at the time limit cost it)."""
    start = time.monotonic()
    try:
        article = extract_page(*args)
    except ExtractionError as exc:
        return Extraction(time.monotonic() - start, error=exc)
    return Extraction(time.monotonic() - start, article)


class ExtractionPool:
    """Runs :func:`timed_extract` in ``workers`` spawned processes (0: in this process)."""

    def __init__(self, workers: int):
        self.workers = workers
        self.executor = self._start() if workers else None

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_worker, initargs=(os.getpid(),))

    async def extract(self, *args) -> Extraction:
        """``extract_page(*args)``, timed where it runs; raises BrokenProcessPool when a worker died."""
        if self.executor is None:
            return timed_extract(*args)
        executor = self.executor
        try:
            return await asyncio.wrap_future(executor.submit(timed_extract, *args))
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
