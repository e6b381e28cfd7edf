"""End to end: the real CLI starts real Scrapy crawls of a demo board on 127.0.0.1, into SQLite
and PostgreSQL; the archive is then read back from the database."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from archive import queries
from archive.models import CrawlRun, Observation, Post, PostState, PostVersion, RunStatus
from archive.web.app import create_app
from board_archive.demoboard.content import Board
from board_archive.demoboard.generate import generate_board
from board_archive.demoboard.server import DemoServer
from tests.crawl.faults import FaultProxy


def cli(
    tmp_path: Path, db_url: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": db_url, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "board_archive.cli", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def write_config(tmp_path: Path, url: str, name: str = "press", extra: str = "") -> Path:
    path = tmp_path / "boards.toml"
    path.write_text(
        f'[boards.{name}]\nurl = "{url}"\ndelay = 0\nconcurrency = 8\n{extra}', encoding="utf-8"
    )
    return path


def crawl(
    tmp_path: Path, db_url: str, url: str, mode: str = "--full", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`board-archive crawl press` (full by default here; mode="" for incremental)."""
    cfg = write_config(tmp_path, url)
    args = ["crawl", "press", "-c", str(cfg), "--log-level", "WARNING", *filter(None, [mode])]
    return cli(tmp_path, db_url, *args, env=env)


def changed_in_second_versions(engine: Engine) -> dict[str, list[str]]:
    """The changed fields of each post's version 2, by post id."""
    with Session(engine) as s:
        return dict(
            s.execute(
                select(Post.source_id, PostVersion.changed_fields)
                .join(Post, Post.id == PostVersion.post_id)
                .where(PostVersion.number == 2)
            ).all()
        )


def last_run(engine: Engine) -> CrawlRun:
    with Session(engine) as s:
        return s.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()  # type: ignore[return-value]


def archived(engine: Engine) -> dict[str, Post]:
    with Session(engine) as s:
        return {p.source_id: p for p in s.scalars(select(Post))}


def version_count(engine: Engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(PostVersion)) or 0


@pytest.fixture
def board() -> Board:
    b = generate_board(45, seed=11)
    regular = [p.wr_id for p in b.posts() if not p.notice]
    b.set_secret(regular[-8])
    b.set_secret(regular[-20])
    return b


@pytest.fixture
def server(board: Board) -> Iterator[DemoServer]:
    with DemoServer(board) as srv:
        yield srv


def test_archive_then_rerun_then_edits(
    tmp_path: Path, db_url: str, engine: Engine, board: Board, server: DemoServer
) -> None:
    # First run: every live post archived once, each view page fetched once.
    result = crawl(tmp_path, db_url, server.list_url)
    assert result.returncode == 0, result.stderr[-3000:]
    live = {str(i) for i in board.live_ids()}
    secret = {str(p.wr_id) for p in board.posts() if p.secret}
    posts = archived(engine)
    assert set(posts) == live
    assert {k for k, p in posts.items() if p.state == PostState.SECRET} == secret
    assert version_count(engine) == len(live - secret)
    views = Counter(
        {t: n for t, n in server.target_counts.items() if "board.php?" in t and "wr_id=" in t}
    )
    assert views and max(views.values()) == 1  # no view page fetched twice
    assert sum(views.values()) == len(live)
    assert server.counts["list"] == board.total_pages(15)
    run = last_run(engine)
    assert (run.status, run.new_posts, run.new_versions) == (
        RunStatus.SUCCEEDED,
        len(live),
        len(live - secret),
    )
    notices = {str(i) for i in board.notice_ids()}
    assert notices and all(posts[n].notice for n in notices)

    # Second run, nothing changed: no post, no version; counters observed again.
    assert crawl(tmp_path, db_url, server.list_url).returncode == 0
    run = last_run(engine)
    assert (run.new_posts, run.new_versions, run.deleted_posts) == (0, 0, 0)
    assert version_count(engine) == len(live - secret)
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Observation)) == 2 * len(live)

    # The board changes: two edits, one delete, one new post, one secret post made public.
    public = [p for p in board.posts() if not p.secret and not p.notice]
    edited_title, edited_body, gone = public[-1], public[-3], public[-6]
    board.edit_post(edited_title.wr_id, title=edited_title.title + " (정정)")
    board.edit_post(edited_body.wr_id, body_html="<p>본문이 바뀌었습니다.</p>")
    board.delete_post(gone.wr_id)
    new_id = board.add_post("새 공고: 2027년 지원사업", "<p>접수 시작</p>")
    revealed = sorted(secret)[0]
    board.set_secret(int(revealed), False)

    assert crawl(tmp_path, db_url, server.list_url).returncode == 0
    run = last_run(engine)
    assert (run.new_posts, run.new_versions, run.deleted_posts) == (1, 4, 1)
    posts = archived(engine)
    assert posts[str(gone.wr_id)].state == PostState.DELETED
    assert posts[str(new_id)].current_version == 1
    assert posts[revealed].state == PostState.ACTIVE
    changed = changed_in_second_versions(engine)
    assert changed == {
        str(edited_title.wr_id): ["title"],
        str(edited_body.wr_id): ["body_text", "body_html"],
    }

    # The CLI reads it back.
    cfg = str(tmp_path / "boards.toml")
    shown = cli(tmp_path, db_url, "diff", "press", str(edited_title.wr_id), "-c", cfg)
    assert shown.returncode == 0, shown.stderr
    assert "{+ (정정)+}" in shown.stdout
    hist = cli(tmp_path, db_url, "history", "press", str(edited_body.wr_id), "-c", cfg)
    assert "body_text, body_html" in hist.stdout
    listing = cli(tmp_path, db_url, "posts", "press", "--state", "deleted", "-c", cfg)
    assert str(gone.wr_id) in listing.stdout and "deleted" in listing.stdout
    recent = cli(tmp_path, db_url, "changes", "--since", "1d", "-c", cfg)
    assert recent.returncode == 0, recent.stderr
    lines = recent.stdout.splitlines()
    assert any(str(edited_body.wr_id) in x and "edited" in x for x in lines)
    assert any(str(gone.wr_id) in x and "deleted" in x for x in lines)
    assert any(str(new_id) in x and "new" in x for x in lines)
    history_of_runs = cli(tmp_path, db_url, "runs", "press", "-c", cfg)
    assert history_of_runs.stdout.count("succeeded") == 3
    # a deleted and a secret post say what they are; an unknown board is an error everywhere
    shown = cli(tmp_path, db_url, "diff", "press", str(gone.wr_id), "-c", cfg)
    assert shown.returncode == 0 and "was deleted from the board" in shown.stdout, shown.stdout
    still_secret = sorted(secret - {revealed})[0]
    for command in ("diff", "attachments"):
        shown = cli(tmp_path, db_url, command, "press", still_secret, "-c", cfg)
        assert shown.returncode == 0 and "is secret (비밀글)" in shown.stdout, shown.stdout
    for args in (["runs", "nope"], ["changes", "--board", "nope"], ["posts", "nope"]):
        unknown = cli(tmp_path, db_url, *args, "-c", cfg)
        assert unknown.returncode == 1 and "no board 'nope'" in unknown.stderr, args


def test_faults_are_never_edits_or_deletions(
    tmp_path: Path, db_url: str, engine: Engine, board: Board, server: DemoServer
) -> None:
    assert crawl(tmp_path, db_url, server.list_url).returncode == 0
    before = version_count(engine)
    public = [p for p in board.posts() if not p.secret and not p.notice]
    broken = {str(public[i].wr_id): f for i, f in ((-1, "500"), (-2, "empty"), (-3, "garbage"))}
    with FaultProxy(server.url) as proxy:
        proxy.faults = {f"wr_id={k}": f for k, f in broken.items()}  # type: ignore[misc]
        proxy.faults["&page=2"] = "500"
        board.delete_post(public[-10].wr_id)  # on page 1 of the list
        result = crawl(tmp_path, db_url, proxy.url + "/bbs/board.php?bo_table=press")
    assert result.returncode == 0, result.stderr[-3000:]
    run = last_run(engine)
    assert run.status == RunStatus.SUCCEEDED
    assert run.errors >= 4  # three view pages and list page 2
    assert (run.new_versions, run.deleted_posts) == (0, 0)
    assert version_count(engine) == before
    posts = archived(engine)
    for post_id in broken:
        assert posts[post_id].state == PostState.ACTIVE and posts[post_id].current_version == 1
    # List page 2 failed, so posts missing from the list were not re-checked or deleted.
    assert posts[str(public[-10].wr_id)].state == PostState.ACTIVE


def test_layout_change_fails_the_run_and_changes_nothing(
    tmp_path: Path, db_url: str, engine: Engine, server: DemoServer
) -> None:
    assert crawl(tmp_path, db_url, server.list_url).returncode == 0
    before = (version_count(engine), {k: p.state for k, p in archived(engine).items()})
    with FaultProxy(server.url) as proxy:
        proxy.faults = {"bo_table=press": "garbage"}
        result = crawl(tmp_path, db_url, proxy.url + "/bbs/board.php?bo_table=press")
    assert result.returncode == 1
    assert "failed" in result.stdout
    run = last_run(engine)
    assert run.status == RunStatus.FAILED and run.message and "list" in run.message
    assert (version_count(engine), {k: p.state for k, p in archived(engine).items()}) == before


def test_unreachable_site_is_a_failed_run(tmp_path: Path, db_url: str, engine: Engine) -> None:
    result = crawl(tmp_path, db_url, "http://127.0.0.1:9/bbs/board.php?bo_table=press")
    assert result.returncode == 1
    run = last_run(engine)
    assert run.status == RunStatus.FAILED
    assert archived(engine) == {}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_board_in_another_zone_is_read_and_shown_in_it(
    tmp_path: Path, db_url: str, engine: Engine, board: Board, server: DemoServer
) -> None:
    """The demo board prints Seoul wall-clock times; configured as a UTC board, the archive reads
    them as UTC and the CLI shows the board's times in UTC, labelled so: what the board showed."""
    cfg = write_config(tmp_path, server.list_url, extra='timezone = "UTC"\n')
    args = ("crawl", "press", "-c", str(cfg), "--log-level", "WARNING", "--full")
    assert cli(tmp_path, db_url, *args).returncode == 0
    seoul = ZoneInfo("Asia/Seoul")
    shown = {  # the board's view page: "26-11-17 23:14", in Seoul
        str(p.wr_id): p.posted_at.astimezone(seoul).replace(tzinfo=None, second=0, microsecond=0)
        for p in board.posts()
        if not p.secret
    }
    posts = archived(engine)  # read as UTC: 9 hours after the same wall-clock time in Seoul
    assert {k: posts[k].posted_at for k in shown} == {
        k: wall.replace(tzinfo=UTC) for k, wall in shown.items()
    }
    with Session(engine) as s:
        assert queries.board_by_name(s, "press").timezone == "UTC"
    listing = cli(tmp_path, db_url, "posts", "press", "--limit", "100", "-c", str(cfg)).stdout
    newest = max(shown, key=int)
    assert re.search(rf"│ {newest}\s+│.*│ {shown[newest]:%Y-%m-%d %H:%M} │", listing)
    run = last_run(engine)
    hist = cli(tmp_path, db_url, "history", "press", newest, "-c", str(cfg)).stdout
    assert "edited between (UTC)" in hist
    assert f"first seen {run.started_at:%Y-%m-%d}" in hist
    runs = cli(tmp_path, db_url, "runs", "press", "-c", str(cfg)).stdout
    assert "started (UTC)" in runs and f"{run.started_at:%Y-%m-%d %H:%M}" in runs
    across = cli(tmp_path, db_url, "runs", "-c", str(cfg)).stdout  # [archive] timezone
    assert "started (KST)" in across
    assert f"{run.started_at.astimezone(seoul):%Y-%m-%d %H:%M}" in across
    # the web UI (in English): the board's pages in its zone
    with TestClient(create_app(engine), cookies={"lang": "en"}) as ui:
        page = ui.get(f"/boards/press/posts/{newest}").text
    assert f"<dd>{shown[newest]:%Y-%m-%d %H:%M}</dd>" in page and "Times are UTC." in page


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_robots_txt_is_obeyed(tmp_path: Path, db_url: str, engine: Engine, board: Board) -> None:
    with DemoServer(board, robots_disallow=["/bbs/"]) as srv:
        result = crawl(tmp_path, db_url, srv.list_url)
        assert srv.counts["robots"] == 1
        assert srv.counts["list"] == 0 and srv.counts["view"] == 0
    assert result.returncode == 1
    assert archived(engine) == {}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_crawl_opens_no_control_server(
    tmp_path: Path, db_url: str, engine: Engine, board: Board
) -> None:
    """Scrapy 2.19 starts, by default, an HTTP server that runs Python code sent to it, and writes
    its port and token under the user's home. An unattended crawler has neither."""
    home = tmp_path / "home"
    home.mkdir()
    with DemoServer(board) as srv:
        cfg = write_config(tmp_path, srv.list_url)
        result = cli(
            tmp_path,
            db_url,
            *("crawl", "press", "-c", str(cfg), "--log-level", "INFO", "-v"),
            env={"HOME": str(home), "XDG_STATE_HOME": str(home / "state")},
        )
    assert result.returncode == 0, result.stderr
    assert "of board 'press' opened" in result.stderr  # the crawl's INFO log is here
    assert "Remote control" not in result.stderr
    assert not list(home.rglob("job_files"))


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("skin", ["legacy", "basic"])
def test_legacy_skin_and_euc_kr(
    tmp_path: Path, db_url: str, engine: Engine, board: Board, skin: str
) -> None:
    with DemoServer(board, skin=skin, charset="euc-kr") as srv:  # type: ignore[arg-type]
        assert crawl(tmp_path, db_url, srv.list_url).returncode == 0
    posts = archived(engine)
    some = next(p for p in board.posts() if not p.secret)
    assert posts[str(some.wr_id)].title == some.title  # no mojibake
    with Session(engine) as s:
        texts = s.scalars(select(PostVersion.body_text)).all()
    assert texts and all(t.strip() for t in texts)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_usage_and_config_errors_exit_2(tmp_path: Path, db_url: str) -> None:
    cfg = write_config(tmp_path, "http://127.0.0.1:9/bbs/board.php?bo_table=press")
    unknown = cli(tmp_path, db_url, "crawl", "nosuch", "-c", str(cfg))
    assert unknown.returncode == 2 and "unknown board 'nosuch'" in unknown.stderr
    bad_url = cli(tmp_path, db_url, "crawl", "--url", "ftp://x/y", "-c", str(cfg))
    assert bad_url.returncode == 2 and "http(s) URL" in bad_url.stderr
    cfg.write_text('[boards.press]\nurl = "http://h/bbs/board.php?bo_table=a"\ndelay = "fast"\n')
    bad = cli(tmp_path, db_url, "crawl", "press", "-c", str(cfg))
    assert bad.returncode == 2 and "boards.press.delay" in bad.stderr
    neither = cli(tmp_path, db_url, "crawl", "-c", str(cfg))
    assert neither.returncode == 2
