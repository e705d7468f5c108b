"""Fault-injection servers shared by the reliability tests and bench/faults (helpers: tests/helpers.py)."""

from .bombs import BOMB_SIZE, bombs
from .server import CHARSET_MARK, FAULTS, TRUNCATED_MARK, FaultWeb, HangServer, article_text, good_path

__all__ = ["BOMB_SIZE", "CHARSET_MARK", "FAULTS", "TRUNCATED_MARK", "FaultWeb", "HangServer", "article_text",
           "bombs", "good_path"]
