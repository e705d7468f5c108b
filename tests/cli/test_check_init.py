"""``newsrake check`` against local sites, ``newsrake init``'s template, ``newsrake --version``.

check: the links of each page read with the rule that decided them, the
sample articles, the warnings (exit 3), its bounds (start pages and one
sitemap index level read, follow links not followed, N articles fetched), and
that it writes nothing where it runs.
"""

from __future__ import annotations

import re
from importlib.metadata import version

import pytest

from pipeline.core.config import SITE_KEYS, load_config
from tests.faults.server import PathWeb, article_html
from tests.helpers import FAST, newsrake

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
LIST_LINKS = ["/news/1.html", "/news/2.html", "/news/missing.html", "/news/3.html", "/news/4.html",
              "/list/2.html", "/about.html", "/private/news/5.html", "http://127.0.0.2:9/news/6.html",
              "/dup/a.html", "/dup/b.html", "/dup/c.html"]


class TrialWeb(PathWeb):
    """A small site: one list page with every kind of link, a chain of sitemap indexes, articles (/dup/ ones
    all the same page), a 404, and a robots.txt that disallows /private/."""

    def _serve(self, path: str) -> tuple[int, bytes, str]:
        if path == "/robots.txt":
            return 200, b"User-agent: *\nDisallow: /private/\n", "text/plain"
        if path == "/list.html":
            links = "".join(f"<li><a href='{href}'>{href}</a></li>" for href in LIST_LINKS)
            return 200, f"<html><body><ul>{links}</ul></body></html>".encode(), "text/html; charset=utf-8"
        if sitemap := re.fullmatch(r"/sitemap/(\d+)-(\w+)\.xml", path):  # a site's chain of indexes (one level read)
            n, site = int(sitemap[1]), sitemap[2]
            return 200, (f"<?xml version='1.0' encoding='UTF-8'?><sitemapindex xmlns='{SITEMAP_NS}'>"
                         f"<sitemap><loc>{self.url(f'/sitemap/{n + 1}-{site}.xml')}</loc></sitemap></sitemapindex>"
                         ).encode(), "application/xml"
        if re.fullmatch(r"/news/\d+\.html", path):
            return 200, article_html(int(path[6:-5])).encode(), "text/html; charset=utf-8"
        if path.startswith("/dup/"):
            return 200, article_html(7, title=f"Copy {path}").encode(), "text/html; charset=utf-8"
        return 404, b"not found", "text/html; charset=utf-8"


@pytest.fixture(scope="module")
def web():
    with TrialWeb() as web:
        yield web


def config(path, web, sites: dict[str, str]):
    """A config of one site per ``name: article_pattern``, all reading the list page and the sitemap chain
    (under URLs of their own: the crawl requests a URL once)."""
    tables = [f"[[sites]]\nname = '{name}'\nstart_urls = ['{web.url('/list.html?for=' + name)}']\n"
              f"sitemaps = ['{web.url(f'/sitemap/0-{name}.xml')}']\narticle_pattern = '{pattern}'\n"
              f"follow_pattern = '/list/\\d+\\.html$'\ndownload_delay = 0\n" for name, pattern in sites.items()]
    path.write_text("\n".join(tables), encoding="utf-8")
    return path


def check(cwd, *args):
    """``newsrake check`` run in ``cwd``, which must stay empty but for the config: check writes nothing."""
    before = set(cwd.iterdir())
    result = newsrake("check", *args, *FAST, cwd=cwd)
    assert set(cwd.iterdir()) == before and not (cwd / "data").exists()
    return result


@pytest.fixture(scope="module")
def checked(web, tmp_path_factory):
    """One check of a site with every kind of link; (result, paths requested under /news/ and /list/ during it)."""
    cwd = tmp_path_factory.mktemp("check")
    result = check(cwd, config(cwd / "sites.toml", web, {"trial": "/news/"}), "--limit", "3", "--links", "0")
    return result, web.fetched("/news/") | web.fetched("/list/") | web.fetched("/private/")


def test_check_lists_every_link_with_the_rule_that_decided(checked, web):
    result, _ = checked
    out = result.stdout
    assert f"list {web.url('/list.html?for=trial')}: 12 links (5 article, 1 follow, 6 ignored)" in out, out
    for rule, n in (("article  article_pattern '/news/'", 5), ("follow   follow_pattern '/list/\\d+\\.html$'", 1),
                    ("ignored  matches neither article_pattern nor follow_pattern", 4),
                    ("ignored  disallowed by robots.txt", 1),
                    (f"ignored  off-site: not on allowed_hosts ({web.host})", 1)):
        assert f"  {rule}: {n}\n" in out, (rule, out)
    assert "http://127.0.0.2:9/news/6.html" in out and web.url("/private/news/5.html") in out
    # the sitemap index was read, the one it names too, not the third
    assert f"sitemap {web.url('/sitemap/1-trial.xml')}: 1 link (0 article, 0 follow, 1 ignored)" in out
    assert "a sitemap below more than one sitemap index (not read): 1" in out


def test_check_extracts_samples_and_warns(checked, web):
    result, _ = checked
    out = result.stdout
    assert result.returncode == 3, result.stderr
    assert "sample articles: 2 of 5 article links" in out  # the third sample is the 404
    for n in (1, 2):
        assert f"[{n}] {web.url(f'/news/{n}.html')}\n      title:   Article number {n}\n" in out, out
        assert f"date:    2024-05-0{n + 1}" in out
    assert "removed:" in out
    assert f"trial: {web.url('/news/missing.html')}: cannot fetch: http_404" in out
    assert "trial: none of the 2 sampled articles has an author" in out


def test_check_is_bounded(checked):
    """Start pages and one sitemap index level are read, follow links are not followed, --limit articles fetched;
    robots.txt's disallowed page is not requested."""
    _, requested = checked
    assert requested == {"/news/1.html", "/news/2.html", "/news/missing.html"}


def test_check_warns_when_nothing_matches_or_every_sample_is_a_copy(web, tmp_path):
    result = check(tmp_path, config(tmp_path / "sites.toml", web, {"nothing": "/nomatch/", "copies": "/dup/"}))
    assert result.returncode == 3, result.stderr
    assert "nothing: no article links: 14 links on 3 pages read" in result.stdout, result.stdout
    assert "copies: every sampled article is a copy of another sample (exact)" in result.stdout
    assert "copy of: [1] (exact)" in result.stdout


def test_check_a_usable_site_exits_0(demo_config, tmp_path):
    result = check(tmp_path, demo_config, "--site", "en-wire", "--limit", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no warnings: the site looks usable" in result.stdout
    assert "sitemap" in result.stdout and "disallowed by robots.txt" in result.stdout
    assert "author:  (none)" not in result.stdout


def test_check_refuses_an_unknown_site(web, tmp_path):
    result = newsrake("check", config(tmp_path / "sites.toml", web, {"trial": "/news/"}), "--site", "nope",
                      cwd=tmp_path)
    assert result.returncode == 2
    assert "no site named 'nope' in the config (sites: trial)" in result.stderr


def test_init_writes_a_template_that_validates(tmp_path):
    result = newsrake("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    template = tmp_path / "sites.toml"
    text = template.read_text(encoding="utf-8")
    assert [s.name for s in load_config(template)] == ["example-news"]
    for key in SITE_KEYS:  # every key, set or commented out
        assert re.search(rf"^(# )?{key} = ", text, re.M), key
    uncommented = tmp_path / "all.toml"
    uncommented.write_text(re.sub(r"^# (\w+ = )", r"\1", text, flags=re.M), encoding="utf-8")
    site, = load_config(uncommented)
    assert site.feeds and site.sitemaps and site.encoding and site.allowed_hosts

    again = newsrake("init", cwd=tmp_path)
    assert again.returncode == 2 and "file exists (use --force to overwrite)" in again.stderr
    template.write_text("edited", encoding="utf-8")
    assert newsrake("init", "--force", cwd=tmp_path).returncode == 0
    assert template.read_text(encoding="utf-8") == text


def test_version():
    result = newsrake("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"newsrake {version('newsrake')}"
