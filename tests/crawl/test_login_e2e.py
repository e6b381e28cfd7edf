"""End to end: a members-only demo board, crawled after a GnuBoard member login whose id and
password come from environment variables named in boards.toml, on SQLite and PostgreSQL.

The password must reach nothing but the site: every crawl here logs at DEBUG, and the log
output and every row of every table (raw pages decompressed) are searched for it."""

from __future__ import annotations

import contextlib
import zlib
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.models import Base, Post, PostVersion, RunStatus, VersionFile
from board_archive.demoboard.content import Board
from board_archive.demoboard.generate import generate_board
from board_archive.demoboard.server import DemoServer
from tests.crawl.test_end_to_end import cli, last_run, write_config

USER = "archiver"
PASSWORD = "pw-Zq8#kT2!멤버"
LOGIN_KEYS = 'login_user_env = "BA_TEST_USER"\nlogin_password_env = "BA_TEST_PASSWORD"\n'


@pytest.fixture
def board() -> Board:
    b = generate_board(20, seed=3)
    b.set_secret([p.wr_id for p in b.posts() if not p.notice][-4])
    return b


def crawl_members(
    tmp_path: Path,
    db_url: str,
    url: str,
    *,
    password: str | None = PASSWORD,
    keys: str = LOGIN_KEYS,
) -> tuple[int, str]:
    """A full crawl at DEBUG, its log shown (-v); returns its exit code and everything it
    wrote to stdout/stderr."""
    cfg = write_config(tmp_path, url, extra=keys)
    env = {"BA_TEST_USER": USER}
    if password is not None:
        env["BA_TEST_PASSWORD"] = password
    result = cli(
        tmp_path, db_url, "crawl", "press", "-c", str(cfg), "--full", "--log-level", "DEBUG", "-v",
        env=env,
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr


def everything_stored(engine: Engine) -> str:
    """Every value of every row of every table, raw pages decompressed, as one text."""
    out: list[str] = []
    with engine.connect() as c:
        for table in Base.metadata.sorted_tables:
            for row in c.execute(table.select()):
                for value in row:
                    if isinstance(value, bytes):
                        with contextlib.suppress(zlib.error):
                            value = zlib.decompress(value)
                        value = value.decode("utf-8", errors="replace")
                    out.append(str(value))
    return "\n".join(out)


def assert_no_password(secret: str, *texts: str) -> None:
    forms = {secret, quote_plus(secret), quote_plus(secret.encode("cp949"))}
    for text in texts:
        assert not [f for f in forms if f in text]


def test_members_board_is_archived_after_login(
    tmp_path: Path, db_url: str, engine: Engine, board: Board
) -> None:
    post = next(p for p in board.posts() if not p.secret)
    board.add_attachment(post.wr_id, "회원자료.pdf", b"%PDF members only")
    with DemoServer(board, members={USER: PASSWORD}) as srv:
        code, log = crawl_members(tmp_path, db_url, srv.list_url)
        logins, views = srv.counts["login"], srv.counts["view"]
    assert code == 0, log[-3000:]
    run = last_run(engine)
    assert run.status == RunStatus.SUCCEEDED and run.errors == 0
    assert logins == 1  # one login; its session serves the whole run
    assert views == len(board.live_ids())
    with Session(engine) as s:
        archived = {p.source_id: p.state.value for p in s.scalars(select(Post))}
        titles = set(s.scalars(select(PostVersion.title)))
        stored = s.scalars(select(VersionFile.status).where(VersionFile.name == "회원자료.pdf"))
        assert [x.value for x in stored] == ["stored"]  # the download used the member session
    assert set(archived) == {str(i) for i in board.live_ids()}
    assert list(archived.values()).count("secret") == len([p for p in board.posts() if p.secret])
    assert post.title in titles
    assert f"logged in as '{USER}'" in log
    assert_no_password(PASSWORD, log, everything_stored(engine))


def test_wrong_password_fails_the_run_clearly(
    tmp_path: Path, db_url: str, engine: Engine, board: Board
) -> None:
    wrong = "wrong-" + PASSWORD
    with DemoServer(board, members={USER: PASSWORD}) as srv:
        code, log = crawl_members(tmp_path, db_url, srv.list_url, password=wrong)
        assert srv.counts["login"] == 1 and srv.counts["list"] == 0
    assert code == 1
    run = last_run(engine)
    assert run.status == RunStatus.FAILED
    assert run.message and f"login as '{USER}'" in run.message and "failed" in run.message
    assert "비밀번호가 틀립니다" in run.message  # what the site said
    assert f"login as '{USER}'" in log  # the CLI prints the run's message
    with Session(engine) as s:
        assert s.scalars(select(Post)).first() is None
    assert_no_password(wrong, log, everything_stored(engine))
    assert_no_password(PASSWORD, log, everything_stored(engine))


def test_missing_password_variable_fails_the_run(
    tmp_path: Path, db_url: str, engine: Engine, board: Board
) -> None:
    with DemoServer(board, members={USER: PASSWORD}) as srv:
        code, log = crawl_members(tmp_path, db_url, srv.list_url, password=None)
        assert srv.counts["login"] == 0 and srv.counts["list"] == 0
    assert code == 1
    run = last_run(engine)
    assert run.status == RunStatus.FAILED
    assert run.message and "BA_TEST_PASSWORD (login_password_env) not set" in run.message
    assert "BA_TEST_PASSWORD (login_password_env) not set" in log


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_members_board_without_login_fails_on_the_permission_alert(
    tmp_path: Path, db_url: str, engine: Engine, board: Board
) -> None:
    with DemoServer(board, members={USER: PASSWORD}) as srv:
        code, _ = crawl_members(tmp_path, db_url, srv.list_url, keys="")
    assert code == 1
    run = last_run(engine)
    assert run.status == RunStatus.FAILED
    assert run.message and "목록을 볼 권한이 없습니다" in run.message


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_login_keys_are_validated(tmp_path: Path, db_url: str) -> None:
    url = "http://127.0.0.1:9/bbs/board.php?bo_table=press"
    half = 'login_user_env = "BA_TEST_USER"\n'
    code, log = crawl_members(tmp_path, db_url, url, keys=half)
    assert code == 2 and "boards.press.login_password_env: required with login_user_env" in log
    code, log = crawl_members(tmp_path, db_url, url, keys=f'{half}login_password_env = "A B"\n')
    assert code == 2 and "login_password_env: expected the name of an environment variable" in log
