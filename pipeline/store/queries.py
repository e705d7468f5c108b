"""The read-side SQL: what the CLI, the seen-URL check, reclean and the dedup report ask the database.

Each function takes an open connection (read-only or the writer's) and returns plain rows.
"""

from __future__ import annotations

import json
import sqlite3
from statistics import median

from pipeline.store import figures


def known_article(conn: sqlite3.Connection, url: str) -> tuple[bool, str | None]:
    """(fetched and stored, or recorded as a duplicate?, its published_at) for an article URL.

    An article's ``canonical_url`` does not count: a page may name a URL that was never
    fetched, and that article must still be fetched.
    """
    row = conn.execute(
        "SELECT published_at FROM articles WHERE url = ?1"
        " UNION ALL SELECT NULL FROM duplicates WHERE url = ?1 LIMIT 1", (url,)).fetchone()
    return row is not None, (row[0] if row else None)


def known_articles(conn: sqlite3.Connection):
    """Every (url, published_at) :func:`known_article` would find, for the distributed crawl's copy of them
    in Redis: the duplicates (published_at None), then the stored articles (a later pair wins, as there)."""
    yield from conn.execute("SELECT url, NULL FROM duplicates UNION ALL SELECT url, published_at FROM articles")


def has_site_runs(conn: sqlite3.Connection) -> bool:
    """Whether the database keeps per-site figures and run kinds (schema 4); a reader may meet an older one,
    which its next crawl or reclean migrates."""
    return conn.execute("PRAGMA user_version").fetchone()[0] >= 4


def recent_runs(conn: sqlite3.Connection, limit: int) -> list[dict]:
    """The latest runs, newest first, with their kind (None before schema 4), their counters (and ``failure``,
    the cause of a failed run)."""
    kind = "kind" if has_site_runs(conn) else "NULL AS kind"
    cur = conn.execute(
        f"SELECT id, {kind}, started_at, finished_at, status, pages_fetched, articles_stored, articles_updated,"
        " duplicates, errors, errors_by_kind, json_extract(stats, '$.failure') AS failure"
        " FROM runs ORDER BY id DESC LIMIT ?", (limit,))
    cols = [c[0] for c in cur.description]
    return [{**(run := dict(zip(cols, row))), "errors_by_kind": json.loads(run["errors_by_kind"] or "{}")}
            for row in cur]


def site_runs(conn: sqlite3.Connection, run_ids, site: str | None = None) -> dict[int, dict[str, dict]]:
    """``{run_id: {site: figures}}``: the ``site_runs`` rows of the runs (of one ``site``), flags included."""
    run_ids = list(run_ids)
    if not has_site_runs(conn):
        return {}
    cur = conn.execute(f"SELECT * FROM site_runs WHERE run_id IN ({','.join('?' * len(run_ids))})"
                       " AND site = coalesce(?, site) ORDER BY run_id, site", (*run_ids, site))
    cols = [c[0] for c in cur.description]
    found: dict[int, dict[str, dict]] = {}
    for row in cur:
        figures_of = figures.decoded(dict(zip(cols, row)))
        found.setdefault(figures_of.pop("run_id"), {})[figures_of.pop("site")] = figures_of
    return found


def site_history(conn: sqlite3.Connection, site: str, before: int, limit: int) -> list[dict]:
    """The site's ``site_runs`` rows of the last ``limit`` completed crawls before run ``before``, newest first:
    the history its health is judged against (a reclean, stopped or failed run is no measure of the site)."""
    cur = conn.execute(
        "SELECT s.* FROM site_runs s JOIN runs r ON r.id = s.run_id WHERE s.site = ? AND s.run_id < ?"
        " AND r.kind = 'crawl' AND r.status = 'completed' ORDER BY s.run_id DESC LIMIT ?", (site, before, limit))
    cols = [c[0] for c in cur.description]
    return [figures.decoded(dict(zip(cols, row))) for row in cur]


def stored_per_night(conn: sqlite3.Connection, nights: int) -> list[dict]:
    """Per site and night (the UTC day a crawl started) of the last ``nights`` nights with a crawl: the
    articles stored and the health flags raised (a list; None when not assessed), oldest night first."""
    cur = conn.execute(
        "SELECT substr(r.started_at, 1, 10) AS night, s.site, sum(s.stored) AS stored,"
        " json_group_array(json(s.flags)) AS flags FROM site_runs s JOIN runs r ON r.id = s.run_id"
        " WHERE r.kind = 'crawl' AND substr(r.started_at, 1, 10) IN (SELECT DISTINCT substr(started_at, 1, 10)"
        " FROM runs WHERE kind = 'crawl' ORDER BY 1 DESC LIMIT ?) GROUP BY night, s.site ORDER BY night, s.site",
        (nights,))
    return [{"night": night, "site": site, "stored": stored or 0,
             "flags": None if all(f is None for f in runs) else [x for f in runs for x in f or []]}
            for night, site, stored, runs in ((n, s, st, json.loads(f)) for n, s, st, f in cur)]


def known_sites(conn: sqlite3.Connection) -> list[str]:
    """Every site the archive has figures or articles of."""
    figures_of = "SELECT site FROM site_runs UNION " if has_site_runs(conn) else ""
    return [s for (s,) in conn.execute(f"{figures_of}SELECT DISTINCT site FROM articles ORDER BY 1")]


def article_figures(conn: sqlite3.Connection, run_id: int) -> dict[str, dict]:
    """``{site: figures}`` of the articles a run wrote (stored, or updated: their text is the run's):
    ``median_text_len`` (characters of clean text), ``removed_share`` (of the text before the cleaners),
    ``dated_share``, ``author_share``; and ``duplicates_by_kind``, the duplicates the run recorded."""
    per_site: dict[str, list[tuple]] = {}
    for site, *values in conn.execute(
            "SELECT a.site, length(a.text), a.published_at IS NOT NULL, coalesce(a.author, '') <> '',"
            " (SELECT coalesce(sum(length(r.text)), 0) FROM removals r WHERE r.article_id = a.id)"
            " FROM articles a WHERE a.run_id = ?1 OR a.id IN (SELECT article_id FROM article_history"
            " WHERE run_id = ?1)", (run_id,)):
        per_site.setdefault(site, []).append(values)
    found = {site: _text_figures(values) for site, values in per_site.items()}
    for site, kind, n in conn.execute("SELECT site, kind, count(*) FROM duplicates WHERE run_id = ?"
                                      " GROUP BY site, kind ORDER BY site, kind", (run_id,)):
        found.setdefault(site, figures.no_articles({}))["duplicates_by_kind"][kind] = n
    return found


def _text_figures(values: list[tuple]) -> dict:
    lengths, dated, authored, removed = zip(*values)
    text, cut = sum(lengths), sum(removed)
    return {"median_text_len": round(median(lengths)),
            "removed_share": round(cut / (text + cut), 4) if text + cut else None,
            "dated_share": round(sum(dated) / len(values), 4), "author_share": round(sum(authored) / len(values), 4),
            "duplicates_by_kind": {}}


def site_totals(conn: sqlite3.Connection) -> list[tuple]:
    """``(site, articles, duplicates, last fetched)`` for every site in the archive."""
    return conn.execute(
        "SELECT site, sum(articles), sum(dups), max(last) FROM ("
        " SELECT site, count(*) AS articles, 0 AS dups, max(fetched_at) AS last FROM articles GROUP BY site"
        " UNION ALL SELECT site, 0, count(*), max(fetched_at) FROM duplicates GROUP BY site)"
        " GROUP BY site ORDER BY site").fetchall()


def last_config(conn: sqlite3.Connection) -> tuple[str, str | None] | None:
    """``(config text, config path)`` of the most recent run that recorded its config."""
    return conn.execute(
        "SELECT config, config_path FROM runs WHERE config IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()


def article_ids(conn: sqlite3.Connection, site: str | None = None) -> list[int]:
    sql = "SELECT id FROM articles" + (" WHERE site = ?" if site else "") + " ORDER BY id"
    return [i for (i,) in conn.execute(sql, (site,) if site else ())]


def stored_page(conn: sqlite3.Connection, article_id: int) -> dict | None:
    """The fetched page an article was extracted from (``url, site, fetched_at, content_type,
    html_zlib, date_hint``), or None when it was not kept."""
    cur = conn.execute(
        "SELECT a.url, a.site, a.fetched_at, p.content_type, p.html_zlib, p.date_hint"
        " FROM articles a JOIN pages p ON p.url = a.url WHERE a.id = ?", (article_id,))
    row = cur.fetchone()
    return dict(zip([c[0] for c in cur.description], row)) if row else None


# -- the dedup report ----------------------------------------------------------

def largest_clusters(conn: sqlite3.Connection, limit: int) -> list[dict]:
    """Articles with the most duplicates: ``{article_id, url, site, title, copies, sites, kinds}``."""
    top = conn.execute(
        "SELECT d.article_id, a.url, a.site, a.title, COUNT(*) AS copies"
        " FROM duplicates d JOIN articles a ON a.id = d.article_id"
        " GROUP BY d.article_id ORDER BY copies DESC, d.article_id LIMIT ?", (limit,)).fetchall()
    clusters = []
    for article_id, url, site, title, copies in top:
        sites = conn.execute(
            "SELECT COUNT(DISTINCT site) FROM (SELECT site FROM duplicates WHERE article_id = ?"
            " UNION SELECT site FROM articles WHERE id = ?)", (article_id, article_id)).fetchone()[0]
        kinds = dict(conn.execute(
            "SELECT kind, COUNT(*) FROM duplicates WHERE article_id = ? GROUP BY kind ORDER BY kind", (article_id,)))
        clusters.append({"article_id": article_id, "url": url, "site": site, "title": title,
                         "copies": copies, "sites": sites, "kinds": kinds})
    return clusters


def site_duplicate_counts(conn: sqlite3.Connection) -> list[tuple[str, int, int]]:
    """``(site, articles, duplicates)`` per site."""
    return conn.execute(
        "SELECT site, SUM(is_article), SUM(1 - is_article) FROM ("
        " SELECT site, 1 AS is_article FROM articles UNION ALL SELECT site, 0 FROM duplicates)"
        " GROUP BY site").fetchall()


def latest_article_run(conn: sqlite3.Connection) -> int | None:
    return conn.execute("SELECT MAX(run_id) FROM articles").fetchone()[0]


def article_urls(conn: sqlite3.Connection, ids) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    return dict(conn.execute(f"SELECT id, url FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids))


def session_params(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """``{site: {param, ...}}``: the query parameters recorded as per-visit for each site."""
    found: dict[str, set[str]] = {}
    for site, param in conn.execute("SELECT site, param FROM session_params"):
        found.setdefault(site, set()).add(param)
    return found
