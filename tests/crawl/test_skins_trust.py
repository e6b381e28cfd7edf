"""End to end, the limits of reading an unknown skin, on the "cards" and "webzine" demo skins
with no selectors written:

- the body container a full run found by comparing view pages is kept on the board's row, and
  an incremental run that fetches one new post reads its body with it, fetching nothing else;
- where the kept container is no longer on the page (the skin changed), the run finds it again
  by fetching other posts to compare with, archives the new post field by field, and keeps the
  container found anew;
- a board with a single post has nothing to compare with: its view page fails asking for
  ``view_body``, the run fails, and no template text is archived as a body;
- a site that ignores ``page=`` (every list page is page 1): the full walk stops when a page
  brings no new post, and the run is ``suspect`` because the board says it has more posts.
On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from archive.models import Board as BoardRow
from archive.models import Post, PostVersion, RunHealth, RunStatus
from board_archive.crawl_process import FAKE_NOW
from board_archive.demoboard import Board, DemoServer, generate_board
from board_archive.demoboard.clock import SettableClock
from crawler.pages.dates import SEOUL
from tests.crawl.test_end_to_end import crawl, last_run

pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")


def _versions(engine: Engine) -> dict[str, PostVersion]:
    with Session(engine, expire_on_commit=False) as s:
        rows = s.execute(
            select(Post.source_id, PostVersion)
            .join(PostVersion, PostVersion.post_id == Post.id)
            .where(PostVersion.number == Post.current_version)
        )
        return {source_id: version for source_id, version in rows}


def _kept(engine: Engine) -> str | None:
    with Session(engine) as s:
        return s.scalars(select(BoardRow.body_selector)).one()


def _new_post_run(
    tmp_path: Path, db_url: str, engine: Engine, board: Board, server: DemoServer
) -> tuple[int, set[str]]:
    """An incremental run after one post was added: the new post's id and the view pages (and
    downloads) the run fetched."""
    new_id = board.add_post("새 공고: 카드 스킨 본문", "<p>첫 문단입니다.</p><p>둘째 문단.</p>")
    before = dict(server.target_counts)
    result = crawl(tmp_path, db_url, server.list_url, mode="")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    fetched = {t for t, n in server.target_counts.items() if n > before.get(t, 0) and "wr_id=" in t}
    run = last_run(engine)
    assert (run.status, run.health, run.errors, run.new_posts, run.new_versions) == (
        RunStatus.SUCCEEDED,
        RunHealth.OK,
        0,
        1,
        1,  # the others compared with, if any, are re-checks: unchanged
    )
    version = _versions(engine)[str(new_id)]
    assert (version.title, version.body_text) == (
        "새 공고: 카드 스킨 본문",
        "첫 문단입니다.\n둘째 문단.",
    )
    return new_id, fetched


def test_an_incremental_run_reads_the_body_with_the_container_kept(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    board = generate_board(30, seed=5)
    with DemoServer(board, skin="cards") as server:
        assert crawl(tmp_path, db_url, server.list_url).returncode == 0
        kept = _kept(engine)
        assert kept and "bo_v_con" not in kept  # found by comparing: the skin names none
        new_id, fetched = _new_post_run(tmp_path, db_url, engine, board, server)
    assert [f"wr_id={new_id}" in t for t in fetched] == [True]  # nothing only to compare with
    assert _kept(engine) == kept


def test_a_kept_container_no_longer_on_the_page_is_found_again(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    board = generate_board(30, seed=5)
    with DemoServer(board, skin="cards") as server:
        assert crawl(tmp_path, db_url, server.list_url).returncode == 0
        kept = _kept(engine)
        with Session(engine) as s, s.begin():  # as if the skin had changed since
            s.execute(update(BoardRow).values(body_selector="div.gone-with-the-old-skin"))
        _, fetched = _new_post_run(tmp_path, db_url, engine, board, server)
    assert 2 <= len(fetched) <= 3  # the new post and one or two others to compare with
    assert _kept(engine) == kept


def test_a_body_that_cannot_be_told_fails_and_archives_no_template(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    board = Board()
    board.add_post("하나뿐인 글", "<p>본문</p>")
    with DemoServer(board, skin="cards") as server:
        result = crawl(tmp_path, db_url, server.list_url)
    assert result.returncode == 1
    run = last_run(engine)
    assert run.status == RunStatus.FAILED and run.message
    assert "view_body" in run.message
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(PostVersion)) == 0


class _PageIgnored:
    """A proxy in front of a board that drops ``page=`` from list URLs: every page is page 1."""

    def __init__(self, upstream: str) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = [(k, v) for k, v in parse_qsl(parts.query) if k != "page"]
                path = f"{parts.path}?{urlencode(query)}" if query else parts.path
                with urllib.request.urlopen(upstream + path) as answer:
                    body = answer.read()
                    self.send_response(answer.status)
                    self.send_header("Content-Type", answer.headers["Content-Type"])
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body.replace(upstream.encode(), outer.url.encode()))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> _PageIgnored:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def ignored(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Board, _PageIgnored]]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    board = generate_board(40, seed=6)
    with DemoServer(board, skin="webzine") as server, _PageIgnored(server.url) as proxy:
        yield board, proxy


def test_a_walk_that_reaches_fewer_posts_than_the_board_says_is_suspect(
    tmp_path: Path, db_url: str, engine: Engine, ignored: tuple[Board, _PageIgnored]
) -> None:
    board, proxy = ignored
    result = crawl(tmp_path, db_url, proxy.url + "/bbs/board.php?bo_table=press")
    assert result.returncode == 0, result.stderr[-3000:]
    run = last_run(engine)
    assert (run.status, run.health) == (RunStatus.SUCCEEDED, RunHealth.SUSPECT)
    total = len(board.live_ids())
    assert run.health_notes and any(
        f"the board says it has {total} posts" in note for note in run.health_notes
    )
    assert run.deleted_posts == 0 and run.posts_seen < total


def test_relative_times_give_the_day_then_the_date_shown_later_is_no_edit(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    """The "cards" skin showing the last day's posts as "1시간 19분전" (Eyoom's way), its
    feed off: those posts are archived with their day; two days later the pages show the date
    and time, which the archive takes as the posted time without a new version."""
    start = datetime(2026, 12, 5, 15, 0, tzinfo=SEOUL)
    clock = SettableClock(start)
    board = generate_board(20, seed=5, clock=clock)
    recent = {str(p.wr_id) for p in board.posts() if start - p.posted_at < timedelta(days=1)}
    recent -= {str(p.wr_id) for p in board.posts() if p.secret}
    assert recent
    with DemoServer(board, skin="cards") as server:
        server.rss = False
        server.renderer.relative_times = True
        first = crawl(tmp_path, db_url, server.list_url, env={FAKE_NOW: start.isoformat()})
        assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-3000:]
        with Session(engine) as s:
            posts = {p.source_id: p for p in s.scalars(select(Post))}
        for post_id in recent:
            shown = board.get(int(post_id)).posted_at  # type: ignore[union-attr]
            assert posts[post_id].posted_at is None, post_id
            assert posts[post_id].posted_on == shown.astimezone(SEOUL).date(), post_id
        later = start + timedelta(days=2)
        clock.set(later)
        second = crawl(tmp_path, db_url, server.list_url, env={FAKE_NOW: later.isoformat()})
        assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-3000:]
    run = last_run(engine)
    assert (run.status, run.new_versions, run.edited_posts) == (RunStatus.SUCCEEDED, 0, 0)
    with Session(engine) as s:
        posts = {p.source_id: p for p in s.scalars(select(Post))}
        assert s.scalar(select(func.count()).select_from(PostVersion)) == len(
            [p for p in board.posts() if not p.secret]
        )
    for post_id in recent:  # learnt, to the minute, as the board has it
        shown = board.get(int(post_id)).posted_at  # type: ignore[union-attr]
        shown = shown.replace(second=0, microsecond=0)
        assert posts[post_id].posted_at == shown.astimezone(UTC), post_id


def test_a_board_that_shows_no_year_dates_new_posts_from_the_last_clean_run(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    """The "cards" skin with list dates ``MM-DD`` and views ``MM-DD HH:MM``: no page shows a
    year and the feed is off. The first run guesses none (its posts keep no posted time); the
    next night's new posts were posted after the first run started and before they were fetched,
    a span in which their month and day fall once: they are archived to the minute."""
    start = datetime(2026, 12, 5, 3, 0, tzinfo=SEOUL)
    clock = SettableClock(start)
    board = generate_board(12, seed=7, clock=clock)
    with DemoServer(board, skin="cards") as server:
        server.rss = False
        server.renderer.list_year = False
        first = crawl(tmp_path, db_url, server.list_url, env={FAKE_NOW: start.isoformat()})
        assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-3000:]
        with Session(engine) as s:
            dated = s.execute(select(Post.posted_at, Post.posted_on)).all()
        assert dated and all(at is None and on is None for at, on in dated)  # none guessed
        later = start + timedelta(hours=20)
        clock.set(later - timedelta(hours=2))
        new_ids = [board.add_post(f"새 공고 {n}", "<p>본문입니다.</p>") for n in range(2)]
        clock.set(later)
        second = crawl(
            tmp_path, db_url, server.list_url, mode="", env={FAKE_NOW: later.isoformat()}
        )
        assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-3000:]
    run = last_run(engine)
    assert (run.status, run.new_posts, run.edited_posts) == (RunStatus.SUCCEEDED, 2, 0)
    with Session(engine) as s:
        posts = {p.source_id: p for p in s.scalars(select(Post))}
    for new_id in new_ids:
        want = board.get(new_id).posted_at.replace(second=0, microsecond=0)  # type: ignore[union-attr]
        assert posts[str(new_id)].posted_at == want.astimezone(UTC), new_id
    old = [p for key, p in posts.items() if int(key) not in new_ids]
    assert all(p.posted_at is None for p in old)  # still nothing tells their year
