"""Extraction in worker processes: the crawl's CPU-heavy stage on the other cores.

Scrapy runs in one thread; trafilatura and the cleaners are pure-Python CPU
work (several ms a page), so in-process extraction caps a crawl at one core.
An :class:`ExtractionPool` ships each fetched page to a worker process and
awaits the result, so fetching, dedup and storage go on meanwhile; the job a
worker runs on a page is the pool's (the crawl's also makes the dedup sketch
and compresses the page there, :mod:`pipeline.crawl.page_job`). Workers are
spawned (not forked from the running reactor), ignore SIGINT/SIGTERM (the crawl
process decides how to stop), exit when the crawl process dies, and apply the
per-page time limit themselves; each result carries the CPU seconds the page
took in its worker, for the per-site budget.
With ``workers=0`` extraction runs in the crawl process, as ``reclean`` and
``newsrake extract`` do.

Hand-written, not ``ProcessPoolExecutor``: each worker has its own two pipes,
one the crawl's event loop writes pages to without ever blocking (what the pipe
does not take waits for ``add_writer``), one it watches for answers (``add_reader``),
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
import struct
import sys
import threading
import time
from collections import deque
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.reduction import ForkingPickler

from pipeline.core.items import ExtractedPage
from pipeline.extract.page import ExtractionError

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
DEPTH = 4  # pages a worker holds: the one it works on and three queued, so a busy crawl process rarely starves it
SHARING_NICENESS = 10  # a worker on the crawl process's core yields it whenever the crawl process wants it


def default_workers() -> int:
    """One a core, at most 4 (beyond that the crawl process is the bottleneck).

    The worker on the crawl process's core runs at :data:`SHARING_NICENESS` (see :func:`niceness`), so it
    uses only the time the serial crawl process leaves: on 2 cores, 2 workers crawl about 20 % faster than 1.
    """
    return min(4, os.cpu_count() or 1)


def niceness(index: int) -> int:
    """The nice value of the pool's ``index``-th worker: 0 while there is a core besides the crawl
    process's for it, :data:`SHARING_NICENESS` beyond. Its pages' time limit and cost count its own
    CPU time (:mod:`pipeline.extract.timeout`), so a worker kept waiting is slower, never cut short."""
    return 0 if index < (os.cpu_count() or 1) - 1 else SHARING_NICENESS


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


def _init_worker(parent: int, nice: int) -> None:
    """The crawl process decides how to stop, so ignore its signals; but never outlive it. Lower the
    worker's priority by ``nice``.

    ``parent`` is the crawl's pid, passed in: read here with getppid() it would already be 1
    (or a subreaper) when the crawl died while this worker was starting up.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.nice(nice)
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
    """``job(*args)`` with the CPU time it took, also when it failed (a page at the time limit cost it)."""
    start = time.process_time()
    try:
        page = job(*args)
    except ExtractionError as exc:
        return Extraction(time.process_time() - start, error=exc)
    return Extraction(time.process_time() - start, page)


def _serve(pages, answers, parent: int, job, nice: int) -> None:
    """A worker's life: answer each page read from ``pages`` with :func:`timed` ``job`` on ``answers``, until
    the pipe closes."""
    _init_worker(parent, nice)
    while True:
        try:
            args = pages.recv()
        except (EOFError, OSError):  # the pool closed the pipe: the crawl is over
            return
        try:
            answer = timed(job, *args)
        except Exception as exc:  # a fault outside the job's own ExtractionError (out of memory): the page's
            answer = exc
        answers.send(answer)


def _framed(obj) -> bytes:
    """``obj`` as ``Connection.send`` writes it (length, then the pickle), for :meth:`ExtractionPool._flush`
    to write without blocking: Connection has no non-blocking send."""
    data = ForkingPickler.dumps(obj)
    size = len(data)
    return (struct.pack("!i", size) if size <= 0x7FFFFFFF else struct.pack("!iQ", -1, size)) + data


class _Worker:
    """One worker process at niceness ``nice``, the crawl's ends of its two pipes (pages out, answers back),
    the pages not yet written to it, and the futures of the pages it holds (in order)."""

    def __init__(self, context, job, nice: int):
        self.nice = nice
        child_pages, self.pages = context.Pipe(duplex=False)
        self.answers, child_answers = context.Pipe(duplex=False)
        os.set_blocking(self.pages.fileno(), False)
        self.process = context.Process(target=_serve, args=(child_pages, child_answers, os.getpid(), job, nice),
                                       daemon=True)
        self.process.start()
        child_pages.close()
        child_answers.close()
        self.outbox = bytearray()
        self.pending: deque[asyncio.Future] = deque()

    def stop(self) -> None:
        self.pages.close()  # the worker reads EOF and returns
        self.answers.close()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


class ExtractionPool:
    """Runs ``job`` (a module-level function of a page that returns an :class:`ExtractedPage` or raises
    :class:`ExtractionError`), timed, in ``workers`` spawned processes (0: in this process).

    ``capacity`` is how many pages it holds at once; its caller keeps to it (the crawl's
    ExtractPipeline does, with a semaphore). :meth:`start` starts the workers.
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
        worker = min(self._pool, key=lambda w: len(w.pending))
        answer = asyncio.get_running_loop().create_future()
        worker.pending.append(answer)
        worker.outbox += _framed(args)
        self._flush(worker)
        return await answer

    def start(self) -> None:
        """Start the workers; called when the crawl opens, so their imports overlap its start."""
        if self.workers and not self._pool:
            self._pool = [self._start(niceness(index)) for index in range(self.workers)]

    def _flush(self, worker: _Worker) -> None:
        """Write what the pipe takes of the pages not yet sent, and have the loop call again while some are left.

        Never blocking here is what keeps a crawl alive: blocked writing a big page to a worker that is
        itself blocked writing a big answer, neither would ever read again.
        """
        try:
            del worker.outbox[:os.write(worker.pages.fileno(), worker.outbox)]
        except BlockingIOError:  # the pipe is full: the worker reads it as it goes
            pass
        except OSError:  # its pipe broke: it died; its reader tells the pages it held
            worker.outbox.clear()
        loop = asyncio.get_running_loop()
        if worker.outbox:
            loop.add_writer(worker.pages.fileno(), self._flush, worker)
        else:
            loop.remove_writer(worker.pages.fileno())

    def _start(self, nice: int) -> _Worker:
        worker = _Worker(self._context, self.job, nice)
        asyncio.get_running_loop().add_reader(worker.answers.fileno(), self._answered, worker)
        return worker

    def _answered(self, worker: _Worker) -> None:
        try:
            answer = worker.answers.recv()
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
        loop = asyncio.get_running_loop()
        loop.remove_reader(worker.answers.fileno())
        loop.remove_writer(worker.pages.fileno())
        worker.stop()
        self._pool[self._pool.index(worker)] = self._start(worker.nice)
        for future in worker.pending:
            if not future.done():
                future.set_exception(BrokenProcessPool(f"an extraction worker died (exit code "
                                                       f"{worker.process.exitcode})"))

    def close(self) -> None:
        for worker in self._pool:
            try:
                loop = asyncio.get_event_loop()
                loop.remove_reader(worker.answers.fileno())
                loop.remove_writer(worker.pages.fileno())
            except (RuntimeError, ValueError, OSError):  # no loop any more, or the pipe is closed
                pass
            worker.stop()
        self._pool = []
