"""DemoWeb: serve the four demo sites on their own loopback IPs, one shared port.

Each site gets a ThreadingHTTPServer in a daemon thread. Every request is
recorded in ``requests`` (so tests can prove what was, or was not, fetched),
and ``override`` replaces or adds a page at runtime (e.g. a corrected article
on the second night of a crawl).
"""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from demo.page import Page
from demo.web import DEFAULT_HOSTS, build_pages

CONFIG_TEMPLATE = Path(__file__).with_name("sites.toml")
TEMPLATE_PORT = 8765
PORT_ATTEMPTS = 20


class _Handler(BaseHTTPRequestHandler):
    server_version = "DemoWeb/1.0"
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self._respond(with_body=True)

    def do_HEAD(self):
        self._respond(with_body=False)

    def _respond(self, with_body: bool):
        web, site = self.server.demo_web, self.server.site_name
        web._record(site, self.path)
        page = web._lookup(site, self.path)
        if page is None:
            page = Page(b"<html><body><h1>404 Not Found</h1></body></html>", "text/html; charset=utf-8", 404)
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        for name, value in page.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(page.body)

    def log_message(self, format, *args):  # keep test output quiet
        pass


class DemoWeb:
    """Context manager running the demo sites; see the module docstring."""

    def __init__(self, port: int = 0, hosts: dict[str, str] | None = None):
        self.hosts = {**DEFAULT_HOSTS, **(hosts or {})}
        self.port = port
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._pages: dict[str, dict[str, Page]] = {}
        self._overrides: dict[tuple[str, str], Page] = {}
        self._servers: list[ThreadingHTTPServer] = []
        self._threads: list[threading.Thread] = []

    # -- lifecycle ---------------------------------------------------------
    def __enter__(self) -> "DemoWeb":
        self._bind()
        self._pages = {site: build_pages(site, self.base_url(site)) for site in self.hosts}
        for server in self._servers:
            thread = threading.Thread(target=server.serve_forever, name=f"demo-{server.site_name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *exc_info) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers, self._threads = [], []

    def _bind(self) -> None:
        """Bind every site's IP on one port; with port 0, retry if another
        process already holds the picked port on one of the IPs."""
        attempts = PORT_ATTEMPTS if self.port == 0 else 1
        for attempt in range(attempts):
            port, servers = self.port, []
            try:
                for site, ip in self.hosts.items():
                    server = ThreadingHTTPServer((ip, port), _Handler)
                    server.daemon_threads = True
                    server.demo_web, server.site_name = self, site
                    servers.append(server)
                    port = server.server_address[1]
            except OSError:
                for server in servers:
                    server.server_close()
                if attempt == attempts - 1:
                    raise
                continue
            self.port, self._servers = port, servers
            return

    # -- content -------------------------------------------------------------
    def base_url(self, site: str) -> str:
        return f"http://{self.hosts[site]}:{self.port}"

    def override(self, site: str, path: str, body: bytes | None, status: int = 200, headers: dict | None = None) -> None:
        """Serve ``body`` at ``path`` from now on (None: back to the built-in page).
        Content-Type defaults to UTF-8 HTML unless ``headers`` names one."""
        key = (site, path)
        with self._lock:
            if body is None:
                self._overrides.pop(key, None)
                return
            headers = dict(headers or {})
            content_type = headers.pop("Content-Type", "text/html; charset=utf-8")
            self._overrides[key] = Page(body, content_type, status, headers)

    def page(self, site: str, path: str) -> bytes:
        """The built-in body at ``path`` (ignoring overrides), e.g. to edit it
        into a corrected version for ``override``."""
        return self._pages[site][path].body

    def _lookup(self, site: str, raw_path: str) -> Page | None:
        plain = raw_path.split("?", 1)[0]
        with self._lock:
            for key in (raw_path, plain):
                if (site, key) in self._overrides:
                    return self._overrides[(site, key)]
        pages = self._pages[site]
        return pages.get(raw_path) or pages.get(plain)

    def _record(self, site: str, path: str) -> None:
        with self._lock:
            self.requests.append((site, path))

    # -- config --------------------------------------------------------------
    def config_text(self) -> str:
        """The bundled sites.toml, pointed at the hosts and port actually bound."""
        text = CONFIG_TEMPLATE.read_text(encoding="utf-8")
        for site, default_ip in DEFAULT_HOSTS.items():
            text = re.sub(rf"{re.escape(default_ip)}:{TEMPLATE_PORT}\b", f"{self.hosts[site]}:{self.port}", text)
        return text

    def write_config(self, path) -> Path:
        path = Path(path)
        path.write_text(self.config_text(), encoding="utf-8")
        return path
