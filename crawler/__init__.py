"""The Scrapy project of Board Archive: spiders route, page objects parse, pipelines store.

Importing it imports nothing from Scrapy: the page objects (``crawler.pages``) are plain Python.
"""
