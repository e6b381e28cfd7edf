"""An archive made before WARC recording (issue 15, migration): its versions point at no WARC
record and keep their raw page in the database (as Alembic 0010 leaves them). It keeps working:
the next crawl archives as usual, and ``board-archive export`` writes each earlier raw page as a
``resource`` record (its URL, its fetch time, the page's bytes), next to the records of the
fetches made since; ``warcio check`` and ``wacz validate`` pass."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.request
import zipfile
import zlib
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator

from archive.models import Post, PostVersion
from board_archive.demoboard import DemoServer, generate_board
from tests.archive.test_warcfiles import warcio_check
from tests.crawl.test_end_to_end import cli, crawl
from tests.crawl.test_warc_replay import run, wayback, wayback_command

pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")


def versions(engine: Engine) -> list[tuple[str, PostVersion]]:
    with Session(engine) as s:
        query = select(Post.url, PostVersion).join(PostVersion).order_by(PostVersion.id)
        return [(url, v) for url, v in s.execute(query)]


def stamp(version: PostVersion) -> str:
    return version.fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def records(path: Path) -> list[tuple[str, str, str, str, bytes]]:
    """(type, URI, WARC-Date, Content-Type, payload) of every record but warcinfo."""
    out = []
    with path.open("rb") as fh:
        for r in ArchiveIterator(fh):
            if r.rec_type != "warcinfo":
                h = r.rec_headers
                out.append(
                    (
                        r.rec_type,
                        h.get_header("WARC-Target-URI"),
                        h.get_header("WARC-Date"),
                        h.get_header("Content-Type"),
                        r.content_stream().read(),
                    )
                )
    return out


def test_pages_archived_before_warc_recording_export_as_resource_records(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    board = generate_board(12, seed=7)
    post = next(p for p in board.posts() if not p.secret and not p.notice)
    title = post.title
    with DemoServer(board, count_views=False) as srv:
        first = crawl(tmp_path, db_url, srv.list_url)
        assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-3000:]
        # the archive as it was before WARC recording: no WARC files, no version points at one
        shutil.rmtree(tmp_path / "var" / "warc")
        with Session(engine) as s:
            s.execute(
                update(PostVersion).values(warc_file=None, warc_offset=None, warc_length=None)
            )
            s.commit()
        old = versions(engine)
        assert len(old) >= 8 and all(v.raw_page for _, v in old)

        board.edit_post(post.wr_id, title="고친 제목: 장소 변경", body_html="<p>고친 본문</p>")
        again = crawl(tmp_path, db_url, srv.list_url)  # the archive keeps working
        assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-3000:]
        view = srv.view_url(post.wr_id)
    new = [(url, v) for url, v in versions(engine) if v.id not in {o.id for _, o in old}]
    assert [url for url, _ in new] == [view] and new[0][1].warc_file is not None

    exported = cli(tmp_path, db_url, "export", "press", "--warc", "out", "--wacz", "press.wacz")
    assert exported.returncode == 0, exported.stdout + exported.stderr
    assert f"{len(old)} pages archived before WARC recording" in exported.stdout
    [out] = (tmp_path / "out").glob("press-*.warc.gz")
    check = warcio_check(out)
    assert check.returncode == 0, check.stdout + check.stderr
    got = records(out)
    resources = [r for r in got if r[0] == "resource"]
    want = [
        (
            url,
            stamp(v),
            f"text/html; charset={v.raw_encoding}" if v.raw_encoding else "text/html",
            zlib.decompress(v.raw_page or b""),
        )
        for url, v in old
    ]
    assert [r[1:] for r in resources] == want  # each earlier raw page, as stored, oldest first
    # the second crawl's fetches are there as they were recorded: the edited page among them
    [(_, _, _, _, page)] = [r for r in got if r[0] == "response" and r[1] == view]
    assert "고친 제목: 장소 변경".encode() in page

    validated = subprocess.run(
        [sys.executable, "-m", "wacz", "validate", "-f", str(tmp_path / "press.wacz")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert validated.returncode == 0 and "is valid" in validated.stdout, validated.stdout
    with zipfile.ZipFile(tmp_path / "press.wacz") as z:
        pages = [json.loads(line) for line in z.read("pages/pages.jsonl").splitlines()[1:]]
    listed = {(p["url"], p["ts"]) for p in pages if not p.get("seed")}
    [(_, before)] = [(url, v) for url, v in old if url == view]
    assert (view, stamp(before)[:19] + "Z") in listed  # its page before the edit, for replay

    # pywb replays the page as it was before the edit, from its resource record
    exe = wayback_command()
    replay = tmp_path / "pywb"
    replay.mkdir()
    run([exe.with_name("wb-manager"), "init", "legacy"], replay)
    run([exe.with_name("wb-manager"), "add", "legacy", out], replay)
    when = before.fetched_at.astimezone(UTC).strftime("%Y%m%d%H%M%S")
    with (
        wayback(exe, replay) as base,
        urllib.request.urlopen(f"{base}/legacy/{when}id_/{view}", timeout=30) as answer,
    ):
        assert answer.status == 200
        replayed = answer.read()
    assert title.encode() in replayed and "고친 제목".encode() not in replayed

    # a range after the earlier pages holds none of them
    since = new[0][1].fetched_at.isoformat()
    later = cli(tmp_path, db_url, "export", "press", "--warc", "later", "--since", since)
    assert later.returncode == 0, later.stdout + later.stderr
    [out] = (tmp_path / "later").glob("press-*.warc.gz")
    assert not [r for r in records(out) if r[0] == "resource"]
