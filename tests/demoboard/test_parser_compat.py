"""The project's GnuBoard 5 parsers read the demo board's pages back into what the board holds."""

from __future__ import annotations

import pytest

from archive.items import ListRow
from board_archive.demoboard import Board, DemoServer
from board_archive.demoboard.render import Skin
from crawler.pages import gnuboard5
from tests.demoboard.conftest import NOW, Client


@pytest.mark.parametrize("skin", ["basic", "legacy"])
def test_crawl_the_whole_board(board: Board, skin: Skin) -> None:
    today = NOW.date()
    with DemoServer(board, skin=skin) as srv:
        client = Client(keep_session=True)
        rows = []
        page = 1
        while True:
            url = srv.page_url(page)
            listing = gnuboard5.parse_list(client.get(url).text, url, today=today)
            rows.extend(listing.rows)
            if page >= (listing.last_page or 1):
                break
            page += 1
        assert listing.total == board.total and page == board.total_pages(15)
        seen: dict[str, object] = {}
        for row in rows:
            seen.setdefault(row.post_id, row)
        assert sorted(int(i) for i in seen) == board.live_ids()
        for post in board.posts():
            row = seen[str(post.wr_id)]
            assert isinstance(row, ListRow)
            assert row.notice == post.notice and row.secret == post.secret, post.wr_id
            assert row.comment_count == len(post.comments)
            assert row.has_attachment == bool(post.attachments)
            assert row.posted_on == post.posted_at.date()
            if len(post.title) <= 60:
                assert row.title == post.title
            url = srv.view_url(post.wr_id)
            resp = client.get(url)
            item = gnuboard5.parse_view(
                resp.text, url, status=resp.status, location=resp.header("Location")
            )
            if post.secret:
                assert isinstance(item, gnuboard5.SecretPost)
                continue
            assert isinstance(item, gnuboard5.Post), (post.wr_id, item)
            assert item.title == post.title
            assert item.author == post.author
            assert item.posted_at == post.posted_at.replace(second=0)
            assert [a.name for a in item.attachments] == [a.name for a in post.attachments]
            assert [c.comment_id for c in item.comments] == [
                str(c.comment_id) for c in post.comments
            ]
            assert [c.secret for c in item.comments] == [c.secret for c in post.comments]
            for parsed, comment in zip(item.comments, post.comments, strict=True):
                if not comment.secret:
                    assert parsed.text == comment.text
        deleted = next(p for p in board.posts(include_deleted=True) if p.deleted)
        url = srv.view_url(deleted.wr_id)
        assert isinstance(gnuboard5.parse_view(client.get(url).text, url), gnuboard5.PostNotFound)
        assert max(srv.target_counts.values()) == 1, "no page fetched twice"
