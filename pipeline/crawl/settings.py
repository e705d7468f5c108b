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
# A callback's output is processed by this many tasks (Scrapy's default 100 costs ~10 ms of the event loop
# per response or dropped request, even for none); a response yields at most one item, so 1 loses nothing.
CONCURRENT_ITEMS = 1
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
# Bounded runs: a trap (endless pagination, a calendar, sitemap indexes of indexes) ends by itself.
CLOSESPIDER_TIMEOUT = 6 * 3600  # seconds a whole run may take; then it closes as completed (0 = no limit)
URLLENGTH_LIMIT = 2083  # Scrapy's default: longer links are counted as bad_links before any site regex sees them
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
# A dropped page is one log line, its reason (the item is not printed after it); see pipeline/crawl/logs.py.
LOG_FORMATTER = "pipeline.crawl.logformatter.OneLineLogFormatter"
FEED_EXPORT_ENCODING = "utf-8"  # scrapy crawl news -O items.jsonl keeps Chinese readable

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "pipeline.crawl.middlewares.SiteOffsiteMiddleware": 50,
    "pipeline.crawl.session_params.SessionParamsMiddleware": 52,  # requests scheduled before a parameter was found
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "pipeline.crawl.middlewares.SiteRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "pipeline.crawl.middlewares.CountedRedirectMiddleware": 600,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "pipeline.crawl.middlewares.SizeCappedCompressionMiddleware": 590,
}

# Links are dropped where the spider yields them (a drop in the downloader costs ~2 ms through the engine).
# The spider's output passes these from the highest number down, after Scrapy's URL-length and depth checks.
SPIDER_MIDDLEWARES = {
    "pipeline.crawl.session_params.SessionParamsMiddleware": 44,  # first: the next two see the URL without them
    "pipeline.crawl.middlewares.SeenArticlesMiddleware": 43,  # known articles never reach the budget
    "pipeline.crawl.middlewares.SiteBudgetMiddleware": 42,
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
NEWSRAKE_EXTRACT_TIMEOUT = 10.0  # CPU seconds of extraction per page before it is skipped
NEWSRAKE_EXTRACT_WORKERS = -1  # extraction processes; -1: one per core (1..4); 0: in the crawl process
NEWSRAKE_SITE_EXTRACT_BUDGET = 300.0  # CPU seconds of extraction per site per run; then its pages are dropped (0 = off)
NEWSRAKE_ROBOTSTXT_MAXSIZE = 512 * 1024  # bytes of a robots.txt read and parsed, the rest ignored (RFC 9309: >= 500 KiB)
NEWSRAKE_PROGRESS_INTERVAL = 10.0  # seconds between progress lines; 0 = off
NEWSRAKE_MAX_PAGES = 5000  # distinct URLs per site per run when the site sets no max_pages (0 = no default cap)
NEWSRAKE_MAX_LINKS_PER_PAGE = 5000  # links read from one list page (the rest counted as links_over_cap)
NEWSRAKE_MAX_URLS_PER_FEED = 50000  # URLs taken from one feed, sitemap or robots.txt (the sitemap protocol's maximum)
NEWSRAKE_FOLLOW_DEPTH = 20  # follow_pattern steps from a start URL (the last page's articles are fetched; 0 = no limit)
# List pages are no longer followed once a site's last NEWSRAKE_THIN_LIST_WINDOW list pages brought, on
# average, fewer than NEWSRAKE_THIN_LIST_LINKS article links each not seen before in the run (a calendar,
# pagination past the end); counted as thin_lists. 0 for either turns it off.
NEWSRAKE_THIN_LIST_WINDOW = 20
NEWSRAKE_THIN_LIST_LINKS = 2.0
NEWSRAKE_LIST_YIELD = "pipeline.crawl.list_yield.ListYield"  # the record the rule keeps (a distributed worker's is fleet-wide)
NEWSRAKE_SITEMAP_DEPTH = 2  # sitemap index levels followed (the protocol has 1: indexes do not nest; 0 = no limit)
NEWSRAKE_TRACKING_PARAMS = [
    "utm_*", "spm", "from", "share_type", "share_from", "share_source", "sharetype",
    "shareuid", "isappinstalled", "scene", "clicktime", "fbclid", "gclid", "igshid",
    "mc_cid", "mc_eid", "ref", "ref_src", "_hsenc", "_hsmi", "yclid", "wt_mc", "track",
]

# Site health (pipeline/store/health.py): after each crawl, each site's figures are compared with the median of
# its own last completed crawls; a flag makes `newsrake crawl` exit 3 (--ok-on-flags: 0).
NEWSRAKE_HEALTH_WINDOW = 14  # completed crawl runs of a site its figures are compared with
NEWSRAKE_HEALTH_MIN_HISTORY = 3  # runs a figure needs in the window before it is compared (down, no_links need none)
NEWSRAKE_HEALTH_DROP = 0.3  # yield_drop: new links came, but articles stored fell below this share of the usual
NEWSRAKE_HEALTH_MIN_ARTICLES = 5  # yield_drop needs a usual of this many stored; the text figures this many in the run
NEWSRAKE_HEALTH_TEXT_RATIO = 0.5  # text_collapse: median text length below this share of the usual (or above 1/it)
NEWSRAKE_HEALTH_REMOVED_SHIFT = 0.25  # text_collapse: share of the text removed by cleaners moved more than this
NEWSRAKE_HEALTH_COVERAGE_DROP = 0.3  # dates_lost / authors_lost: share of articles with a date / author fell more
NEWSRAKE_HEALTH_ERRORS_FACTOR = 3.0  # errors_spike: errors at least this many times the usual ...
NEWSRAKE_HEALTH_ERRORS_MIN = 5  # ... and at least this many more than the usual

# The distributed crawl (newsrake crawl --redis, newsrake worker; pipeline/distributed/).
NEWSRAKE_FLEET_LEASE = 15.0  # seconds a worker's heartbeat (and the coordinator's claim) lives unrenewed; then its leased requests go back to the frontier
NEWSRAKE_FLEET_GRACE = 3.0  # seconds the frontier, the leases and the stream must stay empty before the run ends
NEWSRAKE_REDIS_LOST_TIMEOUT = 30.0  # seconds without Redis before the coordinator fails the run (exit 4) and a worker stops
