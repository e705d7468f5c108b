"""Articles are fetched before further list pages, so the crawl's frontier stays one page's links deep.

With one request at a time, the order the site sees is the scheduler's: every article a list page links
to comes before the next list page of the chain (Scrapy's LIFO queue alone fetched the chain first, and held
every article link of it in memory).
"""

import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.helpers import committed, crawl, write_config

LISTS, PER_LIST = 4, 5
WORDS = "记者 现场 了解 情况 市场 发展 城市 居民 政府 部门 企业 项目 工作 会议 调查 数据 经济 社会 教育 交通".split()


def _pages() -> dict[str, bytes]:
    pages = {}
    for n in range(1, LISTS + 1):
        links = "".join(f'<li><a href="/news/{n}-{i}.html">第{n}页第{i}篇</a></li>' for i in range(PER_LIST))
        nxt = f'<a href="/list/{n + 1}.html">下一页</a>' if n < LISTS else ""
        pages[f"/list/{n}.html"] = f"<html><body><ul>{links}</ul>{nxt}</body></html>".encode()
        for i in range(PER_LIST):
            rng = random.Random(f"{n}-{i}")  # distinct stories, no near-duplicates among them
            text = "".join(f"<p>{''.join(rng.choices(WORDS, k=40))}。</p>" for _ in range(6))
            pages[f"/news/{n}-{i}.html"] = (f"<html><head><title>报道 {n}-{i}</title></head><body><h1>报道 {n}-{i}</h1>"
                                            f"<div class='content'>{text}</div></body></html>").encode()
    return pages


def test_a_list_page_s_articles_come_before_the_next_list_page(tmp_path):
    pages, order = _pages(), []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            order.append(self.path)
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        config = write_config(tmp_path / "sites.toml", [f"{base}/list/1.html"], article_pattern=r"/news/")
        db = tmp_path / "news.db"
        result = crawl(config, db, {"CONCURRENT_REQUESTS": "1", "NEWSRAKE_FOLLOW_DEPTH": "0"})
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(committed(db)) == LISTS * PER_LIST
    fetched = [path for path in order if path != "/robots.txt"]
    for n in range(2, LISTS + 1):
        before = fetched[:fetched.index(f"/list/{n}.html")]
        assert {f"/news/{n - 1}-{i}.html" for i in range(PER_LIST)} <= set(before), fetched
