"""``newsrake serve``: Datasette on one archive, read-only, with newsrake's metadata, queries and chart.

Datasette opens a database file given as mutable with ``mode=ro`` (a crawl may write it meanwhile and its
commits are seen; nothing a browser does can write) and refuses SQL other than SELECT. What it shows comes
from this package: ``metadata.yaml`` (descriptions, hidden internal tables, facets, canned queries),
``templates/pages/chart.html`` (the chart at ``/chart``) and :mod:`.plugin` (the SQL functions).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path

import yaml

from pipeline.store import connect, search

PACKAGE = Path(__file__).resolve().parent
# Datasette stops a query after 1 s by default; a one-character search of a million articles takes longer.
SETTINGS = {"sql_time_limit_ms": 5000}


def metadata(database: str, near_threshold: float) -> dict:
    """The shipped metadata with the archive's section under the database's name, the search query's SQL
    (the one of ``newsrake search``) and the near-duplicate threshold filled in."""
    meta = yaml.safe_load((PACKAGE / "metadata.yaml").read_text(encoding="utf-8"))
    archive = meta["databases"].pop("archive")
    queries = archive["queries"]
    queries["search"]["sql"] = search.SEARCH_SQL
    for key in ("sql", "description"):
        queries["near_misses"][key] = queries["near_misses"][key].replace("{near_threshold}", f"{near_threshold:g}")
    meta["databases"][database] = archive
    return meta


class _Stopped(Exception):
    """SIGINT or SIGTERM, raised again by uvicorn once it has shut down."""


def _stop(signum, frame):
    raise _Stopped


def serve(path: Path, host: str, port: int, near_threshold: float) -> None:
    """Serve ``path`` until SIGINT or SIGTERM, then return (uvicorn re-raises the signal after its graceful
    shutdown: our handler turns it into a normal end, so the connections are closed and the files removed)."""
    import uvicorn
    from datasette.app import Datasette
    from datasette.plugins import pm

    from pipeline.serve import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name="newsrake")
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _stop)
    # Opened first and closed last: it removes the -wal/-shm files the read-only opens created, as the
    # read-only commands do (pipeline/store/db.py).
    with contextlib.suppress(_Stopped), contextlib.closing(connect(path, readonly=True)):
        ds = Datasette([str(path)], metadata=metadata(path.stem, near_threshold),
                       template_dir=str(PACKAGE / "templates"), settings=SETTINGS)
        try:
            asyncio.run(ds.invoke_startup())
            uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
        finally:
            for database in ds.databases.values():
                database.close()
