"""End to end: the demo board on skins unlike GnuBoard's basic one ("webzine": a Bootstrap
webzine; "cards": a card grid without a table, pagination links, list form or ``#bo_v_con``),
crawled with no selectors written. The same board on the basic skin, archived field-exact, is
the reference: every post, title, author, body, attachment (with its bytes) and comment of the
skin's archive must be the same, and the posted time to the minute where the skin shows it
(completed from the list row where the view shows no year), else the day. On SQLite and
PostgreSQL."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.models import (
    Board as BoardRow,
)
from archive.models import (
    Comment,
    CommentVersion,
    CrawlRun,
    Post,
    PostState,
    PostVersion,
    RunHealth,
    RunStatus,
    VersionFile,
)
from board_archive.demoboard import Board, DemoServer, generate_board
from crawler.pages.dates import SEOUL
from tests.crawl.test_end_to_end import cli

pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")


@pytest.fixture(scope="module")
def board() -> Board:
    b = generate_board(40, seed=11)
    target = next(p for p in b.posts() if not p.secret and not p.notice)
    b.add_attachment(target.wr_id, "공고문.hwp", b"HWP document bytes")
    b.add_comment(target.wr_id, "일정 변경 여부도 알려주세요.", author="방문자")
    return b


def _crawl(tmp_path: Path, db_url: str, boards: dict[str, str]) -> None:
    config = tmp_path / "boards.toml"
    config.write_text(
        "".join(
            f'[boards.{n}]\nurl = "{u}"\ndelay = 0\nconcurrency = 8\n' for n, u in boards.items()
        ),
        encoding="utf-8",
    )
    for name in boards:
        result = cli(tmp_path, db_url, "crawl", name, "-c", str(config), "--full")
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]


def _archive(engine: Engine, name: str) -> dict[str, dict[str, Any]]:
    """Every post of board ``name``: its state and its current version's fields."""
    out: dict[str, dict[str, Any]] = {}
    with Session(engine) as s:
        board_id = s.scalar(select(BoardRow.id).where(BoardRow.name == name))
        for post in s.scalars(select(Post).where(Post.board_id == board_id)):
            version = s.scalar(
                select(PostVersion).where(
                    PostVersion.post_id == post.id, PostVersion.number == post.current_version
                )
            )
            fields: dict[str, Any] = {
                "state": post.state,
                "notice": post.notice,
                "posted_on": post.posted_on,
            }
            if version is not None:
                files = s.scalars(
                    select(VersionFile)
                    .where(VersionFile.version_id == version.id)
                    .order_by(VersionFile.kind, VersionFile.position)
                )
                comments = s.execute(
                    select(
                        Comment.source_id, Comment.author, Comment.posted_at, CommentVersion.text
                    )
                    .join(CommentVersion, CommentVersion.comment_id == Comment.id)
                    .where(
                        Comment.post_id == post.id,
                        CommentVersion.number == Comment.current_version,
                    )
                    .order_by(Comment.source_id)
                )
                fields |= {
                    "title": version.title,
                    "author": version.author,
                    "body_text": version.body_text,
                    # a picture shown by its view_image.php link is named by its stored name
                    # (the page shows no other): compared by its bytes
                    "files": [(f.kind, _shown(f.name), f.sha256, f.status) for f in files],
                    "comments": [(i, a, _minute(t), x) for i, a, t, x in comments],
                    "posted_at": version.posted_at,
                }
            out[post.source_id] = fields
    return out


def _shown(name: str) -> str | None:
    return None if re.fullmatch(r"[0-9a-f]{40}\.\w+", name) else name


def _minute(moment: datetime | None) -> datetime | None:
    """Times compared to the minute: a skin may show no seconds."""
    return moment.replace(second=0) if moment is not None else None


def _last_run(engine: Engine, name: str) -> CrawlRun:
    with Session(engine) as s:
        run = s.scalars(
            select(CrawlRun)
            .join(BoardRow, BoardRow.id == CrawlRun.board_id)
            .where(BoardRow.name == name)
            .order_by(CrawlRun.id.desc())
        ).first()
        assert run is not None
        s.expunge(run)
        return run


@pytest.mark.parametrize("skin", ["webzine", "cards"])
def test_a_skin_with_no_selectors_archives_what_the_basic_skin_does(
    tmp_path: Path, db_url: str, engine: Engine, board: Board, skin: str
) -> None:
    with DemoServer(board) as basic, DemoServer(board, skin=skin) as other:  # type: ignore[arg-type]
        _crawl(tmp_path, db_url, {"basic": basic.list_url, "skin": other.list_url})
        feeds = other.counts["rss"]
    in_feed = {str(p.wr_id) for p in reversed(board.posts()) if not p.secret}
    in_feed = set(sorted(in_feed, key=int)[-15:])
    run = _last_run(engine, "skin")
    assert (run.status, run.health, run.errors) == (RunStatus.SUCCEEDED, RunHealth.OK, 0)
    reference, archived = _archive(engine, "basic"), _archive(engine, "skin")
    live = {str(i) for i in board.live_ids()}
    assert set(archived) == set(reference) == live
    secret = {str(p.wr_id) for p in board.posts() if p.secret}
    assert {k for k, p in archived.items() if p["state"] == PostState.SECRET} == secret
    assert any(p.get("files") for p in archived.values())
    assert any(p.get("comments") for p in archived.values())
    for post_id in sorted(live - secret, key=int):
        ours, expected = archived[post_id], reference[post_id]
        for field in ("title", "author", "body_text", "comments", "notice"):
            assert ours[field] == expected[field], (post_id, field)
        assert len(ours["files"]) == len(expected["files"]), post_id
        for got, want in zip(ours["files"], expected["files"], strict=True):
            assert got[0] == want[0] and got[2:] == want[2:], post_id  # kind, bytes, status
            assert got[1] in (None, want[1]), post_id  # the name, where the page shows it
        # the posted time to the minute where the skin's pages show it (cards: the view's
        # "MM-DD HH:MM" with the list's year) or the board's feed gives it (its 15 newest
        # posts); else the day (webzine: the view's date)
        want: datetime = expected["posted_at"]
        if ours["posted_at"] is not None or skin == "cards" or post_id in in_feed:
            assert ours["posted_at"] == _minute(want), post_id
        else:
            assert ours["posted_on"] == want.astimezone(SEOUL).date(), post_id
    assert feeds == (1 if skin == "webzine" else 0)  # read once, and only where needed


def test_a_board_with_its_feed_off_keeps_the_day(
    tmp_path: Path, db_url: str, engine: Engine, board: Board
) -> None:
    """The webzine's view shows the date only; with the feed off (GnuBoard's default) the
    posts not posted today keep their day, and the run is ok: a feed is no condition."""
    with DemoServer(board, skin="webzine") as srv:
        srv.rss = False
        _crawl(tmp_path, db_url, {"skin": srv.list_url})
        assert srv.counts["rss"] == 1
    run = _last_run(engine, "skin")
    assert (run.status, run.health, run.errors) == (RunStatus.SUCCEEDED, RunHealth.OK, 0)
    archived = _archive(engine, "skin")
    today = board.now().astimezone(SEOUL).date()
    for post in board.posts():
        ours = archived[str(post.wr_id)]
        if post.secret or post.posted_at.astimezone(SEOUL).date() == today:
            continue  # today's rows show HH:MM, which completes the time
        assert (
            ours["posted_at"] is None
            and ours["posted_on"] == post.posted_at.astimezone(SEOUL).date()
        ), post.wr_id
