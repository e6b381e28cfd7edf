"""Ingest rules on the real databases: new posts, versions only on content change, observations,
deletions only on the board's not-found, restores, secret posts."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from archive import items as it
from archive.config import board_from_values
from archive.contents import raw_page
from archive.models import Observation, Post, PostState, PostVersion
from archive.revisit import RevisitPolicy
from archive.store import IngestCounts, ensure_board, ingest

T0 = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
BOARD = board_from_values("press", {"url": "http://127.0.0.1:1/bbs/board.php?bo_table=press"})


def make_post(post_id: str = "130", **changes: object) -> it.Post:
    post = it.Post(
        post_id=post_id,
        url=f"http://127.0.0.1:1/bbs/board.php?bo_table=press&wr_id={post_id}",
        title="하늘항공, 개인정보 처리방침 개정 (종합)",
        author="관리자",
        posted_at=datetime(2026, 11, 17, 14, 14, tzinfo=UTC),
        body_html="<p>행사는 서울 코엑스에서 사흘간 진행된다.</p>",
        body_text="행사는 서울 코엑스에서 사흘간 진행된다.",
        views=1,
        comment_count=0,
        attachments=(it.Attachment("자료.pdf", "1.2M", "http://x/download.php?nonce=a", 3),),
        raw_page=b"<html>raw</html>",
        raw_encoding="utf-8",
    )
    return dataclasses.replace(post, **changes)  # type: ignore[arg-type]


def run(engine: Engine, outcomes: list[it.ViewOutcome], at: datetime = T0) -> IngestCounts:
    with Session(engine) as s, s.begin():
        board_id = ensure_board(s, BOARD, at)
        return ingest(s, board_id, None, outcomes, at, RevisitPolicy())


def versions(engine: Engine, post_id: str = "130") -> list[PostVersion]:
    with Session(engine) as s:
        return list(
            s.scalars(
                select(PostVersion)
                .join(Post, Post.id == PostVersion.post_id)
                .where(Post.source_id == post_id)
                .order_by(PostVersion.number)
            )
        )


def post_row(engine: Engine, post_id: str = "130") -> Post:
    with Session(engine) as s:
        return s.scalars(select(Post).where(Post.source_id == post_id)).one()


def test_first_sight_creates_post_and_version_one(engine: Engine) -> None:
    counts = run(engine, [make_post()])
    assert (counts.new_posts, counts.new_versions, counts.posts_seen) == (1, 1, 1)
    [v] = versions(engine)
    assert v.number == 1
    assert v.title == "하늘항공, 개인정보 처리방침 개정 (종합)"
    assert v.posted_at == datetime(2026, 11, 17, 14, 14, tzinfo=UTC)
    assert v.attachments == [["자료.pdf", "1.2M", None]]  # (name, size, upload time) as shown
    assert raw_page(v) == b"<html>raw</html>"
    assert "title" in v.changed_fields and "body_text" in v.changed_fields
    p = post_row(engine)
    assert (p.state, p.current_version, p.first_seen_at) == (PostState.ACTIVE, 1, T0)


def test_same_content_twice_adds_no_version_only_an_observation(engine: Engine) -> None:
    run(engine, [make_post()])
    later = T0 + timedelta(days=1)
    # Volatile things change: views, comments, the download nonce and counter, the raw page.
    counts = run(
        engine,
        [
            make_post(
                views=99,
                comment_count=2,
                attachments=(it.Attachment("자료.pdf", "1.2M", "http://x/?nonce=b", 40),),
                raw_page=b"<html>other ads</html>",
                body_html="<p>행사는 서울 코엑스에서 사흘간 진행된다.</p>\n",
            )
        ],
        later,
    )
    assert (counts.new_posts, counts.new_versions, counts.unchanged) == (0, 0, 1)
    assert len(versions(engine)) == 1
    with Session(engine) as s:
        obs = s.scalars(select(Observation).order_by(Observation.observed_at)).all()
        assert [(o.views, o.comment_count) for o in obs] == [(1, 0), (99, 2)]
    assert post_row(engine).last_seen_at == later


def test_edit_creates_next_version_naming_changed_fields(engine: Engine) -> None:
    run(engine, [make_post()])
    edited = make_post(
        title="하늘항공, 개인정보 처리방침 개정 (2보)",
        body_html="<p>행사는 부산 벡스코에서 사흘간 진행된다.</p>",
        body_text="행사는 부산 벡스코에서 사흘간 진행된다.",
    )
    counts = run(engine, [edited], T0 + timedelta(days=1))
    assert counts.new_versions == 1
    v1, v2 = versions(engine)
    assert v2.number == 2
    assert v2.changed_fields == ["title", "body_text", "body_html"]
    assert v1.title.endswith("(종합)") and v2.title.endswith("(2보)")
    assert post_row(engine).current_version == 2


def test_a_posted_time_read_on_one_side_only_is_no_edit(engine: Engine) -> None:
    """A skin showing "3시간 전" gives no time at first, the date later; a re-check that
    cannot complete the time keeps the archived one: neither is an edit. A real edit still is."""
    when = datetime(2026, 11, 17, 14, 14, tzinfo=UTC)
    run(engine, [make_post(posted_at=None)])
    counts = run(engine, [make_post(posted_at=when)], T0 + timedelta(days=1))
    assert counts.new_versions == 0 and len(versions(engine)) == 1
    assert post_row(engine).posted_at == when  # learnt, as the post's time
    counts = run(engine, [make_post(posted_at=None)], T0 + timedelta(days=2))
    assert counts.new_versions == 0 and post_row(engine).posted_at == when
    again = run(engine, [make_post(posted_at=when)], T0 + timedelta(days=3))
    assert again.new_versions == 0
    edited = run(engine, [make_post(posted_at=None, title="정정 공고")], T0 + timedelta(days=4))
    assert edited.new_versions == 1 and versions(engine)[-1].changed_fields == ["title"]
    edited = run(engine, [make_post(posted_at=when, title="재공고")], T0 + timedelta(days=5))
    assert edited.new_versions == 1 and versions(engine)[-1].changed_fields == ["title"]
    moved = run(engine, [make_post(posted_at=when + timedelta(hours=1))], T0 + timedelta(days=6))
    assert moved.new_versions == 1  # another time than the one archived: an edit


def test_attachment_change_is_a_version(engine: Engine) -> None:
    run(engine, [make_post()])
    run(engine, [make_post(attachments=(it.Attachment("자료.pdf", "1.5M"),))])
    assert versions(engine)[-1].changed_fields == ["attachments"]


def test_not_found_marks_only_archived_posts_deleted_and_keeps_versions(engine: Engine) -> None:
    run(engine, [make_post()])
    counts = run(
        engine,
        [it.PostNotFound("130", "u"), it.PostNotFound("999", "u")],
        T0 + timedelta(days=1),
    )
    assert counts.deleted == 1
    p = post_row(engine)
    assert p.state == PostState.DELETED and p.deleted_at == T0 + timedelta(days=1)
    assert len(versions(engine)) == 1
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Post)) == 1  # 999 never existed
        board_id = ensure_board(s, BOARD, T0)
        not_deleted = select(Post.source_id).where(
            Post.board_id == board_id, Post.state != PostState.DELETED
        )
        assert set(s.scalars(not_deleted)) == set()


def test_deleted_post_that_returns_is_restored_without_a_new_version(engine: Engine) -> None:
    run(engine, [make_post()])
    run(engine, [it.PostNotFound("130", "u")])
    counts = run(engine, [make_post()])
    assert (counts.restored, counts.new_versions) == (1, 0)
    assert post_row(engine).state == PostState.ACTIVE


def test_secret_post_keeps_list_data_and_has_no_version(engine: Engine) -> None:
    counts = run(engine, [it.SecretPost("133", "u", title="비밀글 제목", views=5, comment_count=0)])
    assert (counts.new_posts, counts.secret, counts.new_versions) == (1, 1, 0)
    p = post_row(engine, "133")
    assert (p.state, p.title, p.current_version) == (PostState.SECRET, "비밀글 제목", 0)
    # Made public later: the first version arrives, the state follows.
    run(engine, [make_post("133")])
    assert post_row(engine, "133").state == PostState.ACTIVE
    assert len(versions(engine, "133")) == 1


def test_batch_of_many_posts_is_one_transaction(engine: Engine) -> None:
    posts = [make_post(str(i), title=f"제목 {i}") for i in range(1, 251)]
    counts = run(engine, list(posts))
    assert (counts.new_posts, counts.new_versions) == (250, 250)
    assert run(engine, list(posts)).new_versions == 0
