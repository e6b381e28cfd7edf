"""A GnuBoard board's RSS feed (``bbs/rss.php?bo_table=x``): the posted time of its newest posts.

Where a board enables it (``bo_use_rss_view``, off by default) and guests may read, the engine
writes the newest ``bo_page_rows`` posts (secret ones left out) with ``<dc:date>``: the full
``wr_datetime``, in ISO 8601 with its offset (``2026-12-05T13:56:00+09:00``, 5.x) or RFC 2822
(``Sat, 05 Dec 2026 13:56:00 +0900``, sites that changed it). Item links are
``board.php?bo_table=x&wr_id=N``, often escaped twice (``&amp;amp;wr_id``) because the engine
escapes a URL it has escaped already. A board with the feed off answers a one-line message in
HTML, not XML: that is ``FeedUnavailable``, never an error of the run.

``feed_url(list_url)`` names the feed of a board; ``read_feed(body, url, bo_table)`` returns
``{wr_id: posted moment (aware, UTC)}``, to the minute as the skins show it (a time read from a
list row and one from the feed are then the same, and a post is not "edited" by a change of
source). Pure: no I/O.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit, urlunsplit

from lxml import etree

from crawler.pages.g5 import links

_DC = "{http://purl.org/dc/elements/1.1/}date"


class FeedUnavailable(Exception):
    """The board answers no feed (turned off, members only, or not a feed at all)."""


def feed_url(list_url: str) -> str | None:
    """The feed of the board a list URL names (``…/bbs/board.php?bo_table=x`` or a short URL
    ``…/x``), or None when it names no board."""
    table = links.board_table(list_url)
    if table is None:
        return None
    parts = urlsplit(list_url)
    path = parts.path
    if "/bbs/" in path:
        root = path[: path.rindex("/bbs/")]
    else:  # a short URL: the install's root is what comes before the board's segment
        segments = [s for s in path.split("/") if s]
        cut = segments.index(table) if table in segments else len(segments)
        root = "/" + "/".join(segments[:cut]) if cut else ""
    return urlunsplit((parts.scheme, parts.netloc, f"{root}/bbs/rss.php", f"bo_table={table}", ""))


def read_feed(body: bytes, url: str, bo_table: str) -> dict[str, datetime]:
    """The posted moment of each item of the feed ``body`` (fetched from ``url``) that links
    to a post of ``bo_table``. Raises ``FeedUnavailable`` when the body is no RSS feed."""
    try:
        root = etree.fromstring(body, etree.XMLParser(recover=False, resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        text = " ".join(body[:200].decode("utf-8", "replace").split())
        raise FeedUnavailable(f"{url}: not a feed ({text or exc})") from exc
    if root.tag != "rss":
        raise FeedUnavailable(f"{url}: not an RSS feed (<{root.tag}>)")
    times: dict[str, datetime] = {}
    for item in root.iter("item"):
        link = html.unescape(html.unescape(item.findtext("link") or "")).strip()
        post_id = links.post_id(link, bo_table)
        moment = _moment(item.findtext(_DC) or item.findtext("pubDate"))
        if post_id is not None and moment is not None:
            times[post_id] = moment
    return times


def _moment(text: str | None) -> datetime | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:  # a moment without its offset is not known to the minute
        return None
    return moment.astimezone(UTC).replace(second=0, microsecond=0)
