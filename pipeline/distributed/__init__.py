"""The distributed crawl: many fetch-and-extract workers, one SQLite writer, Redis between them.

``newsrake crawl CONFIG --db PATH --redis URL`` is the coordinator (:mod:`.coordinator`): it claims the run
in Redis (:mod:`.fleet`), runs the one writer (:mod:`.writer`: the local crawl's StorePipeline fed from a
Redis Stream, acknowledging entries only after the commit that stored them) and ends the run when the
frontier is empty and no worker holds a lease. ``newsrake worker CONFIG --redis URL`` (:mod:`.worker`)
runs the news spider on scrapy-redis's queue and dupefilter under per-worker leases (:mod:`.frontier`),
with a fleet-wide per-site delay (:mod:`.politeness`), and hands cleaned articles to the stream.
"""
