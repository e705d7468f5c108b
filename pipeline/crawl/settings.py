"""Scrapy settings for newsrake.

Loaded by ``scrapy crawl`` (through scrapy.cfg) and by the ``newsrake`` CLI
(directly, so it works from any working directory). Every NEWSRAKE_* setting
can be overridden with ``-s NAME=value``. The middlewares replace Scrapy's own
at the same positions (see pipeline/crawl/middlewares.py).
"""

BOT_NAME = "newsrake"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

USER_AGENT = "newsrake/0.1 (+https://example.invalid/newsrake; nightly news archive)"

# Politeness: robots.txt, per-host throttling, bounded concurrency.
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_DELAY = 0

# Faults: retries for 5xx and timeouts; bounded time and size per response.
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = 30
# Scrapy's default RETRY_EXCEPTIONS without DownloadTimeoutError: a server that accepts and never
# answers (or drips bytes) then costs one DOWNLOAD_TIMEOUT for robots.txt plus one for the page,
# not three of each; tomorrow's run tries the page again anyway.
RETRY_EXCEPTIONS = [
    "scrapy.exceptions.CannotResolveHostError",
    "scrapy.exceptions.DownloadConnectionRefusedError",
    "scrapy.exceptions.DownloadFailedError",
    "scrapy.exceptions.ResponseDataLossError",
    "twisted.internet.error.ConnectionDone",
    "twisted.internet.error.ConnectError",
    "twisted.internet.error.ConnectionLost",
    OSError,
    "scrapy.core.downloader.handlers.http11.TunnelError",
]
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"  # scrapy crawl news -O items.jsonl keeps Chinese readable

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "pipeline.crawl.middlewares.SiteOffsiteMiddleware": 50,
    "pipeline.crawl.middlewares.SeenArticlesMiddleware": 55,
    "pipeline.crawl.middlewares.SiteBudgetMiddleware": 60,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "pipeline.crawl.middlewares.SiteRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "pipeline.crawl.middlewares.CountedRedirectMiddleware": 600,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "pipeline.crawl.middlewares.SizeCappedCompressionMiddleware": 590,
}

ITEM_PIPELINES = {
    "pipeline.crawl.pipelines.ExtractPipeline": 300,
    "pipeline.crawl.pipelines.StorePipeline": 800,
}

EXTENSIONS = {
    "scrapy.extensions.logstats.LogStats": None,
    "pipeline.crawl.progress.ProgressLogStats": 0,
}

# newsrake's own settings
NEWSRAKE_DB = "data/news.db"  # relative to the working directory
NEWSRAKE_CONFIG = None  # the site config file (the CLI's CONFIG argument, or scrapy crawl news -a config=)
NEWSRAKE_SITES = None  # its validated sites (set from NEWSRAKE_CONFIG by the runner or the spider)
NEWSRAKE_BATCH_SIZE = 50  # items per committed transaction
NEWSRAKE_RECHECK_DAYS = 2  # re-fetch articles published this recently (corrections)
NEWSRAKE_NEAR_THRESHOLD = 0.8  # estimated Jaccard for near duplicates
NEWSRAKE_EXTRACT_TIMEOUT = 10.0  # seconds of extraction per page before it is skipped
NEWSRAKE_EXTRACT_WORKERS = -1  # extraction processes; -1: one per core but one (1..4); 0: in the crawl process
NEWSRAKE_PROGRESS_INTERVAL = 10.0  # seconds between progress lines; 0 = off
NEWSRAKE_TRACKING_PARAMS = [
    "utm_*", "spm", "from", "share_type", "share_from", "share_source", "sharetype",
    "shareuid", "isappinstalled", "scene", "clicktime", "fbclid", "gclid", "igshid",
    "mc_cid", "mc_eid", "ref", "ref_src", "_hsenc", "_hsmi", "yclid", "wt_mc", "track",
]
