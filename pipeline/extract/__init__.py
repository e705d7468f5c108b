"""The extract and clean stages: from a fetched page to a clean :class:`Article`.

Owns decoding (:mod:`.decode`), the extraction itself (:mod:`.article`:
metadata, trafilatura, the cleaners), the per-page time limit
(:mod:`.timeout`), the one entry point :func:`extract_page` used by the crawl,
``reclean`` and ``newsrake extract``, and the worker pool that runs it on the
other cores (:mod:`.workers`). Imports only ``cleaners`` and ``pipeline.core``.
See docs/architecture.md.
"""

from pipeline.extract.page import ExtractionError, ExtractionTimeout, NoText, extract_page

__all__ = ["ExtractionError", "ExtractionTimeout", "NoText", "extract_page"]
