"""Site health for people: the flags of pipeline/store/health.py as a table cell and as one plain sentence each,
naming the figure, its usual level and the runs that level comes from, with a hint at the likely cause."""

from __future__ import annotations

from pipeline.cli.output import kinds_text


def health_cell(flags: list[dict] | None) -> str:
    """``ok``, the flag names, or ``-`` for a run whose sites were not assessed (a reclean, a stopped run)."""
    if flags is None:
        return "-"
    return ", ".join(f["flag"] for f in flags) or "ok"


def _n(value, word: str) -> str:
    """``3 list pages``, ``1 list page``; a median may be a half: ``41.5 links``."""
    return f"{value:g} {word}" + ("" if value == 1 else "s")


def _usual(flag: dict, shown=lambda usual: f"{usual:g}") -> str:
    """``; usually 42 (last 14 runs)``, or nothing without a history to compare with."""
    return f"; usually {shown(flag['usual'])} (last {flag['runs']} runs)" if flag["usual"] is not None else ""


def _share(value: float) -> str:
    return f"{value:.0%}"


def sentence(site: str, flag: dict, figures: dict) -> str:
    """One flag of ``site`` (``figures``: its site_runs row) as a sentence."""
    name, value, usual = flag["flag"], flag["value"], flag["usual"]
    if name == "down":
        errors = figures["errors_by_kind"]
        return (f"{site}: every request failed, no page fetched ({_n(figures['errors'], 'error')}: "
                f"{kinds_text(errors)}){_usual(flag, lambda pages: _n(pages, 'page') + ' fetched')}. "
                f"The site may be down or have moved: try newsrake check on the config.")
    if name == "no_links":
        hint = "article_pattern may no longer match." if usual else "article_pattern may not match the site's links."
        return f"{site}: 0 article links on {_n(figures['list_pages'], 'list page')}{_usual(flag)}. {hint}"
    if name == "no_new":
        before = f"before, the longest gap was {_n(usual, 'run')}" if usual else "before, every run found some"
        return (f"{site}: no new article links for {_n(value, 'run')} in a row ({figures['known_links']} known); "
                f"{before} (last {flag['runs']} runs). The site may have stopped publishing, or links its "
                f"new articles elsewhere.")
    if name == "yield_drop":
        return (f"{site}: {_n(value, 'article')} stored from {_n(figures['new_links'], 'new link')}"
                f"{_usual(flag)}. Extraction or dedup may be failing: see the errors, or try "
                f"newsrake extract on a new article.")
    if name == "text_collapse" and flag["figure"] == "median_text_len":
        return (f"{site}: median text length {_n(value, 'character')}{_usual(flag)}. "
                f"The page layout may have changed: try newsrake extract on an article.")
    if name == "text_collapse":
        return (f"{site}: the cleaners removed {_share(value)} of the text{_usual(flag, _share)}. "
                f"A cleaning rule or the site's boilerplate changed: try newsrake extract on an article.")
    if name in ("dates_lost", "authors_lost"):
        what = "a date" if name == "dates_lost" else "an author"
        return (f"{site}: {_share(value)} of the articles stored have {what}{_usual(flag, _share)}. "
                f"The page's {'date' if name == 'dates_lost' else 'byline'} markup may have changed.")
    return f"{site}: {_n(value, 'error')} ({kinds_text(figures['errors_by_kind'])}){_usual(flag)}."
