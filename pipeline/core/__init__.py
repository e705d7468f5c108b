"""The basics every stage shares: the site config, URL rules, the item types
passed between stages, the error kinds and the crawl counters.

Imports nothing from the other ``pipeline`` packages. See docs/architecture.md.
"""
