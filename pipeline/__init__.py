"""newsrake: spider -> extract -> clean -> dedup -> store (SQLite).

One sub-package per stage, lowest layer first; a package imports only from
the layers below it (``cleaners`` is a leaf that imports nothing from here):

- :mod:`pipeline.core`    site config, URL rules, the item types, error kinds, counters
- :mod:`pipeline.extract` decode, extract and clean one page (``extract_page``), worker pool
- :mod:`pipeline.store`   the SQLite schema, migrations, every SQL statement, export, lock
- :mod:`pipeline.dedup`   fingerprint, MinHash, LSH, and the dedup policy over the store
- :mod:`pipeline.crawl`   Scrapy settings, item pipelines, middlewares, extensions, runner
- :mod:`pipeline.reclean` the extract -> dedup -> store stages again over stored pages
- :mod:`pipeline.cli`     the ``newsrake`` command, thin commands over the packages above

See docs/architecture.md for the map.
"""
