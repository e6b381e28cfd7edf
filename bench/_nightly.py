"""A day on many demo boards, for the fleet benches' incremental night: what the boards' editors
and readers did since the full run, and whether the night's incremental run archived it.

Each board, between the two nights (``change_board``), on its open (not secret) posts: two new
posts; a page-1 post retitled (its list row changes); a comment on another page-1 post (its
comment count changes); a silent body edit of the newest post (young: the revisit policy
checks it every run); a page-1 post deleted; readers' views on a few posts anywhere on the
board. Then ``age_archive`` moves the archive's check history one day back (the full run was
"yesterday"), so the policy's every-night checks fall due as they would on the next night; the
posts' own times, their content, stay.

``check_nightly`` reads the archive after the incremental night: each change is a hard check
(all of them are designed to be found by an incremental run).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from archive.models import Board, Comment, Post, PostState
from board_archive.demoboard.content import Board as DemoBoard


@dataclass(frozen=True)
class Changes:
    """What one board's day changed (the board's ids as strings)."""

    board: str  # the board's name in boards.toml
    new: tuple[str, ...]
    retitled: str
    title: str
    commented: str
    comment: str
    edited: str  # the body edit
    deleted: str


def change_board(name: str, board: DemoBoard, seed: int) -> Changes:
    """One day of ``board``'s editors and readers (deterministic in ``seed``)."""
    rng = random.Random(seed)
    # the open posts among the newest: a secret post's comments are behind its password and
    # its list row cuts a long title, so the archive cannot hold what the bench would expect
    newest = sorted((p.wr_id for p in board.posts() if not (p.notice or p.secret)), reverse=True)
    edited, retitled, commented, deleted = newest[0], newest[3], newest[5], newest[7]
    new = tuple(
        str(board.add_post(f"[공고] 오늘의 새 글 {seed}-{k}", f"<p>새 글 본문 {seed} {k}</p>"))
        for k in range(2)
    )
    title = f"[정정] {board.get(retitled).title}"  # type: ignore[union-attr]
    board.edit_post(retitled, title=title)
    comment = board.add_comment(commented, f"문의 드립니다 {seed}", author="방문자")
    body = board.get(edited).body_html  # type: ignore[union-attr]
    board.edit_post(edited, body_html=body + f"<p>(마감일 연장 {seed})</p>")
    board.delete_post(deleted)
    for wr_id in rng.sample(board.live_ids(), min(5, len(board.live_ids()))):
        board.bump_views(wr_id, rng.randint(1, 30))
    return Changes(
        name, new, str(retitled), title, str(commented), str(comment), str(edited), str(deleted)
    )


def age_archive(engine: Engine, days: float = 1.0) -> int:
    """Move every post's check history ``days`` back; the posts moved."""
    back = timedelta(days=days)
    cols = (
        "first_seen_at",
        "last_seen_at",
        "last_checked_at",
        "next_check_at",
        "last_changed_at",
        "views_seen_at",
    )
    with Session(engine) as s, s.begin():
        rows = s.execute(select(Post.id, *(getattr(Post, c) for c in cols))).all()
        moved = [
            {
                "id": row[0],
                **{
                    c: (v - back if v is not None else None)
                    for c, v in zip(cols, row[1:], strict=True)
                },
            }
            for row in rows
        ]
        if moved:
            s.execute(update(Post), moved)  # an UPDATE by primary key for each
        return len(moved)


@dataclass
class NightlyCheck:
    boards: int = 0
    missed: dict[str, list[str]] = field(default_factory=dict)  # kind -> boards that missed it

    @property
    def ok(self) -> bool:
        return not any(self.missed.values())

    def line(self) -> str:
        kinds = ("new posts", "retitle", "comment", "body edit", "deletion")
        found = ", ".join(f"{k} {self.boards - len(self.missed.get(k, []))}" for k in kinds)
        bad = "; ".join(f"{k} missed on {v[:5]}" for k, v in self.missed.items() if v)
        return (
            f"nightly changes {'all archived' if self.ok else 'NOT all archived'} on "
            f"{self.boards} boards ({found})" + (f": {bad}" if bad else "")
        )


def check_nightly(engine: Engine, changes: list[Changes]) -> NightlyCheck:
    missed: dict[str, list[str]] = {}

    def miss(kind: str, board: str) -> None:
        missed.setdefault(kind, []).append(board)

    with Session(engine) as s:
        for c in changes:
            posts = {
                p.source_id: p
                for p in s.scalars(select(Post).join(Post.board).where(Board.name == c.board))
            }
            if not all(n in posts for n in c.new):
                miss("new posts", c.board)
            if c.retitled not in posts or posts[c.retitled].title != c.title:
                miss("retitle", c.board)
            commented = posts.get(c.commented)
            if commented is None or not s.scalar(
                select(Comment.id).where(
                    Comment.post_id == commented.id, Comment.source_id == c.comment
                )
            ):
                miss("comment", c.board)
            edited = posts.get(c.edited)
            if edited is None or edited.current_version < 2:  # its only change is the edit
                miss("body edit", c.board)
            gone = posts.get(c.deleted)
            if gone is None or gone.state != PostState.DELETED:
                miss("deletion", c.board)
    return NightlyCheck(boards=len(changes), missed=missed)
