"""The store stage: the SQLite archive.

Owns every SQL statement of newsrake and the whole schema with its
migrations (:mod:`.schema`, the near-duplicate index tables included):
opening and migrating (:mod:`.db`), the writer's reads and writes
(:class:`Store`), the read-side queries (:mod:`.queries`), the index tables
(:mod:`.lsh`), the search index of any length (:mod:`.search`), CSV/JSONL export (:mod:`.export`) and
the one-writer lock (:mod:`.lock`). Imports only ``pipeline.core`` and ``cleaners``. See docs/architecture.md.
"""

from pipeline.store.db import (DatabaseReplaced, StorageFailure, Store, StoreError, check_database, connect,
                               connect_for_query, page_body, page_compressed, storage_faults, upgrade, utcnow)
from pipeline.store.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "DatabaseReplaced", "StorageFailure", "Store", "StoreError", "check_database",
           "connect", "connect_for_query", "page_body", "page_compressed", "storage_faults", "upgrade", "utcnow"]
