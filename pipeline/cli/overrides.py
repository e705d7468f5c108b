"""The ``-s NAME=VALUE`` option of ``crawl`` and ``extract``: checked while the arguments are parsed.

A misspelled name is refused with the nearest known one, and a value is converted
with the Scrapy getter that matches the type of the setting's default (Scrapy's
defaults and pipeline/crawl/settings.py), so a bad value fails before any database,
lock or reactor exists. Hand-written because Scrapy accepts any name and converts
values only when a component reads them, in the middle of a crawl.
"""

from __future__ import annotations

import argparse
import difflib
from functools import lru_cache

_GETTERS = {bool: "getbool", int: "getfloat", float: "getfloat", list: "getlist", dict: "getdict"}
_EXPECTED = {"getbool": "True/False (or 1/0)", "getfloat": "a number", "getlist": "a comma-separated list",
             "getdict": "a JSON object"}


@lru_cache(maxsize=1)
def _defaults():
    """Scrapy's default settings with newsrake's (imported only when ``-s`` is used: Scrapy is slow to load)."""
    from pipeline.crawl.runner import newsrake_settings

    return newsrake_settings()


def _getter(default) -> str | None:
    from scrapy.settings import BaseSettings

    return "getdict" if isinstance(default, BaseSettings) else _GETTERS.get(type(default))


def _convert(name: str, text: str, default):
    """``text`` as the type of ``default`` (a string when the default is a string or None)."""
    from scrapy.settings import BaseSettings

    getter = _getter(default)
    if getter is None:
        return text
    value = getattr(BaseSettings({name: text}), getter)(name)
    if isinstance(default, int) and not isinstance(default, bool) and float(value).is_integer():
        value = int(value)  # an int setting read with getint must not see "2.0"
    if _int_list(default):
        value = [int(v) for v in value]
    return value


def _int_list(default) -> bool:
    return isinstance(default, list) and bool(default) and all(isinstance(v, int) for v in default)


def setting(arg: str) -> tuple[str, object]:
    """argparse type of ``-s``: ``NAME=VALUE`` as ``(NAME, value of the setting's type)``."""
    name, sep, text = arg.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {arg!r}")
    defaults = _defaults()
    if name not in defaults:
        near = difflib.get_close_matches(name, list(defaults), n=1)
        hint = f" (did you mean {near[0]}?)" if near else ""
        raise argparse.ArgumentTypeError(f"unknown setting {name!r}{hint}")
    default = defaults[name]
    try:
        return name, _convert(name, text, default)
    except (ValueError, TypeError, AttributeError):
        expected = _EXPECTED[_getter(default)] + (" of integers" if _int_list(default) else "")
        shown = "" if _getter(default) == "getdict" else f" (default {default!r})"
        raise argparse.ArgumentTypeError(f"{name}={text!r}: expected {expected}{shown}") from None
