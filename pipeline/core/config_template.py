"""The commented site config ``newsrake init`` writes: every key of ``[[sites]]``, each with what it does.

It passes :func:`pipeline.core.config.load_config` as written, and with its
commented-out keys uncommented too (tests/cli/test_check_init.py checks both,
and that every key of ``SITE_KEYS`` is in it).
"""

CONFIG_TEMPLATE = """\
# newsrake site config: one [[sites]] table per site (copy the table for more).
# Edit the URLs and patterns, then try the site before its first crawl:
#   newsrake check sites.toml --site example-news
# It is validated before anything is fetched: a mistake is reported with
# its file, site and key. Regexes are in single quotes (TOML literal
# strings: a backslash is just a backslash). Every key is described in the
# README, "Site config reference".

[[sites]]
# Required. The site's name in the `site` column: letters, digits, '_', '-', '.'.
name = "example-news"

# Where links are read from: at least one of start_urls, feeds and sitemaps.
# List or index pages: their links are read.
start_urls = ["https://news.example.com/latest/"]
# RSS or Atom feeds.
# feeds = ["https://news.example.com/rss.xml"]
# Sitemaps, sitemap indexes, gzip sitemaps, or a robots.txt (its Sitemap: lines).
# sitemaps = ["https://news.example.com/robots.txt"]

# Required. A link whose absolute URL this regex matches (anywhere in it) is an article.
article_pattern = '/\\d{4}/\\d{2}/\\d{2}/[\\w-]+\\.html$'
# A link this matches is a list page (pagination, a category) read for more links;
# leave it out to read only the pages above.
follow_pattern = '/latest/page/\\d+/$'

# Hosts (and their subdomains) the site may fetch from; default: the hosts of its URLs above.
# allowed_hosts = ["news.example.com", "img.example.com"]
# Force the pages' encoding; by default the header, <meta> and the bytes decide.
# encoding = "gb18030"
# At most this many distinct URLs requested per run; default NEWSRAKE_MAX_PAGES (5000).
max_pages = 1000
# Seconds between two requests to the site; left out, AutoThrottle adapts to the server.
download_delay = 1.0
# CSS selectors of blocks removed from the HTML before extraction.
drop_selectors = [".share-bar", ".related-articles"]
# Regexes of text lines removed after extraction.
drop_patterns = ['^Advertisement$', '^Read more:']
"""
