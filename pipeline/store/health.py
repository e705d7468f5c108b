"""Drift flags: a site's figures in a run against its own recent completed crawls.

A broken site must not look like a quiet night. Each flag compares one figure
of a ``site_runs`` row with the median of the same figure over the site's last
``window`` completed crawl runs (recleans never count), and is only raised once
``min_history`` of them recorded it; two need no history: ``down`` (every
request failed) and ``no_links`` (pages were read but no article link was
found, unless finding none is usual for the site), so a config that matches
nothing is flagged on its first run. A flag is ``{"flag", "figure", "value",
"usual", "runs"}``: the name, the ``site_runs`` column compared, its value in
the run, the usual level it was compared with (None without history) and how
many runs that level was taken from. The thresholds are settings
(``NEWSRAKE_HEALTH_*``, documented in pipeline/crawl/settings.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

FLAGS = ("down", "no_links", "no_new", "yield_drop", "text_collapse", "dates_lost", "authors_lost", "errors_spike")


@dataclass(frozen=True)
class Thresholds:
    """When a figure has moved far enough from its usual level to be flagged (see the settings)."""

    window: int
    min_history: int
    drop: float
    min_articles: int
    text_ratio: float
    removed_shift: float
    coverage_drop: float
    errors_factor: float
    errors_min: int

    @classmethod
    def from_settings(cls, settings) -> Thresholds:
        return cls(window=settings.getint("NEWSRAKE_HEALTH_WINDOW"),
                   min_history=settings.getint("NEWSRAKE_HEALTH_MIN_HISTORY"),
                   drop=settings.getfloat("NEWSRAKE_HEALTH_DROP"),
                   min_articles=settings.getint("NEWSRAKE_HEALTH_MIN_ARTICLES"),
                   text_ratio=settings.getfloat("NEWSRAKE_HEALTH_TEXT_RATIO"),
                   removed_shift=settings.getfloat("NEWSRAKE_HEALTH_REMOVED_SHIFT"),
                   coverage_drop=settings.getfloat("NEWSRAKE_HEALTH_COVERAGE_DROP"),
                   errors_factor=settings.getfloat("NEWSRAKE_HEALTH_ERRORS_FACTOR"),
                   errors_min=settings.getint("NEWSRAKE_HEALTH_ERRORS_MIN"))


def flags(now: dict, history: list[dict], limits: Thresholds) -> list[dict]:
    """The flags of a site's ``site_runs`` row ``now`` against ``history``, its earlier completed crawls'
    rows, newest first (at most ``limits.window``)."""
    past = _Past(history, limits.min_history)
    if now["pages_fetched"] == 0 and now["errors"]:
        return [past.flag("down", "pages_fetched", 0)]
    if now["article_links"] == 0 and now["list_pages"]:
        usual = past.usual("article_links")
        if usual is None or usual > 0:  # unless the site's pages usually hold no article link
            return [past.flag("no_links", "article_links", 0)]
    raised = [f for f in (_no_new(now, history, limits), _yield_drop(now, past, limits)) if f]
    if (now["stored"] or 0) + (now["updated"] or 0) >= limits.min_articles:  # enough articles to say something
        raised += [f for f in (_text_collapse(now, past, limits),
                               _coverage_lost("dates_lost", "dated_share", now, past, limits),
                               _coverage_lost("authors_lost", "author_share", now, past, limits)) if f]
    usual_errors = past.usual("errors")
    if usual_errors is not None and now["errors"] >= max(limits.errors_factor * usual_errors,
                                                         usual_errors + limits.errors_min):
        raised.append(past.flag("errors_spike", "errors", now["errors"]))
    return raised


class _Past:
    """The usual level of each figure: the median over the history rows that recorded it."""

    def __init__(self, history: list[dict], min_history: int):
        self.history = history
        self.min_history = min_history

    def values(self, figure: str) -> list:
        return [row[figure] for row in self.history if row.get(figure) is not None]

    def usual(self, figure: str):
        values = self.values(figure)
        return median(values) if len(values) >= self.min_history else None

    def flag(self, name: str, figure: str, value) -> dict:
        usual = self.usual(figure)
        return {"flag": name, "figure": figure, "value": value, "usual": usual,
                "runs": len(self.values(figure)) if usual is not None else 0}


def _no_new(now: dict, history: list[dict], limits: Thresholds) -> dict | None:
    """No new article links for more runs in a row than the longest such gap before, in the window."""
    if now["new_links"] != 0:
        return None
    known = [row["new_links"] for row in history if row.get("new_links") is not None]
    if len(known) < limits.min_history:
        return None
    streak = 1 + next((i for i, n in enumerate(known) if n), len(known))
    gaps, gap = [0], 0
    for n in known[streak - 1:]:
        gap = gap + 1 if n == 0 else 0
        gaps.append(gap)
    if streak <= max(gaps):
        return None
    return {"flag": "no_new", "figure": "new_links", "value": streak, "usual": max(gaps), "runs": len(known)}


def _yield_drop(now: dict, past: _Past, limits: Thresholds) -> dict | None:
    """New links came, but far fewer articles were stored than usual."""
    usual = past.usual("stored")
    if not now["new_links"] or usual is None or usual < limits.min_articles or now["stored"] >= limits.drop * usual:
        return None
    return past.flag("yield_drop", "stored", now["stored"])


def _text_collapse(now: dict, past: _Past, limits: Thresholds) -> dict | None:
    """The median text length, or the share of text the cleaners removed, moved sharply."""
    usual = past.usual("median_text_len")
    value = now["median_text_len"]
    if usual and value is not None and not limits.text_ratio * usual <= value <= usual / limits.text_ratio:
        return past.flag("text_collapse", "median_text_len", value)
    usual = past.usual("removed_share")
    value = now["removed_share"]
    if usual is not None and value is not None and abs(value - usual) > limits.removed_shift:
        return past.flag("text_collapse", "removed_share", value)
    return None


def _coverage_lost(name: str, figure: str, now: dict, past: _Past, limits: Thresholds) -> dict | None:
    """The share of stored articles with a date (an author) fell sharply."""
    usual = past.usual(figure)
    value = now[figure]
    if usual is None or value is None or usual - value <= limits.coverage_drop:
        return None
    return past.flag(name, figure, value)
