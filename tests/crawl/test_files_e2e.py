"""Files end to end: real crawls (the CLI) of demo boards into SQLite and PostgreSQL. Attachments
and body images are downloaded in the crawl's session, stored once in the blob store with their
decoded names, never downloaded again while their entry is the same; a replaced, added or
removed attachment is a new version; refusals, limits and other hosts are recorded."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.models import Post, PostVersion, VersionFile
from board_archive.demoboard.clock import SettableClock
from board_archive.demoboard.content import Attachment, Board
from board_archive.demoboard.generate import generate_board
from board_archive.demoboard.server import DemoServer
from tests.crawl.test_end_to_end import (
    changed_in_second_versions,
    cli,
    crawl,
    last_run,
    version_count,
    write_config,
)

HWP_NAME = "2026년 보도자료 (최종)+붙임.hwp"
HWP, JPG, JPG2, PDF = (
    b"HWP Document File v5",
    b"\xff\xd8\xff JPEG 1",
    b"\xff\xd8\xff JPEG two",
    b"%PDF",
)
PNG1, PNG2, EXTERNAL = b"\x89PNG chart one", b"\x89PNG chart two", b"\x89PNG elsewhere"

FileRow = tuple[int, str, int, str, str, str | None]  # version, kind, position, name, status, sha


def files(engine: Engine, wr_id: int) -> list[FileRow]:
    with Session(engine) as s:
        rows = s.execute(
            select(PostVersion.number, VersionFile)
            .join(VersionFile, VersionFile.version_id == PostVersion.id)
            .join(Post, Post.id == PostVersion.post_id)
            .where(Post.source_id == str(wr_id))
            .order_by(PostVersion.number, VersionFile.kind, VersionFile.position)
        ).all()
    return [(n, r.kind.value, r.position, r.name, r.status.value, r.sha256) for n, r in rows]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def blob_files(tmp_path: Path) -> dict[str, bytes]:
    root = tmp_path / "var" / "blobs"
    return {p.name: p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()  # the system clock, shifted by advance()


@pytest.fixture
def board(clock: SettableClock) -> Board:
    return generate_board(20, seed=5, clock=clock)


@pytest.fixture
def other() -> Iterator[DemoServer]:
    """Another site, whose images a post shows."""
    with DemoServer(Board("photos")) as srv:
        yield srv


def add_post_with_files(board: Board, srv: DemoServer, other: DemoServer) -> int:
    own = srv.put_file("/data/editor/2611/chart_1.png", PNG1)
    srv.put_file("/data/editor/2611/chart_2.png", PNG2)
    external = other.put_file("/data/editor/elsewhere.png", EXTERNAL)
    body = (
        f'<p>매출 추이</p><p><img src="{own}"></p>'
        '<p><img src="/data/editor/2611/chart_2.png" alt="상대 경로"></p>'
        f'<p><img src="{external}"></p><p><img src="{own}"></p>'
    )
    return board.add_post(
        "첨부파일과 그림이 있는 보도자료",
        body,
        attachments=[Attachment(HWP_NAME, HWP), Attachment("사진.jpg", JPG)],
    )


def test_files_are_stored_once_and_versioned(
    tmp_path: Path,
    db_url: str,
    engine: Engine,
    board: Board,
    clock: SettableClock,
    other: DemoServer,
    request: pytest.FixtureRequest,
) -> None:
    srv = DemoServer(board).start()
    request.addfinalizer(srv.stop)
    wr_id = add_post_with_files(board, srv, other)
    first = crawl(tmp_path, db_url, srv.list_url)
    assert first.returncode == 0, first.stderr[-3000:]
    first_counts = srv.counts
    assert files(engine, wr_id) == [
        (1, "attachment", 0, HWP_NAME, "stored", sha(HWP)),  # the name from Content-Disposition
        (1, "attachment", 1, "사진.jpg", "stored", sha(JPG)),
        (1, "image", 0, "chart_1.png", "stored", sha(PNG1)),
        (1, "image", 1, "chart_2.png", "stored", sha(PNG2)),
        (1, "image", 2, "elsewhere.png", "skipped", None),  # another host: recorded only
    ]
    assert other.counts["static"] == 0
    post = board.live(wr_id)
    assert post is not None and [a.downloads for a in post.attachments] == [1, 1]
    stored = blob_files(tmp_path)
    assert stored[sha(HWP)] == HWP and stored[sha(PNG2)] == PNG2
    run = last_run(engine)
    fetched = first_counts["download"] + first_counts["static"]
    assert run.files_downloaded == fetched == len(stored)  # every file once (logo included)
    assert run.bytes_downloaded == sum(len(b) for b in stored.values())
    assert run.files_skipped == 1
    assert "files downloaded" in first.stdout

    # Nothing changed: not one download, no blob, no version.
    versions = version_count(engine)
    srv.reset_counts()
    again = crawl(tmp_path, db_url, srv.list_url)
    assert again.returncode == 0, again.stderr[-3000:]
    assert (srv.counts["download"], srv.counts["static"], srv.counts["view"]) == (
        0,
        0,
        len(board.live_ids()),
    )
    assert (last_run(engine).files_downloaded, last_run(engine).bytes_downloaded) == (0, 0)
    assert blob_files(tmp_path) == stored and version_count(engine) == versions
    post = board.live(wr_id)
    assert post is not None and [a.downloads for a in post.attachments] == [1, 1]

    # The photo is uploaded again, a file is added; another post loses its only file.
    clock.advance(minutes=2)
    board.replace_attachment(wr_id, 1, content=JPG2)
    board.add_attachment(wr_id, "추가 자료.pdf", PDF)
    single = next(p for p in board.posts() if len(p.attachments) == 1 and not p.secret)
    board.remove_attachment(single.wr_id, single.attachments[0].no)
    srv.reset_counts()
    third = crawl(tmp_path, db_url, srv.list_url)
    assert third.returncode == 0, third.stderr[-3000:]
    assert (srv.counts["download"], srv.counts["static"]) == (2, 0)
    assert files(engine, wr_id)[5:] == [
        (2, "attachment", 0, HWP_NAME, "stored", sha(HWP)),  # the same entry: no download
        (2, "attachment", 1, "사진.jpg", "stored", sha(JPG2)),
        (2, "attachment", 2, "추가 자료.pdf", "stored", sha(PDF)),
        (2, "image", 0, "chart_1.png", "stored", sha(PNG1)),
        (2, "image", 1, "chart_2.png", "stored", sha(PNG2)),
        (2, "image", 2, "elsewhere.png", "skipped", None),
    ]
    changed = changed_in_second_versions(engine)
    assert changed == {str(wr_id): ["attachments"], str(single.wr_id): ["attachments"]}
    assert last_run(engine).files_downloaded == 2

    # The CLI: history and diff name the change, attachments lists the files, blob gets one.
    cfg = str(tmp_path / "boards.toml")
    hist = cli(tmp_path, db_url, "history", "press", str(wr_id), "-c", cfg)
    assert hist.returncode == 0, hist.stderr
    assert "~ 사진.jpg" in hist.stdout and "+ 추가 자료.pdf" in hist.stdout
    shown = cli(tmp_path, db_url, "diff", "press", str(wr_id), "-c", cfg)
    assert "attachments:" in shown.stdout and "(replaced)" in shown.stdout
    gone = cli(tmp_path, db_url, "diff", "press", str(single.wr_id), "-c", cfg)
    assert f"- {single.attachments[0].name}" in gone.stdout
    listing = cli(tmp_path, db_url, "attachments", "press", str(wr_id), "-c", cfg)
    assert listing.returncode == 0, listing.stderr
    assert sha(JPG2) in listing.stdout and HWP_NAME in listing.stdout
    assert "other host" in listing.stdout
    out = tmp_path / "photo.jpg"
    got = cli(tmp_path, db_url, "blob", sha(JPG2), "-o", str(out), "-c", cfg)
    assert got.returncode == 0, got.stderr
    assert out.read_bytes() == JPG2
    piped = subprocess.run(
        [sys.executable, "-m", "board_archive.cli", "blob", sha(HWP)[:12], "-o", "-", "-c", cfg],
        env={**os.environ, "DATABASE_URL": db_url},
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    assert piped.returncode == 0 and piped.stdout == HWP
    missing = cli(tmp_path, db_url, "blob", "0" * 64, "-o", "-", "-c", cfg)
    assert missing.returncode == 1 and "not in the store" in missing.stderr


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("skin", "charset", "disposition"),
    [("basic", "utf-8", "rfc5987"), ("legacy", "euc-kr", "cp949"), ("basic", "utf-8", "utf-8")],
)
def test_names_from_every_content_disposition(
    tmp_path: Path, db_url: str, engine: Engine, skin: str, charset: str, disposition: str
) -> None:
    board = Board()
    wr_id = board.add_post("이름", "<p>본문</p>", attachments=[Attachment(HWP_NAME, HWP)])
    srv = DemoServer(board, skin=skin, charset=charset, disposition=disposition)  # type: ignore[arg-type]
    with srv:
        result = crawl(tmp_path, db_url, srv.list_url)
    assert result.returncode == 0, result.stderr[-3000:]
    assert files(engine, wr_id) == [(1, "attachment", 0, HWP_NAME, "stored", sha(HWP))]
    with Session(engine) as s:
        v = s.scalars(select(PostVersion)).one()
    assert v.attachments[0][2]  # the upload time as the skin shows it


def test_a_refused_download_is_recorded_and_tried_again(
    tmp_path: Path,
    db_url: str,
    engine: Engine,
    board: Board,
    other: DemoServer,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    srv = DemoServer(board).start()
    request.addfinalizer(srv.stop)
    wr_id = add_post_with_files(board, srv, other)
    # the board forgets which posts the session opened: every download is refused
    real_has = srv.sessions.has
    monkeypatch.setattr(
        srv.sessions,
        "has",
        lambda sid, flag: not flag.startswith("ss_view") and real_has(sid, flag),
    )
    result = crawl(tmp_path, db_url, srv.list_url)
    assert result.returncode == 0, result.stderr[-3000:]
    assert srv.counts["download"] > 0
    monkeypatch.undo()
    refused = [r for r in files(engine, wr_id) if r[1] == "attachment"]
    assert [r[4:] for r in refused] == [("refused", None), ("refused", None)]
    with Session(engine) as s:
        reasons = set(s.scalars(select(VersionFile.reason).where(VersionFile.status == "refused")))
    assert reasons == {"the board refused: 잘못된 접근입니다."}
    assert sha(HWP) not in blob_files(tmp_path)  # the alert page is never the file

    assert crawl(tmp_path, db_url, srv.list_url).returncode == 0
    assert [r[3:] for r in files(engine, wr_id) if r[1] == "attachment"] == [
        (HWP_NAME, "stored", sha(HWP)),
        ("사진.jpg", "stored", sha(JPG)),
    ]


def test_size_limits(tmp_path: Path, db_url: str, engine: Engine) -> None:
    board = Board()
    huge = board.add_post("60MB", attachments=[Attachment("huge.zip", size=60 << 20, seed=1)])
    # shown as "50.0M", so it is tried, and Scrapy cuts it off at max_file_size (50 MB)
    big = board.add_post("50MB+", attachments=[Attachment("big.zip", size=(50 << 20) + 40_000)])
    small = board.add_post("small", attachments=[Attachment("small.txt", b"ok")])
    with DemoServer(board) as srv:
        result = crawl(tmp_path, db_url, srv.list_url)
        assert result.returncode == 0, result.stderr[-3000:]
        assert srv.counts["download"] == 2  # not the 60 MB one
    [(_, _, _, _, status, digest)] = files(engine, small)
    assert (status, digest) == ("stored", sha(b"ok"))
    with Session(engine) as s:
        why = dict(s.execute(select(VersionFile.name, VersionFile.reason)).all())
    assert why["huge.zip"] == "too large: 60.0M shown, max_file_size is 52428800 bytes"
    assert why["big.zip"] == "too large: over max_file_size (52428800 bytes)"
    assert [r[4] for r in files(engine, huge) + files(engine, big)] == ["skipped", "skipped"]
    assert last_run(engine).files_skipped == 2


def test_the_run_byte_limit(tmp_path: Path, db_url: str, engine: Engine) -> None:
    board = Board()
    ids = [
        board.add_post(f"글 {i}", attachments=[Attachment(f"{i}.bin", size=200_000, seed=i)])
        for i in range(3)
    ]
    with DemoServer(board) as srv:
        cfg = write_config(tmp_path, srv.list_url, extra='max_run_bytes = "500K"\n')
        args = ["crawl", "press", "--full", "-c", str(cfg), "--log-level", "WARNING"]
        assert cli(tmp_path, db_url, *args).returncode == 0
        statuses = sorted(files(engine, i)[0][4] for i in ids)
        assert statuses == ["skipped", "stored", "stored"]
        run = last_run(engine)
        assert (run.files_downloaded, run.files_skipped) == (2, 1)
        assert run.bytes_downloaded == 400_000
        # the next run fetches what this one left
        assert cli(tmp_path, db_url, *args).returncode == 0
        assert srv.counts["download"] == 3
    assert sorted(files(engine, i)[0][4] for i in ids) == ["stored"] * 3


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_images_of_other_hosts_when_asked(
    tmp_path: Path, db_url: str, engine: Engine, other: DemoServer
) -> None:
    board = Board()
    with DemoServer(board) as srv:
        wr_id = add_post_with_files(board, srv, other)
        cfg = write_config(tmp_path, srv.list_url, extra="fetch_external_images = true\n")
        args = ["crawl", "press", "--full", "-c", str(cfg), "--log-level", "WARNING"]
        # "another host" is on loopback here, which HostGuard lets through only when told
        allowed = {"BOARD_ARCHIVE_ALLOWED_HOSTS": f"127.0.0.1:{other.port}"}
        assert cli(tmp_path, db_url, *args, env=allowed).returncode == 0
    assert files(engine, wr_id)[-1] == (1, "image", 2, "elsewhere.png", "stored", sha(EXTERNAL))
    assert other.counts["static"] == 1


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_hostile_names_never_become_paths(tmp_path: Path, db_url: str, engine: Engine) -> None:
    board = Board()
    names = ["../../../escape.txt", "..\\..\\win.ini", "/etc/passwd", "bell\x07\x1b[2J.txt"]
    wr_id = board.add_post(
        "이름", attachments=[Attachment(n, f"data {i}".encode()) for i, n in enumerate(names)]
    )
    work = tmp_path / "work"
    work.mkdir()
    before = {p for p in tmp_path.rglob("*")}
    with DemoServer(board, disposition="rfc5987") as srv:
        result = crawl(work, db_url, srv.list_url)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = files(engine, wr_id)
    assert [r[4:] for r in rows] == [("stored", sha(f"data {i}".encode())) for i in range(4)]
    assert [r[3] for r in rows][:3] == names[:3]  # kept as the board sent them, as data
    assert rows[3][3] == "bell\ufffd\ufffd[2J.txt"  # control characters never stored
    created = {p for p in tmp_path.rglob("*")} - before
    blobs = work / "var" / "blobs"
    outside = {p.name for p in created if not p.is_relative_to(work)}
    assert outside <= {"archive.sqlite3-wal", "archive.sqlite3-shm"}  # the test's database
    stored = [p for p in created if p.is_file() and p.is_relative_to(blobs)]
    assert sorted(p.name for p in stored) == sorted(sha(f"data {i}".encode()) for i in range(4))
    assert not (tmp_path / "escape.txt").exists() and not Path("/escape.txt").exists()
    listing = cli(work, db_url, "attachments", "press", str(wr_id), "-c", str(work / "boards.toml"))
    assert listing.returncode == 0 and "\x07" not in listing.stdout and "\x1b" not in listing.stdout
