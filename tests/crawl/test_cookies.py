"""The crawl's cookie middleware (crawler/middlewares.py ``SnapshotCookies``) judges cookie
domains on the public suffix list tldextract ships: no request for the list is made, on a
machine that has never fetched it, and public-suffix cookies are still refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from scrapy.settings import default_settings

from board_archive.crawl_process import crawl_settings
from crawler.middlewares import SUFFIXES, SnapshotCookies

STOCK = "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"
OURS = "crawler.middlewares.SnapshotCookies"

# One response's cookies through the middleware named in argv[1], with every HTTP request
# tldextract's ``requests`` session makes recorded and refused.
SET_AND_SEND = """
import json, sys
import requests
from scrapy.http import Request, Response
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

fetched = []
def refuse(session, method, url, *args, **kwargs):
    fetched.append(url)
    raise requests.exceptions.ConnectionError(url)
requests.Session.request = refuse

mw = load_object(sys.argv[1]).from_crawler(get_crawler())
first = Request("https://www.example.co.kr/bbs/board.php?bo_table=notice")
mw.process_request(first)
set_cookie = ["site=1; Domain=co.kr; Path=/", "board=2; Domain=example.co.kr; Path=/"]
mw.process_response(first, Response(first.url, headers={"Set-Cookie": set_cookie}))
again = Request("https://www.example.co.kr/bbs/board.php?bo_table=notice&wr_id=1")
mw.process_request(again)
print(json.dumps({"cookie": again.headers.get("Cookie", b"").decode(), "fetched": fetched}))
"""


def set_and_send(middleware: str, cache: Path) -> tuple[str, list[str]]:
    """The Cookie header sent after one response, and the URLs tldextract tried to fetch (with
    an empty tldextract cache: a machine that has never fetched the list)."""
    env = {**os.environ, "TLDEXTRACT_CACHE": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", SET_AND_SEND, middleware],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    return out["cookie"], out["fetched"]


def test_the_crawl_uses_snapshot_cookies_in_place_of_scrapys() -> None:
    settings = crawl_settings([])
    assert settings.getbool("COOKIES_ENABLED")
    middlewares = settings.getwithbase("DOWNLOADER_MIDDLEWARES")
    assert middlewares[STOCK] is None
    assert middlewares[OURS] == default_settings.DOWNLOADER_MIDDLEWARES_BASE[STOCK]
    assert SUFFIXES.suffix_list_urls == ()
    assert SnapshotCookies.split_domain is SUFFIXES


def test_no_request_for_the_public_suffix_list(tmp_path: Path) -> None:
    cookie, fetched = set_and_send(OURS, tmp_path / "ours")
    assert cookie == "board=2"  # "site" (Domain=co.kr, a public suffix) is refused
    assert fetched == []
    # the check sees a fetch: Scrapy's own middleware, on a fresh machine, asks for the list
    cookie, fetched = set_and_send(STOCK, tmp_path / "stock")
    assert cookie == "board=2"
    assert fetched and all("publicsuffix" in url for url in fetched), fetched
