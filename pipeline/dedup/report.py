"""Deduplication report over the ``articles`` / ``duplicates`` tables and the LSH index."""

from __future__ import annotations

import sqlite3

import numpy as np

from pipeline.store import queries

from .lsh import LSHIndex

__all__ = ["dedup_report"]


def dedup_report(conn: sqlite3.Connection, limit: int = 10, *, low: float = 0.6,
                 run_id: int | None = None, index: LSHIndex | None = None) -> dict:
    """Summarise duplicates for a human reader.

    Args:
        conn: connection to the crawl database (``articles``, ``duplicates``
            and the LSH tables of :class:`LSHIndex`). Read only.
        limit: length of the ``clusters`` and ``near_misses`` lists.
        low: lowest similarity reported as a near miss.
        run_id: run whose articles are checked for near misses; defaults to
            the latest ``articles.run_id``.
        index: the index whose ``threshold`` / banding define a near miss;
            defaults to the stored index at threshold 0.8.

    Returns:
        A dict with three lists:

        ``clusters``
            articles with the most stored duplicates:
            ``{article_id, url, site, title, copies, sites, kinds}``, where
            ``sites`` counts distinct sites including the original's and
            ``kinds`` maps ``duplicates.kind`` to its count.
        ``sites``
            every site's ``{site, articles, duplicates, duplicate_share}``,
            ``duplicate_share = duplicates / (articles + duplicates)``,
            highest share first.
        ``near_misses``
            pairs just below the threshold, for review:
            ``{article_id, other_id, similarity, url, other_url}``, most
            similar first, each pair once.

    Near misses are computed on demand rather than recorded during
    :meth:`LSHIndex.query` (which does not know the id of the article being
    checked): the stored signature of every article of the run is queried
    again with :meth:`LSHIndex.near_misses`. That costs one index lookup per
    article of the run (well under a second for a night's crawl) and needs
    no extra table, and it also sees pairs among the run's own articles.
    """
    index = index or LSHIndex.as_stored(conn, 0.8)
    return {
        "clusters": queries.largest_clusters(conn, limit),
        "sites": _site_shares(conn),
        "near_misses": _near_misses(conn, index, limit, low, run_id),
    }


def _site_shares(conn: sqlite3.Connection) -> list[dict]:
    shares = [{"site": site, "articles": n_art, "duplicates": n_dup,
               "duplicate_share": n_dup / (n_art + n_dup)} for site, n_art, n_dup in queries.site_duplicate_counts(conn)]
    shares.sort(key=lambda r: (-r["duplicate_share"], -r["duplicates"], r["site"] or ""))
    return shares


def _near_misses(conn: sqlite3.Connection, index: LSHIndex, limit: int, low: float,
                 run_id: int | None) -> list[dict]:
    if run_id is None:
        run_id = queries.latest_article_run(conn)
    pairs: dict[tuple[int, int], float] = {}
    for article_id, blob in index.tables.signatures_of_run(run_id):
        for m in index.near_misses(np.frombuffer(blob, dtype="<u4"), low=low):
            pairs[min(article_id, m.article_id), max(article_id, m.article_id)] = m.similarity
    top = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    urls = queries.article_urls(conn, [i for (pair, _) in top for i in pair])
    return [{"article_id": a, "other_id": b, "similarity": sim,
             "url": urls.get(a), "other_url": urls.get(b)} for (a, b), sim in top]
