"""A synthetic aggregator of N distinct article pages, served from memory on 127.0.0.1.

Paragraphs are shuffled sentences of the demo stories (Chinese and English),
so every article is different (no accidental duplicates) yet reads like news,
wrapped in the boilerplate an aggregator adds: navigation, breadcrumb, contact
ad, copyright notice, related-article list. List pages carry 50 links each and
a "next page" link.
"""

from __future__ import annotations

import random
import re
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from demo.stories_en import STORIES as EN
from demo.stories_zh import STORIES as ZH

PER_LIST = 50
SENTENCE = re.compile(r"[^。!?.!?]+[。!?.!?]")


def _sentences(stories) -> list[str]:
    return [s.strip() for story in stories.values() for p in story["paragraphs"] for s in SENTENCE.findall(p)]


def _article(n: int, rng: random.Random, zh: list[str], en: list[str]) -> str:
    pool, lang = (zh, "zh") if n % 3 else (en, "en")
    paragraphs = ["".join(rng.sample(pool, 3)) if lang == "zh" else " ".join(rng.sample(pool, 3)) for _ in range(8)]
    title = rng.choice(pool)[:40]
    related = "".join(f'<li><a href="/news/{rng.randrange(10**6)}.html">{rng.choice(pool)[:30]}</a>'
                      f"<p>{rng.choice(pool)}</p></li>" for _ in range(6))
    nav = "".join(f'<a href="/c/{i}.html">频道{i}</a>' for i in range(20))
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} - 聚合网</title>'
            f'<meta property="article:published_time" content="2023-03-{1 + n % 28:02d}T08:00:00+08:00"></head>'
            f'<body><div class="nav">{nav}</div><div class="crumb">当前位置:首页 > 新闻 > 正文</div>'
            f"<h1>{title}</h1><div class=\"info\">admin 3小时前 新闻 {n}</div>"
            f'<div class="content">{body}</div>'
            f'<div class="ad">招商热线:400 0123 021<br>微信/手机:13391219793<br>扫一扫关注公众号</div>'
            f"<p>版权声明:本文由聚合网发布,如需转载请注明出处。</p><p>分享给朋友:</p>"
            f'<div class="related"><h3>相关文章</h3><ul>{related}</ul></div>'
            f'<div class="footer">Copyright 2023 聚合网 All rights reserved 津ICP备12345678号</div></body></html>')


def build(n_articles: int, seed: int = 7) -> dict[str, bytes]:
    rng = random.Random(seed)
    zh, en = _sentences(ZH), _sentences(EN)
    pages = {f"/news/{i}.html": _article(i, rng, zh, en).encode() for i in range(n_articles)}
    n_lists = -(-n_articles // PER_LIST)
    for page in range(n_lists):
        links = "".join(f'<li><a href="/news/{i}.html">文章{i}</a> 2023-03-{1 + i % 28:02d}</li>'
                        for i in range(page * PER_LIST, min(n_articles, (page + 1) * PER_LIST)))
        nxt = f'<a href="/list/{page + 2}.html">下一页</a>' if page + 1 < n_lists else ""
        pages[f"/list/{page + 1}.html"] = f"<html><body><ul>{links}</ul>{nxt}</body></html>".encode()
    return pages


def serve(pages: dict[str, bytes], host: str = "127.0.0.1") -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            body = body or b"not found"
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def served_site(n_articles: int):
    """The site of ``n_articles`` served on 127.0.0.1: ``(pages, base URL)``; stopped on exit."""
    pages = build(n_articles)
    server = serve(pages)
    try:
        yield pages, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
