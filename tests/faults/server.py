"""A fault-injecting web site on loopback, for the fault tests and bench/faults.

``FaultWeb`` serves good articles next to every fault the crawl must survive
(see ``FAULTS``); ``HangServer`` accepts connections and never answers.
Everything binds to 127.x.x.x with port 0, every loop is bounded (by a byte
cap, a deadline, or the client hanging up), and every request is logged so a
test can assert what was (not) fetched.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .bombs import bombs

MiB = 1 << 20

# path -> what it is; what the crawl should do with it is in docs/reliability.md
FAULTS = {
    "/news/flaky.html": "503 twice, then the article",
    "/news/missing.html": "404",
    "/news/drip.html": "drips one byte every 0.2 s",
    "/news/redirect-file.html": "302 to file:///etc/passwd",
    "/news/redirect-ftp.html": "302 to ftp://127.0.0.1/pub/article.html",
    "/news/redirect-data.html": "302 to a data: URL",
    "/news/loop-a.html": "302 loop a -> b -> a",
    "/news/chain-0.html": "302 chain 0 -> 1 -> 2 -> ... of ever new URLs",
    "/news/redirect-offsite.html": "302 to another host (the other server)",
    "/news/bomb-gzip.html": "gzip bomb, 4 GiB of zeros",
    "/news/bomb-deflate.html": "deflate bomb, 4 GiB of zeros",
    "/news/bomb-br.html": "brotli bomb, 4 GiB of zeros",
    "/news/huge.html": "64 MiB plain page with Content-Length",
    "/news/huge-stream.html": "plain page streamed with no Content-Length until the client hangs up",
    "/news/report.pdf": "application/pdf",
    "/news/photo.png": "image/png",
    "/news/archive.zip": "application/zip",
    "/news/empty.html": "200 with an empty body",
    "/news/truncated.html": "HTML cut off in the middle of a tag",
    "/news/wrong-charset.html": "GBK page whose header says charset=utf-8",
    "/news/pathological.html": "4 MB page that takes trafilatura seconds",
    "/private/secret.html": "disallowed by robots.txt",
}

ROBOTS = "User-agent: *\nDisallow: /private/\n"
TRUNCATED_MARK = "truncated-page-marker"
CHARSET_MARK = "錯誤字元集測試"  # Chinese text served as GBK under a utf-8 label

_SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]


def _words(seed: int, n: int) -> list[str]:
    r = random.Random(seed)
    return ["".join(r.choice(_SYLLABLES) for _ in range(r.randint(1, 3))) for _ in range(n)]


def article_text(n: int) -> list[str]:
    """Paragraphs of article ``n``: random words, so no two articles are near duplicates."""
    words = _words(n, 360)
    return [" ".join(words[i:i + 60]).capitalize() + "." for i in range(0, 360, 60)]


def article_html(n: int, title: str | None = None, extra: str = "") -> str:
    title = title or f"Article number {n}"
    paras = "".join(f"<p>{p}</p>" for p in article_text(n))
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><nav><a href='/list.html'>Home</a></nav><article><h1>{title}</h1>"
            f"<div class='date'>2024-05-{1 + n % 28:02d} 08:00</div>{extra}{paras}</article>"
            f"<footer>Copyright Fault News</footer></body></html>")


def good_path(n: int) -> str:
    return f"/news/good-{n}.html"


class HangServer:
    """Accepts TCP connections and never sends a byte (bounded: closes everything on exit)."""

    def __init__(self, host: str = "127.0.0.1"):
        self.sock = socket.create_server((host, 0))
        self.sock.settimeout(0.2)
        self.host, self.port = self.sock.getsockname()[:2]
        self.accepted = 0
        self._conns: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def _loop(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            self.accepted += 1
            self._conns.append(conn)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)
        for conn in self._conns:
            conn.close()
        self.sock.close()


HOLD_LIMIT = 300  # seconds a held request waits at most for release(): threads stay bounded


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.0 (one response per connection), no log lines, and :meth:`send` for a whole response."""

    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawl was stopped, or gave up on this response


class LoopbackWeb:
    """A threaded HTTP server on a free port of ``host``, serving the handler class ``_handler()`` builds.

    A context manager: serves from ``__enter__`` to ``__exit__``. Subclasses count requests in
    ``hits`` (under ``_lock``) and hold requests until :meth:`release`, which ``__exit__`` calls so
    that no request thread outlives the server.
    """

    def __init__(self, host: str = "127.0.0.1"):
        self.released = threading.Event()
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, 0), self._handler())
        self.server.daemon_threads = True
        self.host, self.port = self.server.server_address[:2]
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def release(self) -> None:
        """Let held requests (and all later ones) through."""
        self.released.set()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)


class FaultWeb(LoopbackWeb):
    """The fault site. ``n_good`` good articles; ``faults`` adds every entry of FAULTS to the list pages;
    ``delay`` slows every article response; ``hold_after`` holds every article request after that
    many until :meth:`release` (crash and stop tests: the crawl is mid-way for certain, however
    loaded the machine); ``extra_links`` are put on the first list page as they are (off-host links,
    links to the HangServer)."""

    def __init__(self, host: str = "127.0.0.1", n_good: int = 10, faults: bool = True, delay: float = 0.0,
                 per_list: int = 50, extra_links: list[str] | None = None, offsite_target: str | None = None,
                 drip_seconds: float = 30.0, hold_after: int | None = None):
        self.n_good, self.faults, self.delay, self.per_list = n_good, faults, delay, per_list
        self.extra_links = extra_links or []
        self.offsite_target = offsite_target  # where /news/redirect-offsite.html points
        self.drip_seconds = drip_seconds
        self.hold_after = hold_after
        self.articles_requested = 0
        if faults:
            bombs()  # built before serving, not inside a request thread against the client's timeout
        self.log: list[tuple[str, str]] = []  # (Host header, path), in arrival order
        super().__init__(host)

    # -- site layout ------------------------------------------------------------

    def article_paths(self) -> list[str]:
        """Every article link, good ones interleaved with the faults."""
        good = [good_path(n) for n in range(self.n_good)]
        if not self.faults:
            return good
        faults = list(FAULTS)
        out, step = [], max(1, len(good) // (len(faults) + 1))
        for i, path in enumerate(good):
            out.append(path)
            if faults and i % step == step - 1:
                out.append(faults.pop(0))
        return out + faults

    def list_pages(self) -> list[list[str]]:
        paths = self.article_paths()
        return [paths[i:i + self.per_list] for i in range(0, len(paths), self.per_list)] or [[]]

    def requested(self, path: str) -> int:
        return self.hits[path]

    # -- the server ---------------------------------------------------------------

    def _handler(self):
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # one response per connection; bodies may end at close

            def log_message(self, *args):
                pass

            def do_GET(self):
                path = urlsplit(self.path).path
                with web._lock:
                    web.log.append((self.headers.get("Host", ""), path))
                    web.hits[path] += 1
                    hits = web.hits[path]
                    if path.startswith("/news/"):
                        web.articles_requested += 1
                        held = web.hold_after is not None and web.articles_requested > web.hold_after
                if path.startswith("/news/") and held:
                    web.released.wait(HOLD_LIMIT)
                try:
                    web._serve(self, path, hits)
                except (BrokenPipeError, ConnectionResetError, TimeoutError):
                    pass  # the client hung up: that is how the huge and dripping pages end

        return Handler

    @staticmethod
    def _send(h, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", headers=None):
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    def _serve(self, h, path: str, hits: int) -> None:
        send = self._send
        if path == "/robots.txt":
            return send(h, 200, ROBOTS.encode(), "text/plain")
        if path == "/list.html" or path.startswith("/list/"):
            pages = self.list_pages()
            i = 0 if path == "/list.html" else int(path.split("/")[-1].split(".")[0])
            if i >= len(pages):
                return send(h, 404, b"no such list page")
            links = "".join(f"<li><a href='{p}'>{p}</a></li>" for p in pages[i])
            if i == 0:
                links += "".join(f"<li><a href='{u}'>{u}</a></li>" for u in self.extra_links)
            nxt = f"<a href='/list/{i + 1}.html'>next</a>" if i + 1 < len(pages) else ""
            return send(h, 200, f"<html><body><ul>{links}</ul>{nxt}</body></html>".encode())
        if self.delay and path.startswith("/news/"):
            time.sleep(self.delay)
        if path.startswith("/news/good-"):
            n = int(path[len("/news/good-"):].split(".")[0])
            if n >= self.n_good:
                return send(h, 404, b"no such article")
            return send(h, 200, article_html(n).encode())
        if path == "/news/offsite-target.html":
            return send(h, 200, article_html(100_000, "Offsite target").encode())
        if not self.faults and path in FAULTS:
            return send(h, 404, b"faults are off")
        return self._fault(h, path, hits)

    def _fault(self, h, path: str, hits: int) -> None:
        send = self._send
        if path == "/news/flaky.html":
            if hits <= 2:
                return send(h, 503, b"try again later")
            return send(h, 200, article_html(200_001, "Flaky but there").encode())
        if path == "/news/missing.html":
            return send(h, 404, b"not found")
        if path == "/news/drip.html":
            h.send_response(200)
            h.send_header("Content-Type", "text/html; charset=utf-8")
            h.send_header("Content-Length", "100000")
            h.end_headers()
            deadline = time.monotonic() + self.drip_seconds
            body = article_html(200_002).encode()
            for i in range(100000):
                if time.monotonic() > deadline:
                    return
                h.wfile.write(body[i % len(body):i % len(body) + 1])
                h.wfile.flush()
                time.sleep(0.2)
            return
        redirects = {
            "/news/redirect-file.html": "file:///etc/passwd",
            "/news/redirect-ftp.html": "ftp://127.0.0.1/pub/article.html",
            "/news/redirect-data.html": "data:text/html,<html><body><p>data URL article</p></body></html>",
            "/news/loop-a.html": "/news/loop-b.html",
            "/news/loop-b.html": "/news/loop-a.html",
            "/news/redirect-offsite.html": self.offsite_target or "http://127.0.0.2:9/news/offsite-target.html",
        }
        if path.startswith("/news/chain-"):
            n = int(path[len("/news/chain-"):].split(".")[0])
            redirects[path] = f"/news/chain-{n + 1}.html" if n < 1000 else "/news/missing.html"
        if path in redirects:
            return send(h, 302, b"moved", headers={"Location": redirects[path]})
        if path.startswith("/news/bomb-"):
            encoding = {"gzip": "gzip", "deflate": "deflate", "br": "br"}[path[len("/news/bomb-"):-5]]
            return send(h, 200, bombs()[encoding], headers={"Content-Encoding": encoding})
        if path == "/news/huge.html":
            return self._stream(h, 64 * MiB, with_length=True)
        if path == "/news/huge-stream.html":
            return self._stream(h, 256 * MiB, with_length=False)
        binary = {"/news/report.pdf": ("application/pdf", b"%PDF-1.4\n" + bytes(2000) + b"\n%%EOF\n"),
                  "/news/photo.png": ("image/png", b"\x89PNG\r\n\x1a\n" + bytes(2000)),
                  "/news/archive.zip": ("application/zip", b"PK\x05\x06" + bytes(18))}
        if path in binary:
            ctype, body = binary[path]
            return send(h, 200, body, ctype)
        if path == "/news/empty.html":
            return send(h, 200, b"")
        if path == "/news/truncated.html":
            html = article_html(200_003, f"Truncated {TRUNCATED_MARK}")
            return send(h, 200, html.encode()[: html.index("</article>") - 40])
        if path == "/news/wrong-charset.html":
            paras = "".join(f"<p>{CHARSET_MARK}，第{i}段：{'本市今日召开新闻发布会，介绍了城市交通建设的最新进展和下一步计划。' * 3}</p>"
                            for i in range(6))
            html = (f"<html><head><title>{CHARSET_MARK}</title></head><body><article><h1>{CHARSET_MARK}</h1>"
                    f"<div class='date'>2024-05-02</div>{paras}</article></body></html>")
            return send(h, 200, html.encode("gbk"), "text/html; charset=utf-8")
        if path == "/news/pathological.html":
            words = _words(200_004, 2000)
            paras = "".join(f"<p>{' '.join(words[(i * 7) % 1900:(i * 7) % 1900 + 60])}</p>" for i in range(10000))
            html = f"<html><body><h1>Pathological</h1><article>{paras}</article></body></html>"
            return send(h, 200, html.encode())
        if path == "/private/secret.html":
            return send(h, 200, article_html(200_005, "Secret").encode())
        return send(h, 404, b"no such page")

    @staticmethod
    def _stream(h, cap: int, with_length: bool) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        if with_length:
            h.send_header("Content-Length", str(cap))
        h.end_headers()
        chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        for _ in range(cap // len(chunk)):
            h.wfile.write(chunk)


class PathWeb(LoopbackWeb):
    """A LoopbackWeb answering each GET with ``_serve(path)`` -> ``(status, body, content type)``; every
    request path counted in ``hits``."""

    def fetched(self, prefix: str) -> set[str]:
        """The paths under ``prefix`` that were requested."""
        with self._lock:
            return {p for p in self.hits if p.startswith(prefix)}

    def _serve(self, path: str) -> tuple[int, bytes, str]:
        raise NotImplementedError

    def _handler(self):
        web = self

        class Handler(QuietHandler):
            def do_GET(self):
                path = urlsplit(self.path).path
                with web._lock:
                    web.hits[path] += 1
                self.send(*web._serve(path))

        return Handler

