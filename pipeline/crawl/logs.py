"""The log of ``crawl`` and ``reclean``: one timestamped line per event, on stderr or appended to a file.

One root handler (Scrapy's takes one level for every logger, and re-creates
itself per crawl) that honours Scrapy's LOG_FILE, LOG_FILE_APPEND,
LOG_ENCODING, LOG_FORMAT, LOG_DATEFORMAT and LOG_LEVEL (``--log-file PATH``
sets LOG_FILE). Without ``-v`` every problem is one line: the libraries' INFO
lines stay out, an exception is named on its record's line (its traceback
only with ``-v``), a dropped page is not followed by its item (LOG_FORMATTER:
:mod:`.logformatter`), and a request that failed after its retries is
reported once, by the spider. Imports no Scrapy: the CLI catches LogFileError
for every command.
"""

from __future__ import annotations

import logging
import sys
import traceback

SUMMARY = logging.getLogger("newsrake.summary")  # what the command prints (summary, errors): logged to a file only
SUMMARY.addHandler(logging.NullHandler())  # no "last resort" stderr copy when no log handler is installed

_RETRY = "scrapy.downloadermiddlewares.retry"  # "Gave up retrying": the spider's errback logs the same failure


class LogFileError(OSError):
    """The log file cannot be opened for writing: printed, exit code 2, before anything is written."""


class _Quiet(logging.Filter):
    """Without -v, the libraries' and the stages' INFO lines stay out; progress lines and every problem show."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == _RETRY:
            return False
        return record.levelno >= logging.WARNING or record.name.startswith("newsrake")


class _OneLineFormatter(logging.Formatter):
    """A record with an exception as one line: the exception's type and message instead of its traceback."""

    def format(self, record: logging.LogRecord) -> str:
        if not (record.exc_info or record.exc_text or record.stack_info):
            return super().format(record)
        plain = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None, "stack_info": None})
        line = super().format(plain)
        if record.exc_info and record.exc_info[1] is not None:
            line += " (" + traceback.format_exception_only(record.exc_info[1])[-1].strip() + ")"
        return line


def install_log_handler(settings, verbose: bool) -> None:
    """Send this process's log to LOG_FILE (appended unless LOG_FILE_APPEND is off) or else stderr;
    raises LogFileError when the file cannot be opened (a missing directory, no permission)."""
    path = settings.get("LOG_FILE")
    handler: logging.Handler
    if path:
        mode = "a" if settings.getbool("LOG_FILE_APPEND") else "w"
        try:
            handler = logging.FileHandler(path, mode, encoding=settings.get("LOG_ENCODING") or "utf-8")
        except OSError as exc:
            raise LogFileError(f"cannot write the log file {path}: {exc.strerror or exc}") from None
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.addFilter(lambda record: record.name != SUMMARY.name)
    formatter = logging.Formatter if verbose else _OneLineFormatter
    handler.setFormatter(formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT")))
    handler.setLevel(settings.get("LOG_LEVEL"))
    if not verbose:
        handler.addFilter(_Quiet())
    logging.root.setLevel(logging.NOTSET)  # the handler decides
    logging.root.addHandler(handler)


def print_logged(text: str, file=None, level: int = logging.INFO) -> None:
    """Print a summary or an error for the user (on stdout, or ``file``) and log it line by line, so that a
    log file holds it too, timestamped; the stderr log leaves it out (it is printed already)."""
    print(text, file=file)
    for line in text.splitlines():
        SUMMARY.log(level, line)
