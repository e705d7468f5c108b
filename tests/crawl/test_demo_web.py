"""The bundled demo web serves what the end-to-end tests and `make crawl` rely on."""

from __future__ import annotations

import re
import unicodedata
import urllib.error
import urllib.request
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import etree as ET  # expat (xml.etree) cannot read a GBK feed

from demo.catalog import HARD_NEGATIVES
from demo.server import CONFIG_TEMPLATE, DemoWeb
from demo.truth import hard_negatives, truth
from pipeline.core.config import load_config


@pytest.fixture(scope="module")
def web():
    with DemoWeb(port=0) as web:
        yield web


def fetch(url: str):
    with urllib.request.urlopen(url, timeout=60) as resp:
        return resp.headers, resp.read()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (href, anchor text)
        self._href = None

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self._href = dict(attrs)["href"]
            self.links.append((self._href, ""))

    def handle_data(self, data):
        if self._href is not None:
            href, text = self.links[-1]
            self.links[-1] = (href, text + data)

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None


def links(html: str) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def truth_key(web, site: str, url: str) -> str:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == web.base_url(site)
    return f"{site}:{parts.path}" + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def test_gbk_page_has_no_header_charset_and_decodes_as_gbk(web):
    t = truth()
    for key, entry in t.items():
        site, path = key.split(":", 1)
        if site != "gbk-news":
            continue
        headers, body = fetch(web.base_url(site) + path)
        assert headers["Content-Type"] == "text/html"
        text = body.decode("gbk")
        assert entry["title"] in text
        assert all(p in text for p in entry["paragraphs"])
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
    declarations = [
        re.search(rb"charset=\"?([\w-]+)", fetch(web.base_url("gbk-news") + k.split(":", 1)[1])[1])
        for k in t if k.startswith("gbk-news:")
    ]
    found = {d.group(1).lower() if d else None for d in declarations}
    assert found == {b"gbk", b"gb2312", None}


def test_gb2312_declared_pages_really_are_gb2312(web):
    for key in truth():
        site, path = key.split(":", 1)
        if site == "gbk-news":
            body = fetch(web.base_url(site) + path)[1]
            if b"charset=gb2312" in body:
                body.decode("gb2312")


def test_gbk_rss_feed(web):
    headers, body = fetch(web.base_url("gbk-news") + "/rss.xml")
    assert body.startswith(b'<?xml version="1.0" encoding="gbk"?>')
    root = ET.fromstring(body)
    items = root.findall("./channel/item")
    assert len(items) == 6
    assert all(re.fullmatch(r"\w{3}, \d\d \w{3} 2023 \d\d:\d\d:\d\d \+0800", i.findtext("pubDate")) for i in items)
    titles = [i.findtext("title") for i in items]
    assert any(t.startswith("天津土地市场日报:") for t in titles)


def test_robots_sitemaps_and_feed(web):
    base = web.base_url("en-wire")
    robots = fetch(base + "/robots.txt")[1].decode()
    assert f"Sitemap: {base}/sitemap_index.xml" in robots
    assert "Disallow: /private/" in robots
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ET.fromstring(fetch(base + "/sitemap_index.xml")[1])
    maps = [loc.text for loc in index.findall("sm:sitemap/sm:loc", ns)]
    assert maps == [f"{base}/sitemaps/news-1.xml", f"{base}/sitemaps/news-2.xml"]
    for url in maps:
        assert ET.fromstring(fetch(url)[1]).findall("sm:url/sm:lastmod", ns)
    # robots forbids it, but it is linked and served so a test can prove it was not fetched
    assert any(href == "/private/secret.html" for href, _ in links(fetch(base + "/")[1].decode()))
    assert fetch(base + "/private/secret.html")[1]


def test_pagination_links(web):
    html = fetch(web.base_url("zh-agg") + "/list/1.html")[1].decode()
    assert ("/list/2.html", "下一页") in links(html)
    html = fetch(web.base_url("zh-agg") + "/list/2.html")[1].decode()
    assert ("/list/3.html", "下一页") in links(html)
    assert re.search(r"\b2023-\d\d-\d\d\b", html)
    html = fetch(web.base_url("zh-repost") + "/index.html")[1].decode()
    assert ("/index_2.html", "下一页") in links(html)


def test_override_replaces_and_restores_a_page(web):
    url = web.base_url("zh-agg") + "/news/1001.html"
    original = fetch(url)[1]
    assert web.page("zh-agg", "/news/1001.html") == original
    corrected = original.replace("32个产业项目".encode(), "33个产业项目".encode())
    web.override("zh-agg", "/news/1001.html", corrected)
    assert fetch(url)[1] == corrected
    web.override("zh-agg", "/news/1001.html", "<p>更正后的报道</p>".encode())
    assert fetch(url)[1] == "<p>更正后的报道</p>".encode()
    web.override("zh-agg", "/news/1001.html", b"gone", status=410)
    with pytest.raises(urllib.error.HTTPError) as err:
        fetch(url)
    assert err.value.code == 410
    web.override("zh-agg", "/news/1001.html", None)
    assert fetch(url)[1] == original
    web.override("zh-agg", "/news/9999.html", b"<p>new</p>")
    assert fetch(web.base_url("zh-agg") + "/news/9999.html")[1] == b"<p>new</p>"
    web.override("zh-agg", "/news/9999.html", None)
    assert ("zh-agg", "/news/9999.html") in web.requests


def _linked_articles(web) -> set[str]:
    """Truth keys of every article URL linked from list pages, feeds and sitemaps."""
    found = set()
    for site, lists, pattern in [
        ("zh-agg", ["/list/1.html", "/list/2.html", "/list/3.html"], r"/news/"),
        ("gbk-news", ["/index.html"], r"/a/2023/"),
        ("en-wire", ["/index.html"], r"/2023/03/"),
        ("zh-repost", ["/index.html", "/index_2.html"], r"/p/"),
    ]:
        base = web.base_url(site)
        for path in lists:
            for href, _ in links(fetch(base + path)[1].decode("gbk" if site == "gbk-news" else "utf-8")):
                if re.search(pattern, href):
                    found.add(truth_key(web, site, urljoin(base + path, href)))
    for item in ET.fromstring(fetch(web.base_url("gbk-news") + "/rss.xml")[1]).iter("link"):
        if "/a/" in item.text:
            found.add(truth_key(web, "gbk-news", item.text))
    atom = ET.fromstring(fetch(web.base_url("en-wire") + "/atom.xml")[1])
    for link in atom.iter("{http://www.w3.org/2005/Atom}link"):
        if "/2023/" in link.get("href"):
            found.add(truth_key(web, "en-wire", link.get("href")))
    for n in (1, 2):
        sitemap = ET.fromstring(fetch(web.base_url("en-wire") + f"/sitemaps/news-{n}.xml")[1])
        for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
            found.add(truth_key(web, "en-wire", loc.text))
    return found


def test_truth_covers_every_linked_article(web):
    t = truth()
    linked = _linked_articles(web)
    assert linked == set(t)
    assert {k.split(":")[0] for k in t} == {"zh-agg", "gbk-news", "en-wire", "zh-repost"}


def test_truth_matches_served_pages(web):
    for key, entry in truth().items():
        site, path = key.split(":", 1)
        headers, body = fetch(web.base_url(site) + path.split("#")[0])
        html = body.decode("gbk" if site == "gbk-news" else "utf-8")
        text = unescape(re.sub(r"<[^>]+>", "", html))
        assert entry["title"] in text, key
        for para in entry["paragraphs"]:
            assert para in text, (key, para)
            assert unicodedata.normalize("NFKC", para) == para
        for line in entry["boilerplate"]:
            assert line in text, (key, line)
            assert all(line not in p for p in entry["paragraphs"]), (key, line)


def test_duplicates_point_at_real_entries():
    t = truth()
    kinds = {}
    for key, entry in t.items():
        if entry["duplicate_of"]:
            target = t[entry["duplicate_of"]]
            assert target["duplicate_of"] is None
            kinds[key] = entry["duplicate_kind"]
            if entry["duplicate_kind"] in ("url", "exact"):
                assert entry["paragraphs"] == target["paragraphs"]
            else:
                assert entry["paragraphs"] != target["paragraphs"]
                assert entry["title"] == target["title"]
    assert sorted(kinds.values()) == ["exact", "near", "near", "url", "url"]
    for a, b in hard_negatives():
        assert t[a]["duplicate_of"] is None and t[b]["duplicate_of"] is None
        assert t[a]["paragraphs"] != t[b]["paragraphs"]
    assert hard_negatives() == HARD_NEGATIVES


def test_story_sizes():
    for key, entry in truth().items():
        n = len(entry["paragraphs"])
        assert 4 <= n <= 10, key
        text = "".join(entry["paragraphs"])
        if key.startswith("en-wire:"):
            assert 300 <= len(text.split()) <= 700, key
        else:
            assert 600 <= len(text) <= 1500, key


def test_repost_pages_have_canonical_and_disguised_urls_share_a_page(web):
    base = web.base_url("zh-repost")
    plain = fetch(base + "/p/123.html")[1]
    assert f'<link rel="canonical" href="{base}/p/123.html">'.encode() in plain
    assert fetch(base + "/p/123.html?utm_source=wechat&spm=a.b.c")[1] == plain
    assert ("zh-repost", "/p/123.html?utm_source=wechat&spm=a.b.c") in web.requests


def test_write_config_matches_bundled_config(web, tmp_path):
    path = web.write_config(tmp_path / "sites.toml")
    text = path.read_text(encoding="utf-8")
    assert text == CONFIG_TEMPLATE.read_text(encoding="utf-8").replace(":8765", f":{web.port}")
    sites = {s.name: s for s in load_config(path)}
    assert set(sites) == set(web.hosts)
    for key in truth():
        site, path = key.split(":", 1)
        assert sites[site].is_article(web.base_url(site) + path), key
    assert load_config(CONFIG_TEMPLATE)


def test_port_is_shared_and_retried_when_taken():
    with DemoWeb(port=0) as first:
        with DemoWeb(port=0) as second:
            assert first.port != second.port
            assert {urlsplit(second.base_url(s)).port for s in second.hosts} == {second.port}
