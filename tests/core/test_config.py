"""Config validation: every error names the file, the site and the key; exit 2; nothing written."""

import re

import pytest

from pipeline.cli import main
from pipeline.core.config import ConfigError, load_config

GOOD = '''
[[sites]]
name = "example"
start_urls = ["http://127.0.0.1:1/list.html"]
article_pattern = '/news/\\d+\\.html$'
follow_pattern = '/list/\\d+\\.html$'
download_delay = 0.5
max_pages = 10
'''


def write(tmp_path, text, name="sites.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_config_and_defaults(tmp_path):
    (site,) = load_config(write(tmp_path, GOOD))
    assert site.name == "example"
    assert site.allowed_hosts == ["127.0.0.1"]
    (upper,) = load_config(write(tmp_path, GOOD.replace('name = "example"', 'name = "example"\nallowed_hosts = ["Example.COM"]'), "b.toml"))
    assert upper.allowed_hosts == ["example.com"]
    assert site.feeds == [] and site.sitemaps == []
    assert site.download_delay == 0.5
    assert site.is_article("http://127.0.0.1:1/news/12.html")
    assert site.is_followable("http://127.0.0.1:1/list/2.html")
    assert not site.is_article("http://127.0.0.1:1/list/2.html")


@pytest.mark.parametrize("change, expected", [
    (("max_pages = 10", "max_pages = 10\nmax_page = 3"), r"sites\[0\] \(example\): unknown key 'max_page'"),
    (("max_pages = 10", 'max_pages = "ten"'), r"\(example\): key 'max_pages': expected a positive integer"),
    (("download_delay = 0.5", "download_delay = -1"), r"key 'download_delay'"),
    (("'/news/\\d+\\.html$'", "'/news/(\\d+'"), r"key 'article_pattern': invalid regular expression"),
    (('start_urls = ["http://127.0.0.1:1/list.html"]', 'start_urls = "http://x"'), r"key 'start_urls': expected a list"),
    (('start_urls = ["http://127.0.0.1:1/list.html"]', 'start_urls = ["ftp://x/y"]'), r"not an http\(s\) URL"),
    (('start_urls = ["http://127.0.0.1:1/list.html"]', ''), r"needs at least one of 'start_urls', 'feeds' or 'sitemaps'"),
    (("article_pattern = '/news/\\d+\\.html$'", ""), r"missing required key 'article_pattern'"),
    (('name = "example"', 'name = "example"\ndrop_selectors = ["div[["]'), r"key 'drop_selectors': invalid CSS selector"),
    (('name = "example"', 'name = "example"\ndrop_patterns = ["(unclosed"]'), r"key 'drop_patterns'\[0\]: invalid regular"),
    (('name = "example"', 'name = "example"\nencoding = "klingon"'), r"key 'encoding': unknown encoding"),
    (('name = "example"', 'name = "example"\nallowed_hosts = ["https://x.com"]'), r"key 'allowed_hosts': 'https://x.com' is not a host"),
])
def test_bad_config_names_file_site_and_key(tmp_path, change, expected):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert re.search(expected, str(info.value)), str(info.value)


def test_malformed_toml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="malformed TOML"):
        load_config(write(tmp_path, "[[sites]\nname="))
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_duplicate_site_names(tmp_path):
    with pytest.raises(ConfigError, match="'example' is used more than once"):
        load_config(write(tmp_path, GOOD + GOOD))


def test_crawl_with_bad_config_exits_2_and_writes_nothing(tmp_path, capsys):
    db = tmp_path / "news.db"
    path = write(tmp_path, GOOD.replace("max_pages = 10", "max_pages = 0"))
    assert main(["crawl", str(path), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "sites.toml" in err and "example" in err and "max_pages" in err
    assert not db.exists()
