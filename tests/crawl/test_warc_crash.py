"""kill -9 of a crawl while it runs, and the WARC files it leaves (``crawler/warc.py``).

The real ``board-archive crawl`` command and its crawl process, killed together with SIGKILL
(the process group, as when a machine's OOM killer or power takes both) after view pages were
fetched and at least one batch of versions was committed. Then: every WARC file of the board
reads up to its last whole record (a gzip member cut short can only be the last thing in a
file), every version points at a whole ``response`` record of its post's page holding the raw
page the version was read from, the next crawl succeeds in a file of its own (the damaged one
is not appended to, ``warcio check`` passes on the new one), and ``board-archive export
--warc`` exports every whole record, naming the file and offset of an incomplete last record
in a note (exit 0) and of a record damaged inside a file as unreadable (exit 1).

A file cut at any byte (``archive.warcindex``, ``archive.warcexport``): indexed and exported up
to its cut, the cut named. (The indexer once failed on cuts inside a record's headers.)
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import signal
import subprocess
import sys
import time
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator

from archive.models import CrawlRun, Post, PostVersion, RunStatus
from archive.warcexport import export_warc
from archive.warcfiles import Exchange, WarcFiles
from archive.warcindex import entries, index_path
from board_archive.demoboard import DemoServer, generate_board
from tests.archive.test_warcfiles import warcio_check
from tests.crawl.test_end_to_end import cli
from tests.faults.helpers import version_count

pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")

START = datetime(2026, 11, 2, 17, 30, tzinfo=UTC)  # 02:30 in Seoul
VIEWS_BEFORE_KILL = 60
BIG = 30 * 1024 * 1024  # an attachment's bytes (random: its record is as large)
LARGE_UNDER_WAY = 3 * 1024 * 1024  # WARC bytes past those of the pages: the record is written


def members(data: bytes) -> tuple[list[tuple[int, int]], int]:
    """(offset, length) of each whole gzip member from the start, and where they end."""
    found: list[tuple[int, int]] = []
    at = 0
    while at < len(data):
        d = zlib.decompressobj(wbits=31)
        try:
            d.decompress(data[at:])
        except zlib.error:
            break
        if not d.eof:
            break
        length = len(data) - at - len(d.unused_data)
        found.append((at, length))
        at += length
    return found, at


def is_cut_member(tail: bytes) -> bool:
    """``tail`` is the beginning of a gzip member, cut short (what a kill leaves)."""
    d = zlib.decompressobj(wbits=31)
    try:
        d.decompress(tail)
    except zlib.error:
        return False
    return not d.eof


def read_file(path: Path) -> tuple[list[tuple[str, int]], bool]:
    """Type and offset of the records ArchiveIterator reads from ``path``, and whether it
    stopped at one it could not parse."""
    got: list[tuple[str, int]] = []
    with path.open("rb") as fh:
        it = ArchiveIterator(fh)
        try:
            for r in it:
                r.content_stream().read()
                got.append((r.rec_type, it.get_record_offset()))
        except Exception:
            return got, True
    return got, False


def archived(path: Path) -> int:
    """Response and revisit records in ``path``, a whole file."""
    got, stopped = read_file(path)
    assert not stopped, path
    return sum(kind in ("response", "revisit") for kind, _ in got)


def record_at(folder: Path, version: PostVersion) -> tuple[str, str | None, bytes]:
    """Type, URI and payload of the record a version points at; it is one whole gzip member."""
    assert version.warc_file is not None
    assert version.warc_offset is not None and version.warc_length is not None
    with (folder / version.warc_file).open("rb") as fh:
        fh.seek(version.warc_offset)
        member = fh.read(version.warc_length)
    assert members(member) == ([(0, version.warc_length)], version.warc_length)
    [record] = [
        (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
        for r in ArchiveIterator(io.BytesIO(member))
    ]
    return record


def check_pointers(engine: Engine, folder: Path) -> int:
    """Every version points at a whole response record of its page, holding its raw page."""
    with Session(engine) as s:
        rows = s.execute(select(Post.url, PostVersion).join(PostVersion)).all()
    for url, version in rows:
        kind, uri, payload = record_at(folder, version)
        assert (kind, uri) == ("response", url), (url, version.warc_file, version.warc_offset)
        assert version.raw_page is not None and payload == zlib.decompress(version.raw_page)
    return len(rows)


def start(tmp_path: Path, db_url: str, url: str, now: datetime) -> subprocess.Popen[str]:
    """``board-archive crawl press --full`` in a process group of its own."""
    config = tmp_path / "boards.toml"
    config.write_text(
        f'[archive]\ndata_dir = "{tmp_path / "var"}"\n'
        f'[boards.press]\nurl = "{url}"\ndelay = 0.01\nconcurrency = 4\n',
        encoding="utf-8",
    )
    args = ["crawl", "press", "-c", str(config), "--full", "--log-level", "WARNING"]
    env = {**os.environ, "DATABASE_URL": db_url, "NO_COLOR": "1"}
    env["BOARD_ARCHIVE_FAKE_NOW"] = now.isoformat()
    return subprocess.Popen(
        [sys.executable, "-m", "board_archive.cli", *args],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def crawl_pid(command: subprocess.Popen[str]) -> int | None:
    children = Path(f"/proc/{command.pid}/task/{command.pid}/children")
    pids = children.read_text().split() if children.exists() else []
    return int(pids[0]) if pids else None


def gone(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, ProcessLookupError):
        return True


def test_a_crawl_killed_mid_run_leaves_readable_warc_and_no_dangling_pointer(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    board = generate_board(150, seed=15)
    folder = tmp_path / "var" / "warc" / "press"
    with DemoServer(board) as srv:
        # the crawl cannot end before the kill: the oldest post's view page does not answer
        # until pages were fetched and a batch committed; then it does, with an attachment so
        # large its record takes a while to write, and the kill comes while it is written
        oldest = min(p.wr_id for p in board.posts() if not p.secret)
        board.add_attachment(oldest, "자료집.zip", random.Random(1).randbytes(BIG))
        srv.faults.add("hang", f"wr_id={oldest}$", seconds=20)
        command = start(tmp_path, db_url, srv.list_url, START)
        deadline, pid = time.monotonic() + 120, None
        try:
            while srv.counts.get("view", 0) < VIEWS_BEFORE_KILL or version_count(engine) < 1:
                assert command.poll() is None, command.communicate()[0][-3000:]
                assert time.monotonic() < deadline, srv.counts
                pid = pid or crawl_pid(command)
                time.sleep(0.02)
            srv.faults.clear()
            srv.faults.released.set()  # its answer ends; the crawl asks again (a retry)
            while sum(p.stat().st_size for p in folder.glob("*.warc.gz")) < LARGE_UNDER_WAY:
                assert command.poll() is None, command.communicate()[0][-3000:]
                assert time.monotonic() < deadline, srv.counts
                time.sleep(0.005)
            pid = pid or crawl_pid(command)
            os.killpg(command.pid, signal.SIGSTOP)  # held as it is: what the kill will leave
        finally:
            os.killpg(command.pid, signal.SIGKILL)  # the command and its crawl process at once
        command.communicate(timeout=60)
        assert command.returncode == -signal.SIGKILL and pid is not None
        deadline = time.monotonic() + 30
        while not gone(pid):
            assert time.monotonic() < deadline, "the crawl process outlived its kill"
            time.sleep(0.05)
        views_at_kill = srv.counts["view"]
        killed = sorted(folder.glob("*.warc.gz"))
        assert killed and not any(index_path(p).exists() for p in killed)  # never closed

        # every file reads up to its last whole record; only a last member may be cut short
        tails: dict[Path, int] = {}
        whole_records = 0
        for path in killed:
            data = path.read_bytes()
            found, end = members(data)
            if end < len(data):
                assert is_cut_member(data[end:]), (path, end, len(data))
                tails[path] = end
            # ArchiveIterator reads every whole record; the cut one it reads short or fails on
            got, stopped = read_file(path)
            offsets = [offset for _, offset in got]
            assert offsets[: len(found)] == [offset for offset, _ in found], path
            assert offsets[len(found) :] in ([], [end]) and got[0][0] == "warcinfo", path
            assert path in tails or (len(got), stopped) == (len(found), False), path
            whole_records += sum(k in ("response", "revisit") for k, _ in got[: len(found)])
            prefix = tmp_path / f"prefix-{path.name}"
            prefix.write_bytes(data[:end])
            assert warcio_check(prefix).returncode == 0, path
            prefix.unlink()
        assert len(tails) == 1  # the large record, cut short by the kill
        # every version committed before the kill points at a whole record of its page
        assert check_pointers(engine, folder) >= 1
        digests = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in killed}

        again = start(tmp_path, db_url, srv.list_url, START + timedelta(hours=1))
        out, _ = again.communicate(timeout=240)
        assert again.returncode == 0, out[-3000:]
    with Session(engine) as s:
        runs = list(s.scalars(select(CrawlRun).order_by(CrawlRun.id)))
    assert [r.status for r in runs] == [RunStatus.INTERRUPTED, RunStatus.SUCCEEDED], runs
    new = sorted(set(folder.glob("*.warc.gz")) - set(killed))
    assert new  # the next crawl writes a file of its own, never after a cut record
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in killed} == digests
    for path in new:
        assert warcio_check(path).returncode == 0, path
        assert index_path(path).exists()
        whole_records += archived(path)
    assert check_pointers(engine, folder) > views_at_kill // 2

    # export: every whole record; an incomplete last record named in a note, exit 0
    wide = {"COLUMNS": "1000"}  # one line each, however long the test's folder
    exported = cli(tmp_path, db_url, "export", "press", "--warc", "out", env=wide)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    notes = [ln for ln in exported.stderr.splitlines() if ln.startswith("note: ")]
    assert len(notes) == len(tails), exported.stderr
    for path, end in tails.items():
        assert any(f"{path} at offset {end}: " in n for n in notes), (path, end, notes)
    assert "unreadable" not in exported.stderr
    [out_file] = (tmp_path / "out").glob("press-*.warc.gz")
    assert warcio_check(out_file).returncode == 0
    assert archived(out_file) == whole_records

    # a record damaged inside the killed file: named with its file and offset, the rest out
    damaged = killed[0]
    line = next(ln for ln in index_path(damaged).read_text().splitlines() if "wr_id=" in ln)
    offset = int(line.split('"offset": "')[1].split('"')[0])
    cut = bytearray(damaged.read_bytes())
    cut[offset + 60 : offset + 80] = bytes(20)
    damaged.write_bytes(bytes(cut))
    broken = cli(tmp_path, db_url, "export", "press", "--warc", "out2", env=wide)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert f"left out, unreadable: {damaged} at offset {offset}: " in broken.stderr
    [out_file] = (tmp_path / "out2").glob("press-*.warc.gz")
    assert archived(out_file) == whole_records - 1


def exchange(i: int) -> Exchange:
    body = f"<html><title>보도자료 {i}</title><p>{'본문 ' * 300}{i}</p></html>".encode()
    return Exchange(
        url=f"http://127.0.0.1/bbs/board.php?bo_table=press&wr_id={i}",
        fetched_at=START,
        status=200,
        reason="OK",
        response_headers=[("Content-Type", "text/html; charset=utf-8"), ("Set-Cookie", "a=b")],
        body=body,
        request_headers=[("Host", "127.0.0.1"), ("User-Agent", "board-archive (test)")],
    )


def test_a_file_cut_at_any_byte_is_indexed_and_exported_up_to_its_cut(tmp_path: Path) -> None:
    source = tmp_path / "source"
    with WarcFiles(source, "press") as warc:
        for i in range(3):
            warc.write(exchange(i))
    [path] = source.glob("*.warc.gz")
    data = path.read_bytes()
    found, end = members(data)
    assert end == len(data) and len(found) == 7  # warcinfo, then a response and its request
    starts = [offset for offset, _ in found]
    # every byte of each member's headers (where the indexer failed), a few in its payload
    cuts = sorted(
        {c for s, n in found for c in [*range(s, s + min(n, 420), 5), s + n // 2, s + n - 1]}
    )
    for cut in cuts:
        folder = tmp_path / f"cut{cut}"
        folder.mkdir()
        (folder / path.name).write_bytes(data[:cut])
        whole = [offset for offset, length in found if offset + length <= cut]
        responses = sum(1 for k, offset in enumerate(whole) if k % 2 == 1)
        urls = [e.url for e in entries(folder)]
        assert len(urls) == responses, cut
        result = export_warc(folder, folder / "out.warc.gz")
        assert (result.records, result.unreadable) == (responses, []), cut
        last = max((s for s in starts if s <= cut), default=0)
        if cut in starts:
            assert result.cut_short == [], cut
        else:
            assert result.cut_short == [
                f"{folder / path.name} at offset {last}: the file ends in an incomplete "
                f"record ({cut - last} bytes; the crawl writing it was stopped), left out"
            ], cut
