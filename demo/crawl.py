"""``make crawl``: serve the demo web and crawl it with the newsrake CLI.

    python -m demo.crawl [--db data/news.db] [--port 8765] [newsrake crawl options...]

On the default port the bundled ``demo/sites.toml`` is used as is, so a later
``newsrake reclean`` still finds the config the crawl recorded. With another
port the matching config is written next to the database. The crawl runs in a
child process because Twisted's reactor can start only once per process.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from demo.server import CONFIG_TEMPLATE, TEMPLATE_PORT, DemoWeb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Crawl the bundled demo web into a database.")
    parser.add_argument("--db", default="data/news.db", help="SQLite database (default data/news.db)")
    parser.add_argument("--port", type=int, default=TEMPLATE_PORT, help=f"demo web port (default {TEMPLATE_PORT}; 0: any free port)")
    args, crawl_args = parser.parse_known_args(argv)
    db = Path(args.db)
    db.parent.mkdir(parents=True, exist_ok=True)
    with DemoWeb(port=args.port) as web:
        if web.port == TEMPLATE_PORT:
            config = CONFIG_TEMPLATE
        else:
            config = web.write_config(db.parent / "demo-sites.toml")
        command = [sys.executable, "-m", "pipeline.cli", "crawl", str(config), "--db", str(db), *crawl_args]
        return subprocess.run(command).returncode


if __name__ == "__main__":
    sys.exit(main())
