"""Comments end to end: added, edited and deleted on the demo board between two crawls."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.models import Comment, Post
from board_archive.demoboard.generate import generate_board
from board_archive.demoboard.server import DemoServer
from tests.crawl.test_end_to_end import cli, crawl, last_run


def test_comment_changes_are_archived_without_post_versions(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    board = generate_board(30, seed=4)
    target = next(p for p in board.posts() if not p.secret and not p.notice)
    first = board.add_comment(target.wr_id, "첫 번째 의견입니다", author="방문자")
    second = board.add_comment(target.wr_id, "두 번째 의견", author="시민")
    with DemoServer(board) as server:
        assert crawl(tmp_path, db_url, server.list_url).returncode == 0
        board.edit_comment(first, "첫 번째 의견입니다 (수정)")
        board.delete_comment(second)
        third = board.add_comment(target.wr_id, "세 번째", author="기자")
        assert crawl(tmp_path, db_url, server.list_url).returncode == 0
    run = last_run(engine)
    assert (run.new_comments, run.edited_comments, run.deleted_comments) == (1, 1, 1)
    assert run.new_versions == 0
    with Session(engine) as s:
        rows = {
            c.source_id: c
            for c in s.scalars(
                select(Comment)
                .join(Post, Post.id == Comment.post_id)
                .where(Post.source_id == str(target.wr_id))
            )
        }
    assert rows[str(first)].current_version == 2
    assert rows[str(second)].deleted_at is not None
    assert rows[str(third)].author == "기자"
    shown = cli(tmp_path, db_url, "history", "press", str(target.wr_id), "-c", "boards.toml")
    assert shown.returncode == 0, shown.stderr
    assert "comments (" in shown.stdout and "deleted" in shown.stdout
    changed = cli(tmp_path, db_url, "diff", "press", str(target.wr_id), "-c", "boards.toml")
    assert changed.returncode == 0, changed.stderr
    lines = changed.stdout.splitlines()
    assert lines[1:] == [
        "comments:",
        f"~ #{first} 방문자: 첫 번째 의견입니다{{+ (수정)+}}",
        f"- #{second} 시민",
        f"+ #{third} 기자: 세 번째",
    ]
