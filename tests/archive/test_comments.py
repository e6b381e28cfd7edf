"""Comments: versioned on their own, deleted only when the page's comment list is complete."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive import items as it
from archive.config import board_from_values
from archive.models import Comment, CommentVersion, PostVersion
from archive.revisit import RevisitPolicy
from archive.store import IngestCounts, ensure_board, ingest

T0 = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
BOARD = board_from_values("press", {"url": "http://127.0.0.1:1/bbs/board.php?bo_table=press"})


def c(cid: str, text: str, author: str = "방문자", secret: bool = False) -> it.Comment:
    return it.Comment(cid, author, T0 - timedelta(hours=1), text, secret)


def post(*comments: it.Comment, count: int | None = None) -> it.Post:
    return it.Post(
        post_id="54",
        url="u",
        title="제목",
        author="관리자",
        posted_at=T0 - timedelta(days=1),
        body_html="<p>본문</p>",
        body_text="본문",
        comment_count=len(comments) if count is None else count,
        comments=comments,
    )


def run(engine: Engine, item: it.Post, at: datetime) -> IngestCounts:
    with Session(engine) as s, s.begin():
        board_id = ensure_board(s, BOARD, at)
        return ingest(s, board_id, None, [item], at, RevisitPolicy())


def state(engine: Engine) -> dict[str, tuple[int, bool, list[str]]]:
    with Session(engine) as s:
        out = {}
        for row in s.scalars(select(Comment)):
            texts = s.scalars(
                select(CommentVersion.text)
                .where(CommentVersion.comment_id == row.id)
                .order_by(CommentVersion.number)
            ).all()
            out[row.source_id] = (row.current_version, row.deleted_at is not None, list(texts))
        return out


def test_comment_lifecycle_never_touches_post_versions(engine: Engine) -> None:
    counts = run(engine, post(c("55", "첫 댓글"), c("56", "둘째")), T0)
    assert (counts.new_comments, counts.new_versions) == (2, 1)
    assert run(engine, post(c("55", "첫 댓글"), c("56", "둘째")), T0 + timedelta(days=1)) == (
        IngestCounts(posts_seen=1, unchanged=1)
    )
    # 55 edited, 56 deleted, 57 added: three comment changes, no post version.
    counts = run(engine, post(c("55", "고친 댓글"), c("57", "셋째")), T0 + timedelta(days=2))
    assert (counts.edited_comments, counts.deleted_comments, counts.new_comments) == (1, 1, 1)
    assert counts.new_versions == 0
    assert state(engine) == {
        "55": (2, False, ["첫 댓글", "고친 댓글"]),
        "56": (1, True, ["둘째"]),
        "57": (1, False, ["셋째"]),
    }
    with Session(engine) as s:
        assert len(s.scalars(select(PostVersion)).all()) == 1
        v2 = s.scalars(select(CommentVersion).where(CommentVersion.number == 2)).one()
        assert v2.prev_seen_at == T0 + timedelta(days=1)
        assert v2.fetched_at == T0 + timedelta(days=2)


def test_an_incomplete_comment_list_deletes_nothing(engine: Engine) -> None:
    run(engine, post(c("55", "a"), c("56", "b")), T0)
    # The page says 2 comments but only one parsed (a changed skin, a partial page).
    counts = run(engine, post(c("55", "a"), count=2), T0 + timedelta(days=1))
    assert counts.deleted_comments == 0
    assert not any(deleted for _, deleted, _ in state(engine).values())


def test_secret_comment_text_is_not_a_change_but_the_flag_is(engine: Engine) -> None:
    run(engine, post(c("55", "비밀글입니다.", secret=True)), T0)
    hidden = run(engine, post(c("55", "(secret)", secret=True)), T0 + timedelta(days=1))
    assert hidden.edited_comments == 0
    opened = run(engine, post(c("55", "공개된 내용")), T0 + timedelta(days=2))
    assert opened.edited_comments == 1


def test_a_deleted_comment_that_returns_is_active_again(engine: Engine) -> None:
    run(engine, post(c("55", "a"), c("56", "b")), T0)
    run(engine, post(c("55", "a")), T0 + timedelta(days=1))
    run(engine, post(c("55", "a"), c("56", "b")), T0 + timedelta(days=2))
    assert state(engine)["56"] == (1, False, ["b"])


def test_same_post_other_board_keeps_comments_apart(engine: Engine) -> None:
    other = BOARD.model_copy(update={"name": "other"})
    run(engine, post(c("55", "a")), T0)
    with Session(engine) as s, s.begin():
        board_id = ensure_board(s, other, T0)
        ingest(s, board_id, None, [post(c("55", "다른 게시판"))], T0, RevisitPolicy())
    with Session(engine) as s:
        assert len(s.scalars(select(Comment)).all()) == 2
