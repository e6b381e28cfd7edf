"""``board-archive boards list`` and ``boards remove``, end to end on SQLite and PostgreSQL: two
demo boards sharing an attachment's bytes and one of them with a file of its own, both crawled
by the real command. Removing one takes all it archived (posts, versions, comments, runs,
search entries) and the file only it used, keeps the other board whole with the shared file,
refuses while a crawl holds the board, and asks before it removes. Its WARC files go with it."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from archive import locks
from archive.models import Blob, Board, BoardLock, Comment, CrawlRun, Post, PostVersion
from board_archive.demoboard import DemoServer, generate_board
from tests.crawl.test_end_to_end import cli

SHARED, OWN = b"the same notice, on both boards", b"only on board one"


def _count(s: Session, model: type, board_id: int) -> int:
    query = select(func.count()).select_from(model)
    if model in (PostVersion, Comment):
        query = query.join(Post, Post.id == model.post_id)  # type: ignore[attr-defined]
        return s.scalar(query.where(Post.board_id == board_id)) or 0
    return s.scalar(query.where(model.board_id == board_id)) or 0  # type: ignore[attr-defined]


def _indexed(s: Session) -> set[int]:
    """The post ids the search index holds (archive/search: FTS5 rowid, or post_id)."""
    column = "post_id" if s.get_bind().dialect.name == "postgresql" else "rowid"
    return set(s.execute(text(f"SELECT {column} FROM post_search")).scalars())


def test_remove_a_board(tmp_path: Path, db_url: str, engine: Engine) -> None:
    one, two = generate_board(12, seed=3), generate_board(12, seed=3)
    target = next(p for p in one.posts() if not p.secret and not p.notice)
    one.add_attachment(target.wr_id, "공고문.hwp", SHARED)
    one.add_attachment(target.wr_id, "자체.hwp", OWN)
    one.add_comment(target.wr_id, "문의드립니다.", author="방문자")
    two.add_attachment(target.wr_id, "공고문.hwp", SHARED)
    blobs = tmp_path / "var" / "blobs"
    with DemoServer(one) as a, DemoServer(two) as b:
        config = tmp_path / "boards.toml"
        config.write_text(
            f'[boards.one]\nurl = "{a.list_url}"\ndelay = 0\n'
            f'[boards.two]\nurl = "{b.list_url}"\ndelay = 0\n'
        )
        for name in ("one", "two"):
            result = cli(tmp_path, db_url, "crawl", name, "-c", str(config), "--full")
            assert result.returncode == 0, result.stderr[-2000:]
    shared, own = hashlib.sha256(SHARED).hexdigest(), hashlib.sha256(OWN).hexdigest()
    assert (blobs / shared[:2] / shared[2:4] / shared).is_file()
    assert (blobs / own[:2] / own[2:4] / own).is_file()
    warc = tmp_path / "var" / "warc"
    assert list((warc / "one").glob("*.warc.gz")) and list((warc / "two").glob("*.warc.gz"))
    with Session(engine) as s:
        ids = {b.name: b.id for b in s.scalars(select(Board))}
        before_two = {m: _count(s, m, ids["two"]) for m in (Post, PostVersion, CrawlRun)}
        assert _count(s, Comment, ids["one"]) >= 1
        indexed_one = set(s.scalars(select(Post.id).where(Post.board_id == ids["one"])))
        assert indexed_one & _indexed(s)  # the board's posts are searchable before

    listed = cli(tmp_path, db_url, "boards", "list", "-c", str(config))
    assert listed.returncode == 0 and "one" in listed.stdout and "two" in listed.stdout

    # not on a terminal, without --yes: it asks for --yes and removes nothing
    asked = cli(tmp_path, db_url, "boards", "remove", "one", "-c", str(config))
    assert asked.returncode == 2 and "--yes" in asked.stderr
    # a crawl of the board running (its lock held): refused
    now = datetime.now(UTC)
    with Session(engine) as s, s.begin():
        s.add(
            BoardLock(board_id=ids["one"], owner="elsewhere:1", acquired_at=now, heartbeat_at=now)
        )
    busy = cli(tmp_path, db_url, "boards", "remove", "one", "--yes", "-c", str(config))
    assert busy.returncode == 1 and "another crawl of this board is running" in busy.stderr
    with Session(engine) as s, s.begin():
        locks.release(s, ids["one"], "elsewhere:1")
        assert _count(s, Post, ids["one"]) == len(one.live_ids())  # nothing removed

    gone = cli(tmp_path, db_url, "boards", "remove", "one", "--yes", "-c", str(config))
    assert gone.returncode == 0, gone.stderr
    assert "removed board 'one'" in gone.stdout and "1 files no other version used" in gone.stdout
    with Session(engine) as s:
        assert s.scalar(select(Board.name).where(Board.id == ids["one"])) is None
        for model in (Post, PostVersion, CrawlRun, Comment):
            assert _count(s, model, ids["one"]) == 0, model
        assert {m: _count(s, m, ids["two"]) for m in before_two} == before_two
        assert _indexed(s) == set(s.scalars(select(Post.id).join(PostVersion).distinct()))
        assert set(s.scalars(select(Blob.sha256))) >= {shared}
        assert s.scalar(select(Blob.sha256).where(Blob.sha256 == own)) is None
    assert (blobs / shared[:2] / shared[2:4] / shared).is_file()
    assert not (blobs / own[:2] / own[2:4] / own).exists()
    assert not (warc / "one").exists() and list((warc / "two").glob("*.warc.gz"))
    again = cli(tmp_path, db_url, "posts", "one", "-c", str(config))
    assert again.returncode == 1 and "no board 'one'" in again.stderr
