"""newsrake's Datasette plugin: the search functions (and the MinHash similarity of two stored signatures)
on every connection, and the chart's figures for its page."""

from __future__ import annotations

import numpy as np
from datasette import hookimpl

from pipeline.dedup.minhash import MinHasher
from pipeline.store import queries, search

CHART_NIGHTS = 30


def _similarity(sig_a: bytes | None, sig_b: bytes | None) -> float | None:
    """Estimated Jaccard similarity of two ``lsh_signatures.sig`` blobs (for the near-misses query)."""
    if sig_a is None or sig_b is None:
        return None
    return MinHasher.similarity(np.frombuffer(sig_a, dtype="<u4"), np.frombuffer(sig_b, dtype="<u4"))


@hookimpl
def prepare_connection(conn):
    search.register(conn)
    conn.create_function("newsrake_similarity", 2, _similarity, deterministic=True)


def chart(rows: list[dict]) -> dict:
    """The chart's figures: the nights, the largest count, and per site its bar for every night
    (None: no crawl of the site that night) and the flags of its latest crawl."""
    nights = sorted({row["night"] for row in rows})
    by_site: dict[str, dict] = {}
    for row in rows:
        by_site.setdefault(row["site"], {})[row["night"]] = row
    sites = [{"name": site, "bars": [bars.get(night) for night in nights],
              "latest_flags": bars[max(bars)]["flags"] or []} for site, bars in sorted(by_site.items())]
    return {"nights": nights, "max": max([row["stored"] for row in rows] or [0]) or 1, "sites": sites}


@hookimpl
def extra_template_vars(datasette, view_name):
    if view_name != "page":
        return {}
    database = datasette.get_database()

    async def newsrake_chart():
        return chart(await database.execute_fn(lambda conn: queries.stored_per_night(conn, CHART_NIGHTS)))

    return {"newsrake_chart": newsrake_chart, "newsrake_database": database.name}
