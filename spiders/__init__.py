"""Scrapy spiders. One generic spider, driven by the site config."""
