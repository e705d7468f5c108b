"""The read-side SQL: what the CLI, the seen-URL check, reclean and the dedup report ask the database.

Each function takes an open connection (read-only or the writer's) and returns plain rows.
"""

from __future__ import annotations

import json
import sqlite3


def known_article(conn: sqlite3.Connection, url: str) -> tuple[bool, str | None]:
    """(fetched and stored, or recorded as a duplicate?, its published_at) for an article URL.

    An article's ``canonical_url`` does not count: a page may name a URL that was never
    fetched, and that article must still be fetched.
    """
    row = conn.execute(
        "SELECT published_at FROM articles WHERE url = ?1"
        " UNION ALL SELECT NULL FROM duplicates WHERE url = ?1 LIMIT 1", (url,)).fetchone()
    return row is not None, (row[0] if row else None)


def recent_runs(conn: sqlite3.Connection, limit: int) -> list[dict]:
    """The latest runs, newest first, with their counters (and ``failure``, the cause of a failed run)."""
    cur = conn.execute(
        "SELECT id, started_at, finished_at, status, pages_fetched, articles_stored, articles_updated,"
        " duplicates, errors, errors_by_kind, json_extract(stats, '$.failure') AS failure"
        " FROM runs ORDER BY id DESC LIMIT ?", (limit,))
    cols = [c[0] for c in cur.description]
    return [{**(run := dict(zip(cols, row))), "errors_by_kind": json.loads(run["errors_by_kind"] or "{}")}
            for row in cur]


def run_site_stats(conn: sqlite3.Connection, run_id: int) -> dict:
    """``{site: counters}`` recorded for a run."""
    row = conn.execute("SELECT stats FROM runs WHERE id = ?", (run_id,)).fetchone()
    return json.loads(row[0] or "{}").get("sites", {}) if row else {}


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
