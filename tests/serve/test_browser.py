"""`newsrake serve` driven in headless Chromium: the home page, search, every canned query, the chart, and
a write through the SQL box refused. Screenshots go to tests/.artifacts/serve/ (not committed)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.helpers import FAST, ROOT, copy_db, newsrake, rows, serving, wait_for

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
ARTIFACTS = ROOT / "tests" / ".artifacts" / "serve"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--window-size=1280,1600"]

pytestmark = pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                                reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium, "
                                       "/usr/bin/chromedriver); .ci/run installs them")


def _add_near_miss(db: Path) -> tuple[int, int]:
    """Store an edited copy of the longest Chinese article that the LSH index finds just below the
    near-duplicate threshold, as a crawl of a site that rewrote part of it would; (its id, the original's)."""
    from pipeline.dedup import LSHIndex, MinHasher
    from pipeline.store import Store

    original, text = rows(db, "SELECT id, text FROM articles WHERE lang = 'zh' ORDER BY length(text) DESC LIMIT 1")[0]
    store = Store(db)
    try:
        index = LSHIndex.as_stored(store.conn, 0.8)
        hasher = MinHasher()
        for cut in range(len(text) // 20, len(text) // 2, max(1, len(text) // 100)):
            variant = text[:-cut] + "本报记者另行补充的内容,与原文不同。" * (cut // 18 + 1)
            sig = hasher.sketch(variant)
            if any(m.article_id == original for m in index.near_misses(sig)):
                break
        else:
            raise AssertionError("no edit of the article is a near miss")
        run = store.start_run(None, None)
        new = store.insert_article({"url": "http://127.0.0.1:9/near-miss.html", "site": "zh-repost",
                                    "title": "改写的稿件", "text": variant, "content_hash": "near-miss",
                                    "fetched_at": "2024-05-01T00:00:00+00:00", "run_id": run, "lang": "zh"})
        index.add(new, sig)
        store.commit()
        store.finish_run(run, "completed", {}, {})
    finally:
        store.close()
    return new, original


def _crawl_with_a_broken_site(db: Path, demo_config: Path) -> None:
    """A second night of the demo crawl with one more site whose article_pattern matches nothing: it is
    flagged ``no_links`` (exit 3)."""
    start_url = tomllib.loads(demo_config.read_text(encoding="utf-8"))["sites"][0]["start_urls"][0] + "?v=broken"
    config = db.parent / "sites.toml"
    config.write_text(demo_config.read_text(encoding="utf-8") + "\n[[sites]]\nname = \"broken\"\n"
                      f"start_urls = [\"{start_url}\"]\narticle_pattern = '/no-such-path/$'\n", encoding="utf-8")
    assert newsrake("crawl", config, "--db", db, *FAST).returncode == 3


@pytest.fixture(scope="module")
def served(crawled, demo_config, tmp_path_factory):
    """``newsrake serve`` on a copy of the demo crawl, crawled a second night with a broken site and with one
    near miss added, stopped after the module: (base URL, database URL, database path)."""
    db = copy_db(crawled[0], tmp_path_factory.mktemp("serve") / "news.db")
    _crawl_with_a_broken_site(db, demo_config)
    _add_near_miss(db)
    with serving(db) as (_, base):
        yield base, f"{base}/news", db


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in [*CHROMIUM_ARGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


def texts(driver, css: str) -> list[str]:
    from selenium.webdriver.common.by import By

    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, css)]


def result_rows(driver) -> list[str]:
    return texts(driver, "table.rows-and-columns tbody tr")


def test_home_page_lists_the_tables_with_descriptions_and_no_internal_table(served, browser):
    base, database, _ = served
    browser.get(base + "/")
    browser.save_screenshot(str(ARTIFACTS / "home.png"))
    tables = texts(browser, "dl.newsrake-tables dt")
    descriptions = texts(browser, "dl.newsrake-tables dd")
    assert {"articles", "duplicates", "runs", "site_runs", "removals"} <= set(tables)
    assert len(descriptions) == len(tables) and all(descriptions)
    browser.get(database)
    listed = set(texts(browser, ".db-table h3 a"))
    assert set(tables) <= listed
    for internal in ("lsh_bands", "lsh_signatures", "lsh_params", "pages", "articles_fts", "articles_bigram"):
        assert internal not in tables and internal not in listed


def test_a_two_character_chinese_search_finds_the_demo_articles(served, browser):
    from selenium.webdriver.common.by import By

    _, database, db = served
    browser.get(database + "/search")
    box = browser.find_element(By.CSS_SELECTOR, "form input[name=q]")
    box.send_keys("天津")
    box.submit()
    wait_for(lambda: result_rows(browser), tries=200)
    titles = texts(browser, "table.rows-and-columns tbody td.col-title")
    expected = {t for (t,) in rows(db, "SELECT title FROM articles WHERE instr(title || text, '天津')")}
    assert expected and set(titles) == expected
    assert "**天津**" in " ".join(texts(browser, "table.rows-and-columns tbody td.col-snippet"))


def test_every_canned_query_renders_rows(served, browser):
    _, database, db = served
    copied = rows(db, "SELECT article_id FROM duplicates GROUP BY article_id ORDER BY count(*) DESC LIMIT 1")[0][0]
    cleaned = rows(db, "SELECT article_id FROM removals LIMIT 1")[0][0]
    for query, params in [("search", "?q=新区"), ("todays_articles", ""), ("story_sites", f"?id={copied}"),
                          ("most_carried_this_week", ""), ("site_health", ""),
                          ("removals_of_article", f"?id={cleaned}"), ("near_misses", "")]:
        browser.get(f"{database}/{query}{params}")
        assert result_rows(browser), f"{query} shows no rows"
        if query == "story_sites":
            assert {"kind", "similarity", "site"} <= set(texts(browser, "table.rows-and-columns th"))


def test_the_chart_shows_every_site_night_by_night(served, browser):
    base, _, db = served
    browser.get(base + "/chart")
    browser.save_screenshot(str(ARTIFACTS / "chart.png"))
    sites = {s for (s,) in rows(db, "SELECT DISTINCT site FROM site_runs")}
    charts = browser.find_elements("css selector", "div.night-chart")
    assert {c.get_attribute("data-site") for c in charts} == sites
    assert all(c.find_elements("css selector", "svg rect") for c in charts)
    flagged = {c.get_attribute("data-site") for c in charts if c.find_elements("css selector", "rect.flagged")}
    assert flagged == {"broken"}
    assert "flagged in its latest crawl: no_links" in next(c.text for c in charts
                                                           if c.get_attribute("data-site") == "broken")


@pytest.mark.parametrize("sql", ["DELETE FROM articles", "WITH x AS (SELECT 1) DELETE FROM articles"])
def test_a_write_through_the_sql_box_is_refused(served, browser, sql):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _, database, db = served
    before = rows(db, "SELECT count(*) FROM articles")
    browser.get(database)
    browser.find_element(By.CSS_SELECTOR, ".CodeMirror").click()
    editor = browser.find_element(By.CSS_SELECTOR, ".CodeMirror textarea")
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(sql)
    browser.find_element(By.CSS_SELECTOR, "form.sql input[type=submit]").click()
    wait_for(lambda: "sql=" in browser.current_url, tries=200)
    message = browser.find_element(By.CSS_SELECTOR, "body").text
    assert "Statement must be a SELECT" in message or "readonly database" in message
    assert rows(db, "SELECT count(*) FROM articles") == before
