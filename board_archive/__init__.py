"""Board Archive's orchestration: the only package that imports both sides.

``crawler`` (the Scrapy project) writes into ``archive`` (the model of the archive); this
package runs them: the command line (``board-archive``), the crawl runner (a crawl process per
run, started through Scrapy's API), the scheduler, notifications and the demo. Neither
``archive`` nor ``crawler`` imports it.
"""
