"""Serve the demo web until Ctrl-C: ``python -m demo.serve [--port 8765]``."""

from __future__ import annotations

import argparse
import time

from demo.server import DemoWeb


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765, help="port bound on every site IP (0: pick a free one)")
    args = parser.parse_args(argv)
    with DemoWeb(port=args.port) as web:
        for site in web.hosts:
            print(f"{site:10} {web.base_url(site)}/", flush=True)
        print("Serving the demo web; press Ctrl-C to stop.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
