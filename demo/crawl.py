"""``make crawl``: serve the demo web and crawl it with the newsrake CLI.

    python -m demo.crawl [--db data/news.db] [--port 8765] [newsrake crawl options...]

On the default port the bundled ``demo/sites.toml`` is used as is, so a later
``newsrake reclean`` still finds the config the crawl recorded. With another
port the matching config is written next to the database. The port is part of
every demo URL, so it is never changed behind the user's back: a taken port is
refused (exit 2), and a second run on the same port recognises the first run's
articles. The crawl runs in a
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
    parser.add_argument("--port", type=int, default=TEMPLATE_PORT,
                        help=f"demo web port, refused when taken (default {TEMPLATE_PORT}; 0: any free port)")
    args, crawl_args = parser.parse_known_args(argv)
    db = Path(args.db)
    db.parent.mkdir(parents=True, exist_ok=True)
    try:
        web = DemoWeb(port=args.port).__enter__()
    except OSError as exc:  # another port would give the database other URLs for the same stories
        print(f"demo.crawl: error: port {args.port} is unavailable ({exc.strerror}); stop what uses it, or pass "
              f"--port N (the port is part of the demo's URLs: crawl one database on one port)", file=sys.stderr)
        return 2
    try:
        if web.port == TEMPLATE_PORT:
            config = CONFIG_TEMPLATE
        else:
            config = web.write_config(db.parent / "demo-sites.toml")
        command = [sys.executable, "-m", "pipeline.cli", "crawl", str(config), "--db", str(db), *crawl_args]
        code = subprocess.run(command).returncode
    finally:
        web.__exit__(None, None, None)
    if code in (0, 3):  # completed (3: a site flagged, its sentence printed above)
        print(f"\nNext: .venv/bin/newsrake stats --db {db}\n"
              f'      .venv/bin/newsrake query --db {db} "SELECT site, title, published_at FROM articles"\n'
              f"      .venv/bin/newsrake export --db {db} --format csv --bom --force -o {db.parent / 'articles.csv'}")
    return code


if __name__ == "__main__":
    sys.exit(main())
