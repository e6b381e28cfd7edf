"""Read-only queries over the archive, shared by the CLI (and later the web UI)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.models import Board, Comment, Post, PostEvent, PostState, PostVersion


class NotInArchive(LookupError):
    """A board, post or version that the archive does not hold."""


def board_by_name(s: Session, name: str) -> Board:
    board = s.scalar(select(Board).where(Board.name == name))
    if board is None:
        known = ", ".join(s.scalars(select(Board.name).order_by(Board.name))) or "none yet"
        raise NotInArchive(f"no board {name!r} in the archive (archived boards: {known})")
    return board


def list_posts(
    s: Session, board: Board, *, state: PostState | None = None, limit: int = 50, offset: int = 0
) -> list[Post]:
    """The board's posts, newest post id first (ids compared as numbers where they are)."""
    query = select(Post).where(Post.board_id == board.id)
    if state is not None:
        query = query.where(Post.state == state)
    query = (
        query.order_by(func.length(Post.source_id).desc(), Post.source_id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(s.scalars(query))


def count_posts(s: Session, board: Board) -> dict[str, int]:
    rows = s.execute(
        select(Post.state, func.count()).where(Post.board_id == board.id).group_by(Post.state)
    )
    return {str(state.value if isinstance(state, PostState) else state): n for state, n in rows}


def post_by_source_id(s: Session, board: Board, post_id: str) -> Post:
    post = s.scalar(select(Post).where(Post.board_id == board.id, Post.source_id == post_id))
    if post is None:
        raise NotInArchive(f"board {board.name!r} has no archived post {post_id!r}")
    return post


def versions_of(s: Session, post: Post) -> list[PostVersion]:
    return list(
        s.scalars(
            select(PostVersion).where(PostVersion.post_id == post.id).order_by(PostVersion.number)
        )
    )


def version(s: Session, post: Post, number: int) -> PostVersion:
    v = s.scalar(
        select(PostVersion).where(PostVersion.post_id == post.id, PostVersion.number == number)
    )
    if v is None:
        raise NotInArchive(
            f"post {post.source_id} has no version {number} (it has {post.current_version})"
        )
    return v


def comments_of(s: Session, post: Post) -> list[Comment]:
    return list(
        s.scalars(
            select(Comment)
            .where(Comment.post_id == post.id)
            .order_by(func.length(Comment.source_id), Comment.source_id)
        )
    )


def events_of(s: Session, post: Post) -> list[PostEvent]:
    return list(
        s.scalars(select(PostEvent).where(PostEvent.post_id == post.id).order_by(PostEvent.at))
    )
