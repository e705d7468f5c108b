"""A CPU-time limit for CPU-bound work in the main thread.

trafilatura has no timeout in library mode, and a pathological page (deep
nesting, megabytes of markup) can hold the crawl for minutes. The limit counts
the process's CPU time (ITIMER_PROF), not the clock: extraction never waits on
anything, so on a busy machine, or in a worker that yields its core to the
crawl process, a page is slower but never cut for time it did not use. SIGPROF
interrupts the Python code between bytecodes; a single long C call (one lxml
parse) finishes before the signal is seen.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


class TimeLimitExceeded(BaseException):
    """A BaseException, like KeyboardInterrupt: library code that catches ``Exception`` around a
    fallback (trafilatura's readability step does) must not swallow it and carry on unlimited."""


def _raise(signum, frame):
    raise TimeLimitExceeded()


@contextmanager
def time_limit(seconds: float):
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGPROF, _raise)
    try:
        # Armed inside the try: a limit shorter than one bytecode fires before the next line.
        # Re-fires every 50 ms of CPU until the block exits, in case a bare ``except:`` swallowed the first alarm.
        signal.setitimer(signal.ITIMER_PROF, seconds, 0.05)
        yield
    finally:
        while True:  # a repeat alarm may interrupt the clean-up itself: then clean up again
            try:
                signal.setitimer(signal.ITIMER_PROF, 0)
                signal.signal(signal.SIGPROF, previous)
                break
            except TimeLimitExceeded:
                continue
