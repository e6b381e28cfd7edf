"""The Scrapy project of Board Archive: spiders route, page objects parse, pipelines store."""

import scrapy.downloadermiddlewares.cookies as _cookies
from tldextract import TLDExtract

# Scrapy's cookie middleware asks tldextract for the public suffix list, which by default is
# downloaded from the internet on first use: an extra request to a third party from every new
# machine (and an error where there is no internet). Use the snapshot tldextract ships instead.
_cookies._split_domain = TLDExtract(suffix_list_urls=(), include_psl_private_domains=True)
