"""The distributed crawl's errors, importable without the Redis client (the CLI maps them to exit codes)."""


class FleetError(Exception):
    """Bad input for a distributed run: an unusable Redis URL, Redis unreachable, another config (exit 2)."""


class FleetBusy(Exception):
    """Another coordinator holds the Redis run (exit 1, as a locked database)."""
