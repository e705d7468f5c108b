"""Site configuration: one TOML file, a ``[[sites]]`` table per site.

The file is validated completely before anything is fetched, so a typo in a
nightly config fails loudly at once instead of half-way through a crawl.
Every error names the file, the site and the key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import lxml.cssselect

from pipeline.core import backtracking
from pipeline.core.files import FileRefused, read_regular_file
from pipeline.core.urls import ascii_host

URL_SCHEMES = ("http", "https")
CONFIG_MAX_BYTES = 1 << 20  # a site config is a few KB; /dev/zero given by mistake must not be read for ever


class ConfigError(ValueError):
    """The site config cannot be used; the message says where and why."""


@dataclass(frozen=True)
class SiteConfig:
    name: str
    start_urls: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    article_pattern: re.Pattern = re.compile(".")
    follow_pattern: re.Pattern | None = None
    allowed_hosts: list[str] = field(default_factory=list)
    encoding: str | None = None
    max_pages: int | None = None
    download_delay: float | None = None
    drop_selectors: list[str] = field(default_factory=list)
    drop_patterns: list[re.Pattern] = field(default_factory=list)

    @property
    def seed_urls(self) -> list[str]:
        return [*self.start_urls, *self.feeds, *self.sitemaps]

    def is_article(self, url: str) -> bool:
        return bool(self.article_pattern.search(url))

    def is_followable(self, url: str) -> bool:
        return bool(self.follow_pattern and self.follow_pattern.search(url))


def _url_list(value, where):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of URL strings")
    for url in value:
        parts = urlsplit(url)
        if parts.scheme not in URL_SCHEMES or not parts.hostname:
            raise ConfigError(f"{where}: {url!r} is not an http(s) URL")
    return value


def _str_list(value, where):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return value


HOSTNAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\]")


def _hosts(value, where):
    hosts = [ascii_host(h) for h in _str_list(value, where)]  # 新闻.example is requested as xn--efvy88h.example
    for host in hosts:
        if not HOSTNAME.fullmatch(host):
            raise ConfigError(f"{where}: {host!r} is not a host name (no scheme, port or path)")
    return hosts


def _regex(value, where):
    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected a regular expression string")
    try:
        compiled = re.compile(value)
    except re.error as exc:
        raise ConfigError(f"{where}: invalid regular expression {value!r}: {exc}") from None
    try:
        backtracking.check(value)
    except backtracking.Backtracking as exc:  # it would hang the crawl on a long URL or line
        raise ConfigError(f"{where}: regular expression {value!r} can take exponential time "
                          f"(catastrophic backtracking): {exc}") from None
    return compiled


def _selectors(value, where):
    for sel in _str_list(value, where):
        try:
            lxml.cssselect.CSSSelector(sel)
        except Exception as exc:  # cssselect raises several parse error types
            raise ConfigError(f"{where}: invalid CSS selector {sel!r}: {exc}") from None
    return value


def _encoding(value, where):
    import codecs

    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected an encoding name")
    try:
        codecs.lookup(value)
    except LookupError:
        raise ConfigError(f"{where}: unknown encoding {value!r}") from None
    return value


def _positive_int(value, where):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{where}: expected a positive integer")
    return value


def _delay(value, where):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(f"{where}: expected a number of seconds >= 0")
    return float(value)


def _name(value, where):
    if not isinstance(value, str) or not re.fullmatch(r"[\w.-]+", value):
        raise ConfigError(f"{where}: expected a name of letters, digits, '_', '-' or '.'")
    return value


# key -> (parser, required)
SITE_KEYS = {
    "name": (_name, True),
    "start_urls": (_url_list, False),
    "feeds": (_url_list, False),
    "sitemaps": (_url_list, False),
    "article_pattern": (_regex, True),
    "follow_pattern": (_regex, False),
    "allowed_hosts": (_hosts, False),
    "encoding": (_encoding, False),
    "max_pages": (_positive_int, False),
    "download_delay": (_delay, False),
    "drop_selectors": (_selectors, False),
    "drop_patterns": (lambda v, w: [_regex(p, f"{w}[{i}]") for i, p in enumerate(_str_list(v, w))], False),
}


def parse_site(raw: dict, where: str) -> SiteConfig:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a [[sites]] table")
    label = f"{where} ({raw['name']})" if isinstance(raw.get("name"), str) else where
    unknown = sorted(set(raw) - set(SITE_KEYS))
    if unknown:
        raise ConfigError(f"{label}: unknown key {unknown[0]!r} (known keys: {', '.join(SITE_KEYS)})")
    values = {}
    for key, (parse, required) in SITE_KEYS.items():
        if key in raw:
            values[key] = parse(raw[key], f"{label}: key {key!r}")
        elif required:
            raise ConfigError(f"{label}: missing required key {key!r}")
    site = SiteConfig(**values)
    if not site.seed_urls:
        raise ConfigError(f"{label}: needs at least one of 'start_urls', 'feeds' or 'sitemaps'")
    if not site.allowed_hosts:
        hosts = sorted({ascii_host(urlsplit(u).hostname) for u in site.seed_urls})
        site = SiteConfig(**{**values, "allowed_hosts": hosts})
    return site


def parse_config(data: dict, source: str = "<config>") -> list[SiteConfig]:
    unknown = sorted(set(data) - {"sites"})
    if unknown:
        raise ConfigError(f"{source}: unknown top-level key {unknown[0]!r} (expected [[sites]] tables)")
    raw_sites = data.get("sites")
    if not isinstance(raw_sites, list) or not raw_sites:
        raise ConfigError(f"{source}: no [[sites]] tables")
    sites = [parse_site(raw, f"{source}: sites[{i}]") for i, raw in enumerate(raw_sites)]
    names = [s.name for s in sites]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"{source}: site name {dupes[0]!r} is used more than once")
    return sites


def load_config(path: str | Path) -> list[SiteConfig]:
    """Read and validate a site config file; raise ConfigError naming the problem."""
    path = Path(path)
    try:
        text = read_regular_file(path, CONFIG_MAX_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except FileRefused as exc:
        raise ConfigError(f"{path}: config file is {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: malformed TOML: {exc}") from None
    return parse_config(data, str(path))
