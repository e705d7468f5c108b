"""Sites whose links differ from visit to visit in one query parameter, on loopback.

``SessionWeb(mode="sid")``: ``n_lists`` list pages, each render linking the
``n_stories`` stories and every list page with a new random ``sid`` (one per
render, as a server-side session would): unless ``sid`` is recognised as
per-visit, every render is all new URLs and the crawl never ends.

``SessionWeb(mode="id")``: ``/article.php?id=N`` selects story N, and every list
page links each story twice, as ``id=N`` and ``id=0N``: the same text under URLs
that differ only in ``id``, on every story, yet ``id`` must never be dropped.

``hold_lists_after``: list renders after that many wait until :meth:`release`
(so a test can let the crawl find the parameter before the next render, however
loaded the machine). Every request is counted (``hits`` by path, ``article_hits``
in all, ``list_renders``) so a test can assert what was fetched.
"""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs, urlsplit

from .server import HOLD_LIMIT, LoopbackWeb, QuietHandler, article_html

MODES = ("sid", "id")


class SessionWeb(LoopbackWeb):
    def __init__(self, mode: str = "sid", host: str = "127.0.0.1", n_stories: int = 5, n_lists: int = 3,
                 hold_lists_after: int | None = None):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.mode, self.n_stories, self.n_lists = mode, n_stories, n_lists
        self.hold_lists_after = hold_lists_after
        self.article_hits = 0
        self.list_renders = 0
        super().__init__(host)

    def story_path(self, n: int) -> str:
        """The path of story ``n`` without its per-visit or selecting parameter."""
        return "/article.php" if self.mode == "id" else f"/news/story-{n}.html"

    # -- pages ----------------------------------------------------------------------

    def _list_page(self, i: int) -> str:
        if self.mode == "sid":
            sid = secrets.token_hex(16)  # a new session on every render
            stories = [f"/news/story-{n}.html?sid={sid}" for n in range(self.n_stories)]
            lists = [(f"/list/{k}.html" if k else "/list.html") + f"?sid={sid}" for k in range(self.n_lists)]
        else:
            stories = [f"/article.php?id={p}{n}" for n in range(self.n_stories) for p in ("", "0")]
            lists = [f"/list/{k}.html" if k else "/list.html" for k in range(self.n_lists)]
        links = "".join(f"<li><a href='{u}'>{u}</a></li>" for u in stories)
        pager = " ".join(f"<a href='{u}'>{k + 1}</a>" for k, u in enumerate(lists))
        return f"<html><body><h1>List {i}</h1><ul>{links}</ul><p>{pager}</p></body></html>"

    def _story(self, path: str, query: str) -> int | None:
        """The story a request selects, or None."""
        if self.mode == "id" and path == "/article.php":
            value = parse_qs(query).get("id", [""])[0]
            return int(value) if value.isdigit() else None
        if self.mode == "sid" and path.startswith("/news/story-") and path.endswith(".html"):
            return int(path[len("/news/story-"):-len(".html")])
        return None

    def _handler(self):
        web = self

        class Handler(QuietHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                story = web._story(parts.path, parts.query)
                with web._lock:
                    web.hits[parts.path] += 1
                    web.article_hits += story is not None
                if parts.path == "/robots.txt":
                    return self.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
                if parts.path == "/list.html" or parts.path.startswith("/list/"):
                    i = 0 if parts.path == "/list.html" else int(parts.path.split("/")[-1].split(".")[0])
                    if i < web.n_lists:
                        with web._lock:
                            web.list_renders += 1
                            held = web.hold_lists_after is not None and web.list_renders > web.hold_lists_after
                        if held:
                            web.released.wait(HOLD_LIMIT)
                        return self.send(200, web._list_page(i).encode())
                if story is not None and story < web.n_stories:
                    return self.send(200, article_html(story, f"Story {story}").encode())
                return self.send(404, b"no such page")

        return Handler
