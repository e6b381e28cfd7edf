"""``board-archive demo`` as a new user runs it (the README's first command): the installed
command in an empty folder, with no configuration, three times. It exits 0, reports the same
changes each time, and its SQLite archive under
``./var/`` holds what the demo's scenario (``board_archive/demo.py``) did to the demo board and
what it printed: the posts, their versions, the deletion, the new post and the diffs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from archive.models import Board as ArchivedBoard
from archive.models import CrawlRun, Post, PostState, PostVersion, RunStatus
from board_archive.demo import BOARD, _edit_board
from board_archive.demoboard.content import Board
from board_archive.demoboard.generate import generate_board

#: the board ``run_demo`` builds: ``generate_board(posts, seed=7)``, ``posts`` the CLI's default
POSTS, SEED = 60, 7
#: the board's post fields the demo edits, and the archived fields they become
FIELDS = {"title": "title", "author": "author", "body_html": "body_text"}


def common_start(a: str, b: str) -> int:
    """The length of what ``a`` and ``b`` start with alike."""
    pairs = enumerate(zip(a, b, strict=False))
    return next((i for i, (x, y) in pairs if x != y), min(len(a), len(b)))


def changed_part(old: str, new: str) -> tuple[str, str]:
    """What one contiguous edit took out of ``old`` and put in to make ``new``."""
    start = common_start(old, new)
    end = common_start(old[start:][::-1], new[start:][::-1])
    return old[start : len(old) - end], new[start : len(new) - end]


def run_demo_command(folder: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "BOARD_"))}
    env["COLUMNS"] = "250"  # the report's lines unwrapped
    command = Path(sys.executable).with_name("board-archive")  # the script pip installed
    return subprocess.run(
        [str(command), "demo"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )


def archived(db: Path) -> tuple[list[CrawlRun], dict[int, Post], dict[int, list[PostVersion]]]:
    """The demo board's runs, posts (by wr_id) and each post's versions, oldest first."""
    engine = create_engine(f"sqlite:///{db}")
    try:
        with Session(engine, expire_on_commit=False) as s:
            board_id = s.scalar(select(ArchivedBoard.id).where(ArchivedBoard.name == BOARD))
            runs = list(s.scalars(select(CrawlRun).where(CrawlRun.board_id == board_id)))
            posts = {int(p.source_id): p for p in s.scalars(select(Post))}
            versions: dict[int, list[PostVersion]] = {}
            rows = s.execute(
                select(Post.source_id, PostVersion)
                .join(PostVersion, PostVersion.post_id == Post.id)
                .order_by(PostVersion.number)
            )
            for source_id, version in rows:
                versions.setdefault(int(source_id), []).append(version)
    finally:
        engine.dispose()
    return sorted(runs, key=lambda r: r.id), posts, versions


def edits(before: Board, after: Board) -> dict[int, dict[str, tuple[str, str]]]:
    """The posts on both boards whose fields differ: {wr_id: {field: (old, new)}}."""
    found: dict[int, dict[str, tuple[str, str]]] = {}
    for post in before.posts():
        now = after.live(post.wr_id)
        if now is None:
            continue
        fields = {f: (getattr(post, f), getattr(now, f)) for f in FIELDS}
        changed = {f: pair for f, pair in fields.items() if pair[0] != pair[1]}
        if changed:
            found[post.wr_id] = changed
    return found


def diff_block(out: str, wr_id: int) -> str:
    """The diff the demo printed for one post: from its header to the next one."""
    m = re.search(
        rf"^post {wr_id}: version 1 → 2$(.*?)(?=^post \d+: version|^Try:)", out, re.M | re.S
    )
    assert m is not None, (wr_id, out)
    return m.group(1)


def _what_it_reported(out: str) -> list[str]:
    """The demo's report with what differs from one run to the next (ports, run ids, the
    earlier demo's removal) left out."""
    kept = []
    for line in out.splitlines():
        if line.strip().startswith(("demo board:", "archive:", "(the board of an earlier")):
            continue
        kept.append(re.sub(r"^(\s*)run \d+:", r"\1run:", line))
    return kept


def test_the_demo_archives_what_it_shows(tmp_path: Path) -> None:
    """Run three times in one folder: the same report each time (the board an earlier demo
    archived is removed first, since the demo board is made anew); the archive holds what
    the last one showed."""
    reports = []
    for _ in range(3):
        result = run_demo_command(tmp_path)
        assert result.returncode == 0, (result.stdout[-3000:], result.stderr[-3000:])
        reports.append(_what_it_reported(result.stdout))
    assert reports[0] == reports[1] == reports[2]
    assert "(the board of an earlier demo removed" in result.stdout
    out = result.stdout

    # the scenario: the demo's board, and the same board after the demo's edits
    before = generate_board(POSTS, seed=SEED)
    after = generate_board(POSTS, seed=SEED)
    lines = _edit_board(after)
    edited = edits(before, after)
    gone = set(before.live_ids()) - set(after.live_ids())
    added = set(after.live_ids()) - set(before.live_ids())
    assert len(edited) == 3 and len(gone) == 1 and len(added) == 1  # what the demo says it does
    assert all(f"   {line}\n" in out for line in lines)

    runs, posts, versions = archived(tmp_path / "var" / "archive.sqlite3")
    # two runs, each as printed, each seeing the board of its time
    assert [r.status for r in runs] == [RunStatus.SUCCEEDED, RunStatus.SUCCEEDED]
    for run in runs:
        printed = (
            f"run {run.id}: succeeded, {run.pages} pages, {run.posts_seen} posts seen, "
            f"{run.new_posts} new, {run.new_versions} new versions, {run.deleted_posts} deleted, "
            f"{run.errors} errors"
        )
        assert printed in out and run.errors == 0
    first, second = runs
    readable = [p for p in before.posts() if not p.secret]
    assert (first.posts_seen, first.new_posts) == (len(before.live_ids()), len(before.live_ids()))
    assert (first.new_versions, first.deleted_posts) == (len(readable), 0)
    assert (second.posts_seen, second.new_posts) == (len(after.live_ids()), len(added))
    assert (second.new_versions, second.deleted_posts) == (len(edited) + len(added), len(gone))

    # every post of either board, once; the deleted one marked so, as printed
    board = {p.wr_id: p for p in [*before.posts(), *after.posts()]}  # what either crawl saw
    assert set(posts) == set(board)
    (gone_id,) = gone
    assert posts[gone_id].state == PostState.DELETED
    assert f"deleted: post {gone_id} {board[gone_id].title}" in out
    assert f"4. What changed: {len(edited)} edited, {len(gone)} deleted" in out
    (new_id,) = added
    assert [v.title for v in versions[new_id]] == [board[new_id].title]

    # a version for each readable post, two for an edited one: the old and the new content
    for wr_id, post in board.items():
        expected = 0 if post.secret else 2 if wr_id in edited else 1
        assert len(versions.get(wr_id, [])) == expected, wr_id
        assert posts[wr_id].current_version == expected
    for wr_id, changed in edited.items():
        old, new = versions[wr_id]
        block = diff_block(out, wr_id)
        for field, (was, now) in changed.items():
            name = FIELDS[field]
            removed, inserted = changed_part(was, now)
            if field == "body_html":  # archived as text too, and the text is what is diffed
                assert inserted not in old.body_text and inserted.strip() in new.body_text
            else:
                assert (getattr(old, name), getattr(new, name)) == (was, now)
            assert f"{name}:" in block
            assert f"{{+{inserted}+}}" in block
            if removed:
                assert f"[-{removed}-]" in block
    assert set(re.findall(r"^post (\d+): version 1 → 2$", out, re.M)) == {str(i) for i in edited}
