"""Extraction in worker processes: the crawl's CPU-heavy stage on the other cores.

Scrapy runs in one thread; trafilatura and the cleaners are pure-Python CPU
work (several ms a page), so in-process extraction caps a crawl at one core.
An :class:`ExtractionPool` ships each fetched page to a worker process and
awaits the result, so fetching, dedup and storage go on meanwhile; the job a
worker runs on a page is the pool's (the crawl's also makes the dedup sketch
and compresses the page there, :mod:`pipeline.crawl.page_job`). Workers are
spawned (not forked from the running reactor), ignore SIGINT/SIGTERM (the crawl
process decides how to stop), exit when the crawl process dies, and apply the
per-page time limit themselves; each result carries the seconds the page took
in its worker, for the per-site budget.
With ``workers=0`` extraction runs in the crawl process, as ``reclean`` and
``newsrake extract`` do.

Hand-written, not ``ProcessPoolExecutor``: each worker has its own pipe, which
the crawl's event loop writes pages to and watches for answers (``add_reader``),
so the crawl process runs no executor threads (their manager and queue-feeder
threads, and the wake-up pipe each submit writes to, cost the crawl process
about a fifth of its CPU); a worker that dies fails only its own pages and is
replaced alone; and a worker holds up to :data:`DEPTH` pages, so it starts the
next one without waiting for the crawl process to read its last answer.
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
from collections import deque
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from pipeline.core.items import ExtractedPage
from pipeline.extract.page import ExtractionError

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
DEPTH = 2  # pages a worker holds: the one it works on and the next


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
    """One page's extraction: what the job made of it, or the :class:`ExtractionError` it ended in, and
    the seconds it took in the process that ran it (the wait for a free worker not included)."""

    seconds: float
    page: ExtractedPage | None = None
    error: ExtractionError | None = None


def timed(job, *args) -> Extraction:
    """``job(*args)`` with the time it took, also when it failed (a page at the time limit cost it)."""
    start = time.monotonic()
    try:
        page = job(*args)
    except ExtractionError as exc:
        return Extraction(time.monotonic() - start, error=exc)
    return Extraction(time.monotonic() - start, page)


def _serve(conn, parent: int, job) -> None:
    """A worker's life: answer each page read from ``conn`` with :func:`timed` ``job``, until the pipe closes."""
    _init_worker(parent)
    while True:
        try:
            args = conn.recv()
        except (EOFError, OSError):  # the pool closed the pipe: the crawl is over
            return
        try:
            answer = timed(job, *args)
        except Exception as exc:  # a fault outside the job's own ExtractionError (out of memory): the page's
            answer = exc
        conn.send(answer)


class _Worker:
    """One worker process, the crawl's end of its pipe, and the futures of the pages it holds (in order)."""

    def __init__(self, context, job):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, os.getpid(), job), daemon=True)
        self.process.start()
        child.close()
        self.pending: deque[asyncio.Future] = deque()

    def stop(self) -> None:
        self.conn.close()  # the worker reads EOF and returns
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


class ExtractionPool:
    """Runs ``job`` (a module-level function of a page that returns an :class:`ExtractedPage` or raises
    :class:`ExtractionError`), timed, in ``workers`` spawned processes (0: in this process).

    ``capacity`` is how many pages it holds at once; its caller keeps to it (the crawl's
    ExtractPipeline does, with a semaphore). Workers start with the first page.
    """

    def __init__(self, workers: int, job):
        self.workers = workers
        self.job = job
        self.capacity = DEPTH * workers or 1
        self._context = multiprocessing.get_context("spawn")
        self._pool: list[_Worker] = []

    async def extract(self, *args) -> Extraction:
        """``job(*args)``, timed where it runs; raises BrokenProcessPool when its worker died."""
        if not self.workers:
            return timed(self.job, *args)
        if not self._pool:
            self._pool = [self._start() for _ in range(self.workers)]
        worker = min(self._pool, key=lambda w: len(w.pending))
        answer = asyncio.get_running_loop().create_future()
        worker.pending.append(answer)
        try:
            worker.conn.send(args)
        except OSError:  # its pipe broke: it died; its reader tells the pages it held
            pass
        return await answer

    def _start(self) -> _Worker:
        worker = _Worker(self._context, self.job)
        asyncio.get_running_loop().add_reader(worker.conn.fileno(), self._answered, worker)
        return worker

    def _answered(self, worker: _Worker) -> None:
        try:
            answer = worker.conn.recv()
        except (EOFError, OSError):
            self._lost(worker)
            return
        future = worker.pending.popleft()
        if not future.done():  # its page was cancelled (the crawl is closing)
            if isinstance(answer, Exception):
                future.set_exception(answer)
            else:
                future.set_result(answer)

    def _lost(self, worker: _Worker) -> None:
        """A worker died (killed, out of memory): the pages it held fail, a new worker takes its place."""
        asyncio.get_running_loop().remove_reader(worker.conn.fileno())
        worker.stop()
        self._pool[self._pool.index(worker)] = self._start()
        for future in worker.pending:
            if not future.done():
                future.set_exception(BrokenProcessPool(f"an extraction worker died (exit code "
                                                       f"{worker.process.exitcode})"))

    def close(self) -> None:
        for worker in self._pool:
            try:
                asyncio.get_event_loop().remove_reader(worker.conn.fileno())
            except (RuntimeError, ValueError, OSError):  # no loop any more, or the pipe is closed
                pass
            worker.stop()
        self._pool = []
