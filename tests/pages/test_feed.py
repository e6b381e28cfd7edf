"""The board's RSS feed as a source of posted times (``crawler.pages.g5.feed``): the feed the
engine writes (the demo board's ``rss.php``, double-escaped links and all), the RFC 2822 dates
some sites print, and the refusal of a board with the feed off."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from board_archive.demoboard import generate_board
from board_archive.demoboard.rss import render_rss
from crawler.pages.g5.feed import FeedUnavailable, feed_url, read_feed

BASE = "http://127.0.0.1:8056"
FEED = f"{BASE}/bbs/rss.php?bo_table=press"


@pytest.mark.parametrize(
    ("list_url", "expected"),
    [
        (f"{BASE}/bbs/board.php?bo_table=press&page=2", FEED),
        (f"{BASE}/g5/bbs/board.php?bo_table=press", f"{BASE}/g5/bbs/rss.php?bo_table=press"),
        (f"{BASE}/press", FEED),  # a short URL
        (f"{BASE}/g5/press", f"{BASE}/g5/bbs/rss.php?bo_table=press"),
        (f"{BASE}/index.php", None),  # no board named
    ],
)
def test_the_feed_of_a_board(list_url: str, expected: str | None) -> None:
    assert feed_url(list_url) == expected


def test_the_engine_feed_gives_the_newest_posts_to_the_minute() -> None:
    board = generate_board(30, seed=4)
    times = read_feed(render_rss(board, BASE).encode("utf-8"), FEED, "press")
    public = [p for p in reversed(board.posts()) if not p.secret][:15]
    assert set(times) == {str(p.wr_id) for p in public}
    for post in public:
        assert times[str(post.wr_id)] == post.posted_at.astimezone(UTC).replace(second=0)


def test_rfc_2822_dates_and_other_boards_items() -> None:
    feed = b"""<?xml version="1.0" encoding="utf-8" ?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<item><link>http://x/bbs/board.php?bo_table=press&amp;wr_id=7</link>
<dc:date>Sat, 05 Dec 2026 13:56:41 +0900</dc:date></item>
<item><link>http://x/bbs/board.php?bo_table=other&amp;wr_id=8</link>
<dc:date>Sat, 05 Dec 2026 13:57:00 +0900</dc:date></item>
<item><link>http://x/bbs/board.php?bo_table=press&amp;wr_id=9</link>
<dc:date>2026-12-05 13:58:00</dc:date></item>
</channel></rss>"""
    # wr_id 8 is another board's; wr_id 9 has no offset: not known to the minute
    assert read_feed(feed, FEED, "press") == {"7": datetime(2026, 12, 5, 4, 56, tzinfo=UTC)}


@pytest.mark.parametrize(
    "body",
    [
        "RSS 보기가 금지되어 있습니다.".encode(),  # bo_use_rss_view off
        "<html><body><script>alert('글을 읽을 권한이 없습니다.');</script></body></html>".encode(),
        b"",
    ],
)
def test_a_board_without_a_feed(body: bytes) -> None:
    with pytest.raises(FeedUnavailable):
        read_feed(body, FEED, "press")
