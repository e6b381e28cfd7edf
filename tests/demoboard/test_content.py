"""The content model and the generator: ids, ordering, list arithmetic, mutations, determinism."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from board_archive.demoboard import (
    Attachment,
    Board,
    NoSuchComment,
    NoSuchPost,
    SettableClock,
    generate_board,
)
from tests.demoboard.conftest import NOW


def test_generated_board_shape(board: Board) -> None:
    posts = board.posts()
    assert board.total == len(posts) == 119  # 120 written, one deleted again
    assert [p.wr_id for p in posts] == sorted(p.wr_id for p in posts)
    times = [p.posted_at for p in posts]
    assert times == sorted(times), "wr_id ascends with time"
    assert all(t.tzinfo is not None and t <= NOW for t in times)
    assert len(board.notice_ids()) == 2
    assert any(p.secret for p in posts)
    assert any(p.attachments for p in posts)
    assert any(p.comments for p in posts)
    deleted = [p for p in board.posts(include_deleted=True) if p.deleted]
    assert deleted and all(board.live(p.wr_id) is None for p in deleted)
    # comments draw from the posts' id sequence: ids are unique across both and leave gaps
    comment_ids = [c.comment_id for p in board.posts(include_deleted=True) for c in p.comments]
    all_ids = [p.wr_id for p in board.posts(include_deleted=True)] + comment_ids
    assert len(set(all_ids)) == len(all_ids) == board.next_id - 1
    for p in posts:
        for c in p.comments:
            assert c.posted_at > p.posted_at and c.comment_id > p.wr_id
    # the newest posts are from "today", like the samples' HH:MM rows
    assert posts[-1].posted_at.date() == NOW.date()
    assert "<table" in "".join(p.body_html for p in posts)


def test_seed_is_deterministic(clock: SettableClock) -> None:
    a = generate_board(200, seed=7, clock=clock)
    b = generate_board(200, seed=7, clock=clock)
    c = generate_board(200, seed=8, clock=clock)
    assert a.posts(include_deleted=True) == b.posts(include_deleted=True)
    assert a.notice_ids() == b.notice_ids()
    assert [p.title for p in a.posts()] != [p.title for p in c.posts()]


def test_list_page_arithmetic_matches_gnuboard(board: Board) -> None:
    """Sample board: Total 119, two notices, 15 rows: page 1 = 2 notices + 13 rows numbered
    from 117, page 2 starts at 104, 8 pages, page 9 is empty."""
    p1 = board.list_page(1, 15)
    assert (p1.total, p1.total_pages) == (119, 8)
    assert [p.wr_id for p in p1.notices] == board.notice_ids()
    assert len(p1.rows) == 13 and p1.first_number == 117
    assert not any(p.notice for p in p1.rows)
    p2 = board.list_page(2, 15)
    assert p2.notices == () and len(p2.rows) == 15 and p2.first_number == 104
    assert p2.rows[0].wr_id < p1.rows[-1].wr_id
    regular = [p.wr_id for p in reversed(board.posts()) if not p.notice]
    shown = [p.wr_id for page in range(1, 9) for p in board.list_page(page, 15).rows]
    assert shown == regular, "every regular post exactly once, newest first"
    assert board.list_page(9, 15).rows == ()


def test_edit_keeps_date_and_position(board: Board) -> None:
    post = board.list_page(1).rows[5]
    board.edit_post(post.wr_id, title="[수정] 정정 보도", body_html="<p>고침</p>")
    edited = board.live(post.wr_id)
    assert edited is not None
    assert (edited.title, edited.body_html) == ("[수정] 정정 보도", "<p>고침</p>")
    assert edited.posted_at == post.posted_at
    assert board.list_page(1).rows[5].wr_id == post.wr_id


def test_add_delete_restore(board: Board, clock: SettableClock) -> None:
    before = board.total
    old_time = NOW - timedelta(days=400)
    wr_id = board.add_post("새 글", "<p>본문</p>", posted_at=old_time)
    assert wr_id == board.next_id - 1
    assert board.list_page(1).rows[0].wr_id == wr_id, "new posts go on top whatever their date"
    assert board.total == before + 1
    board.delete_post(wr_id)
    assert board.live(wr_id) is None and board.total == before
    with pytest.raises(NoSuchPost):
        board.edit_post(wr_id, title="x")
    board.restore_post(wr_id)
    assert board.live(wr_id) is not None and board.total == before + 1
    clock.advance(minutes=5)
    assert board.add_post("다음 글") == wr_id + 1, "ids are never reused"


def test_notice_and_secret_flags(board: Board) -> None:
    target = board.list_page(2).rows[0].wr_id
    board.set_notice(target)
    assert board.notice_ids()[0] == target
    assert target not in [p.wr_id for p in board.list_page(2).rows]
    assert board.list_page(1).notices[0].wr_id == target
    board.set_notice(target, False)
    assert target not in board.notice_ids()
    board.set_secret(target)
    post = board.live(target)
    assert post is not None and post.secret


def test_neighbours_include_notices(board: Board) -> None:
    notice = board.notice_ids()[0]
    ids = board.live_ids()
    i = ids.index(notice)
    newer, older = board.neighbours(notice)
    assert newer is not None and newer.wr_id == ids[i + 1]
    assert older is not None and older.wr_id == ids[i - 1]
    assert board.neighbours(ids[-1])[0] is None
    assert board.neighbours(ids[0])[1] is None


def test_comments(board: Board) -> None:
    wr_id = board.list_page(1).rows[0].wr_id
    cid = board.add_comment(wr_id, "첫 댓글", author="김민수")
    assert cid == board.next_id - 1
    found = board.comment(cid)
    assert found is not None and found[0].wr_id == wr_id and found[1].text == "첫 댓글"
    board.edit_comment(cid, "고친 댓글", secret=True)
    found = board.comment(cid)
    assert found is not None and (found[1].text, found[1].secret) == ("고친 댓글", True)
    board.delete_comment(cid)
    assert board.comment(cid) is None
    with pytest.raises(NoSuchComment):
        board.delete_comment(cid)
    with pytest.raises(NoSuchPost):
        board.add_comment(999_999, "x")


def test_attachments_and_counters(board: Board) -> None:
    wr_id = board.list_page(1).rows[0].wr_id
    no = board.add_attachment(wr_id, "자료.pdf", b"%PDF-1.4 hello")
    post = board.live(wr_id)
    assert post is not None
    file = post.attachment(no)
    assert file is not None and file.data() == b"%PDF-1.4 hello" and file.nbytes == 14
    board.count_download(wr_id, no)
    board.replace_attachment(wr_id, no, content=b"new bytes", name="자료2.pdf")
    post = board.live(wr_id)
    assert post is not None
    file = post.attachment(no)
    assert file is not None
    assert (file.name, file.data(), file.downloads) == ("자료2.pdf", b"new bytes", 0)
    board.remove_attachment(wr_id, no)
    post = board.live(wr_id)
    assert post is not None and post.attachment(no) is None
    views = post.views
    assert board.bump_views(wr_id) == views + 1


def test_generated_attachment_bytes_are_lazy_and_stable(board: Board) -> None:
    post = next(p for p in board.posts() if p.attachments)
    file = post.attachments[0]
    assert file.content == b"" and file.size > 0
    assert len(file.data()) == file.nbytes == file.size and file.data() == file.data()


def test_add_post_with_attachments(board: Board) -> None:
    wr_id = board.add_post(
        "첨부 글", attachments=[Attachment("a.pdf", b"A"), Attachment("b.hwp", b"BB")]
    )
    post = board.live(wr_id)
    assert post is not None
    assert [(a.no, a.name, a.uploaded_at) for a in post.attachments] == [
        (0, "a.pdf", post.posted_at),
        (1, "b.hwp", post.posted_at),
    ]


def test_mutations_are_thread_safe(clock: SettableClock) -> None:
    board = Board(clock=clock)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for i in range(200):
                wr_id = board.add_post(f"글 {i}")
                board.add_comment(wr_id, "댓글")
                board.bump_views(wr_id)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert board.total == 800 and board.next_id == 1601
    assert board.live_ids() == sorted(board.live_ids())


def test_ten_thousand_posts(clock: SettableClock) -> None:
    board = generate_board(10_000, seed=3, clock=clock)
    assert 9_500 < board.total < 10_000
    pages = board.total_pages(15)
    assert len(board.list_page(pages, 15).rows) > 0
    assert board.list_page(pages + 1, 15).rows == ()
    assert board.posts()[0].posted_at > NOW - timedelta(days=3 * 366)
