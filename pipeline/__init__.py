"""newsrake: spiders -> extract -> clean -> dedup -> store (SQLite)."""
