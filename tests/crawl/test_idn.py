"""A site under an internationalised host name (新闻.test) is crawled, not counted as off-site.

Scrapy requests such a host in its IDNA form (xn--efvy88h.test), so the site's
allowed hosts must be that form too, whether derived from a Unicode start URL or
written in Unicode in ``allowed_hosts``. Offline, the name cannot resolve: the
crawl goes through an HTTP proxy (Scrapy's HttpProxyMiddleware, from
``http_proxy``) that is the fault site itself, which serves by path whatever
host the request names, and logs the Host header it was sent.
"""

from __future__ import annotations

import pytest

from tests.faults import FaultWeb, good_path
from tests.helpers import crawl, rows, write_config

UNICODE_HOST, IDNA_HOST = "新闻.test", "xn--efvy88h.test"
N_GOOD = 3


@pytest.mark.parametrize("allowed_hosts", [None, [UNICODE_HOST], [IDNA_HOST]])
def test_a_unicode_host_is_crawled_under_its_idna_name(tmp_path, monkeypatch, allowed_hosts):
    with FaultWeb(n_good=N_GOOD, faults=False) as web:
        monkeypatch.setenv("http_proxy", web.base)
        monkeypatch.delenv("no_proxy", raising=False)
        config = write_config(tmp_path / "sites.toml", [f"http://{UNICODE_HOST}:{web.port}/list.html"],
                              follow_pattern=None, allowed_hosts=allowed_hosts)
        db = tmp_path / "news.db"
        result = crawl(config, db)
    assert result.returncode == 0, result.stderr
    assert {host for host, _ in web.log} == {f"{IDNA_HOST}:{web.port}"}
    stored = {url for (url,) in rows(db, "SELECT url FROM articles")}
    assert stored == {f"http://{IDNA_HOST}:{web.port}{good_path(n)}" for n in range(N_GOOD)}
    assert "offsite" not in rows(db, "SELECT stats FROM runs")[0][0]
