"""``newsrake serve``: browse the archive in a browser (Datasette, read-only; see pipeline/serve/)."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from pipeline.cli.archive import UsageError


def _check_address(host: str, port: int) -> None:
    """Refuse an address that cannot be listened on (taken, or no such host) before Datasette starts."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        reason = os.strerror(exc.errno) if (exc.errno or 0) > 0 else exc.strerror or str(exc)  # not the bind address again
        raise UsageError(f"cannot listen on {host}:{port}: {reason} (--port N, --host ADDRESS)") from None


def cmd_serve(args) -> int:
    """A database of an earlier release is migrated first (its search index built once)."""
    from pipeline.crawl.runner import newsrake_settings
    from pipeline.serve import serve
    from pipeline.store import check_database, upgrade

    path = Path(args.db)
    check_database(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such database (`make crawl` or `newsrake crawl` creates one)")
    upgrade(path)
    _check_address(args.host, args.port)
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"newsrake: serving {path} read-only at http://{host}:{args.port}/ (Ctrl-C stops)", file=sys.stderr,
          flush=True)
    serve(path, args.host, args.port, newsrake_settings().getfloat("NEWSRAKE_NEAR_THRESHOLD"))
    return 0
