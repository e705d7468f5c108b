"""Boilerplate cleaners: HTML-level before extraction, text-level after."""
