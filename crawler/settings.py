"""Scrapy settings for Board Archive.

Per-board politeness (delay, concurrency) and the User-Agent's contact URL come from the board
configuration (``boards.toml``) and are applied by the spider's ``from_crawler``; these are the
defaults every crawl starts from.
"""

import os

BOT_NAME = "board_archive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness: robots.txt, a throttle per site, a User-Agent that says who we are.
ROBOTSTXT_OBEY = True
USER_AGENT = "BoardArchive/0.1 (+https://github.com/board-archive/board-archive)"
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 1.0
# a board's delay is the least time between two requests to its site: Scrapy's default
# jitter (±50%) would let two requests come half a delay apart (bench/fleet_workers.py saw it)
DOWNLOAD_DELAY_JITTER = 0.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_TIMEOUT = 30
# board_archive.crawl_host: seconds a stop may take before the process closes its runs itself
CRAWL_HOST_STOP_WITHIN = 0  # 0: twice DOWNLOAD_TIMEOUT and a minute
RETRY_ENABLED = True
RETRY_TIMES = 2
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
COOKIES_ENABLED = True  # GnuBoard downloads need the session that opened the post
TELNETCONSOLE_ENABLED = False  # no console, no code-running server, on an
REMOTE_CONTROL_ENABLED = False  # unattended crawler (Scrapy 2.19 starts one by default)
LOG_LEVEL = "INFO"

# crawler/extensions.py: the run's record, the board's lock and the plan (RunLedger, after
# Scrapy's own extensions, so the stats it stores are complete); crawler/pipelines.py: the items
# into the archive, under the ledger's run.
# the run's record (crawler/extensions.py); the progress file when PROGRESS_FILE is set
EXTENSIONS = {
    "crawler.extensions.RunLedger": 500,
    "crawler.progress.ProgressFile": 600,
    "crawler.warc.WarcRecorder": 700,  # every fetch as WARC records (DATA_DIR/warc/BOARD)
    "crawler.site_gap.SiteGap": 800,  # the delay counted from each answer's arrival
}
ITEM_PIPELINES = {"crawler.pipelines.ArchivePipeline": 300}

# crawler/middlewares.py: no request off the board's host by redirect, nor to private or
# loopback addresses (HostGuard, before robots.txt); retries wait (backoff, Retry-After).
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.HostGuard": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.PoliteRetry": 550,
    # the public suffix list tldextract ships, not one fetched from the internet
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
    "crawler.middlewares.SnapshotCookies": 700,
}
HOSTGUARD_ENABLED = True
# host names are checked on the address they resolve to, as the connection is made
TWISTED_DNS_RESOLVER = "crawler.resolver.HostGuardResolver"
# "host" or "host:port" let through anyway (space-separated in $BOARD_ARCHIVE_ALLOWED_HOSTS)
HOSTGUARD_ALLOWED_HOSTS = os.environ.get("BOARD_ARCHIVE_ALLOWED_HOSTS", "").split()
RETRY_BACKOFF_BASE = 1.0  # seconds before the first retry, doubled for each next one
RETRY_BACKOFF_MAX = 60.0
RETRY_AFTER_MAX = 300.0  # a longer Retry-After is not waited for this run

# The archive (prefix ARCHIVE_): read by the RunLedger and the ArchivePipeline.
ARCHIVE_ENABLED = True  # False: no archive (neither the ledger nor the pipeline)
ARCHIVE_DATABASE_URL = None  # None: from the configuration ($DATABASE_URL, boards.toml, ./var/)
ARCHIVE_CLOCK = None  # None: the system clock; else an archive.clock.Clock (the crawl process's)
# ArchivePipeline: writes in batches, in one transaction each, off the reactor.
ARCHIVE_BATCH_SIZE = 100  # outcomes per transaction
ARCHIVE_FLUSH_SECONDS = 5.0  # a partial batch is written at least this often
# RunLedger (prefix RUNLEDGER_)
RUNLEDGER_ENABLED = True  # False: no run record, no lock, no plan, hence no archive
RUNLEDGER_HEARTBEAT_SECONDS = 60.0  # how often the board lock's heartbeat is renewed
RUNLEDGER_DB_CONNECTIONS = 10  # the most a crawl process's boards hold together (one engine)

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
