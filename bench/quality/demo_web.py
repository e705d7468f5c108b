"""Demo-web part of the quality benchmark: boilerplate surviving on the project's own demo sites.

Serves the demo web, fetches every article in ``demo.truth`` with urllib
(the date hint taken from the list page that links to it, as the crawl does),
runs ``extract_article`` with the demo site config and counts: boilerplate
lines that survive, story paragraphs kept, exact titles, dates right / NULL /
wrong.
"""

from __future__ import annotations

import re
import tomllib
import urllib.request
from collections import Counter, deque
from datetime import datetime, timezone
from urllib.parse import urljoin

import charset_normalizer
from parsel import Selector

from demo.server import DemoWeb
from demo.truth import truth
from pipeline.core.config import parse_config
from pipeline.extract.article import extract_article
from spiders.news import NewsSpider, crowded_elements

CHARSET = re.compile(rb"charset=[\"']?([\w-]+)", re.I)
MAX_LIST_PAGES = 50


def fetch(url: str) -> str:
    """The page decoded with the charset its header or <meta> declares, else UTF-8, else detected."""
    with urllib.request.urlopen(url, timeout=10) as response:
        body = response.read()
        declared = CHARSET.search(response.headers.get("Content-Type", "").encode()) or CHARSET.search(body[:4096])
    if declared:
        return body.decode(declared.group(1).decode(), errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return str(charset_normalizer.from_bytes(body).best())


def list_date_hints(site) -> dict[str, str]:
    """Article URL -> the date printed next to its link on the site's list pages."""
    hints, queue, seen = {}, deque(site.start_urls), set()
    while queue and len(seen) < MAX_LIST_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        root = Selector(text=fetch(url)).root
        crowded = crowded_elements(root)
        for anchor in root.xpath("//a[@href]"):
            link = urljoin(url, anchor.get("href").strip())
            if site.is_article(link):
                hint = NewsSpider._list_date(anchor, crowded)
                if hint:
                    hints.setdefault(link, hint)
            elif site.is_followable(link):
                queue.append(link)
    return hints


def score_demo() -> dict:
    """Extract every demo article and count what survives; return the totals."""
    expected = truth()
    totals = Counter()
    with DemoWeb() as web:
        sites = {s.name: s for s in parse_config(tomllib.loads(web.config_text()), "demo")}
        hints = {}
        for site in sites.values():
            hints.update(list_date_hints(site))
        for key, want in expected.items():
            site_name, path = key.split(":", 1)
            url = web.base_url(site_name) + path
            article = extract_article(fetch(url), url, site=sites[site_name],
                                      fetched_at=datetime.now(timezone.utc),
                                      date_hint=hints.get(url.split("#")[0]))
            lines = set(article.text.splitlines())
            totals["articles"] += 1
            totals["paragraphs"] += len(want["paragraphs"])
            totals["paragraphs_kept"] += sum(p in lines for p in want["paragraphs"])
            totals["boilerplate"] += len(want["boilerplate"])
            survivors = [b for b in want["boilerplate"] if b in article.text]
            totals["boilerplate_surviving"] += len(survivors)
            for line in survivors:
                print(f"  surviving on {key}: {line[:80]}")
            totals["titles_exact"] += article.title == want["title"]
            if article.published_at is None:
                totals["dates_null"] += 1
            elif article.published_at == want["published_at"]:
                totals["dates_right"] += 1
            else:
                totals["dates_wrong"] += 1
                print(f"  wrong date on {key}: {article.published_at} (want {want['published_at']})")
    return dict(totals)


def print_demo_report(totals: dict) -> None:
    n = totals["articles"]
    print(f"\ndemo-web: {n} articles")
    print("| boilerplate lines surviving | story paragraphs kept | exact titles | dates right | dates NULL | dates wrong |")
    print("|---|---|---|---|---|---|")
    print(f"| {totals['boilerplate_surviving']}/{totals['boilerplate']} "
          f"| {totals['paragraphs_kept']}/{totals['paragraphs']} | {totals['titles_exact']}/{n} "
          f"| {totals.get('dates_right', 0)} | {totals.get('dates_null', 0)} | {totals.get('dates_wrong', 0)} |")
