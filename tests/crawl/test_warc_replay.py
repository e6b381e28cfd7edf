"""The export in a real replay tool: pywb (from PyPI) serves a board's exported WARC file and
its WACZ package, and Chromium opens a post's archived view page through it at the time of
its first version and of its edited one, with the demo board already shut down.

pywb 2.x pins packages that conflict with the project's, so it lives in a virtualenv of its
own, ``.venv-pywb`` (``.ci/run`` makes it); ``$BOARD_ARCHIVE_PYWB`` names another ``wayback``.
Without it (or without Chromium) the test skips, except under CI (``$CI`` set), where that
is a failure.
"""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator

from archive.models import Post, PostVersion
from board_archive.demoboard import DemoServer, generate_board
from tests.conftest import free_port
from tests.crawl.test_end_to_end import cli, crawl
from tests.web.test_browser import _unavailable, browser  # noqa: F401 (the fixture)

PYWB = "BOARD_ARCHIVE_PYWB"
PYWB_VERSION = "2.10.0"  # the one .ci/run installs
REPO = Path(__file__).resolve().parents[2]
INSTALL = f"python3 -m venv .venv-pywb && .venv-pywb/bin/pip install pywb=={PYWB_VERSION}"

FIRST = ("봄 학술대회 참가 신청 안내", "첫 판 본문: 참가 신청은 3월 31일까지 받습니다.")
LATER = ("봄 학술대회 장소 변경 공지", "고친 본문: 장소가 본관 대강당으로 바뀌었습니다.")


def wayback_command() -> Path:
    """pywb's ``wayback``: ``$BOARD_ARCHIVE_PYWB`` or the repository's ``.venv-pywb``."""
    path = Path(os.environ.get(PYWB) or REPO / ".venv-pywb" / "bin" / "wayback")
    if not path.exists():
        _unavailable(f"pywb's wayback not found at {path}: {INSTALL} (or set ${PYWB})")
    return path


def run(command: list[str | Path], cwd: Path) -> None:
    done = subprocess.run(
        [str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"{command}: {done.stdout[-2000:]}{done.stderr[-2000:]}"


@contextmanager
def wayback(exe: Path, root: Path) -> Iterator[str]:
    """``wayback`` serving ``root``'s collections on 127.0.0.1; its address. Always stopped."""
    port = free_port()
    with (root / "wayback.log").open("wb") as log:
        proc = subprocess.Popen(
            [str(exe), "--bind", "127.0.0.1", "--port", str(port)],
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                assert proc.poll() is None, (root / "wayback.log").read_text()[-3000:]
                try:
                    with urllib.request.urlopen(url + "/", timeout=5) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "wayback did not answer in 60 s"
                time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def stamp(when: datetime) -> str:
    """A capture time as pywb's URLs take it (14 digits, UTC)."""
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def versions(engine: Engine, url: str) -> list[PostVersion]:
    """The versions of the post at ``url``, oldest first."""
    with Session(engine) as s:
        query = select(PostVersion).join(Post).where(Post.url == url)
        return list(s.scalars(query.order_by(PostVersion.number)))


def shown(chromium: Any, base: str, coll: str, when: str, url: str) -> tuple[str, str]:
    """What Chromium shows of pywb's replay of ``url`` as of ``when``, in pywb's frame (its
    usual view, ``/COLL/TIMESTAMP/URL``): the capture's Memento-Datetime and the page's text."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        replayed = f"/{coll}/{when}mp_/{url}"  # what the frame loads: the archived page itself
        with page.expect_response(lambda r: r.url.endswith(replayed)) as caught:
            top = page.goto(f"{base}/{coll}/{when}/{url}", wait_until="load")
        assert top is not None and top.status == 200, (coll, when, url)
        response = caught.value
        assert response.status == 200, (coll, when, url, response.status)
        frame = response.frame
        frame.wait_for_load_state("load")
        return response.headers.get("memento-datetime", ""), str(frame.inner_text("body"))
    finally:
        context.close()


def warc_date(folder: Path, version: PostVersion) -> str:
    """The capture time (pywb's 14 digits) of the record ``version`` was read from."""
    assert version.warc_file is not None and version.warc_offset is not None
    with (folder / version.warc_file).open("rb") as fh:
        fh.seek(version.warc_offset)
        record = next(iter(ArchiveIterator(fh)))
    date = datetime.fromisoformat(record.rec_headers.get_header("WARC-Date"))
    return stamp(date)


def memento(header: str) -> str:
    return stamp(datetime.strptime(header, "%a, %d %b %Y %H:%M:%S GMT"))


def test_pywb_replays_the_first_and_the_edited_version_of_a_post(
    tmp_path: Path,
    db_url: str,
    engine: Engine,
    browser: Any,  # noqa: F811 (the fixture imported above)
) -> None:
    exe = wayback_command()
    board = generate_board(20, seed=5)
    readable = [p for p in board.posts() if not p.notice and not p.secret]
    post = readable[0]
    # a page the edit leaves as it was: not the post, nor its neighbours (whose titles it links)
    other = next(p for p in readable[::-1] if post not in (p, *board.neighbours(p.wr_id)))
    board.edit_post(post.wr_id, title=FIRST[0], body_html=f"<p>{FIRST[1]}</p>")
    with DemoServer(board, count_views=False) as srv:
        first = crawl(tmp_path, db_url, srv.list_url)
        assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-3000:]
        board.edit_post(post.wr_id, title=LATER[0], body_html=f"<p>{LATER[1]}</p>")
        again = crawl(tmp_path, db_url, srv.list_url)  # --full: every page fetched again
        assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-3000:]
        view, unchanged = srv.view_url(post.wr_id), srv.view_url(other.wr_id)
    # the board is down now: whatever the browser shows, pywb serves from the export
    exported = cli(tmp_path, db_url, "export", "press", "--warc", "out", "--wacz", "press.wacz")
    assert exported.returncode == 0, exported.stdout + exported.stderr
    [warc] = (tmp_path / "out").glob("press-*.warc.gz")
    replay = tmp_path / "pywb"
    replay.mkdir()
    for coll in ("warc", "wacz"):
        run([exe.with_name("wb-manager"), "init", coll], replay)
    run([exe.with_name("wb-manager"), "add", "warc", warc], replay)
    run(
        [exe.with_name("wb-manager"), "add", "--unpack-wacz", "wacz", tmp_path / "press.wacz"],
        replay,
    )
    folder = tmp_path / "var" / "warc" / "press"
    with warc.open("rb") as fh:
        kinds = {
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r in ArchiveIterator(fh)
        }
    assert {("response", view), ("response", unchanged), ("revisit", unchanged)} <= kinds
    assert ("revisit", view) not in kinds
    first_at, later_at = (warc_date(folder, v) for v in versions(engine, view))
    assert first_at < later_at
    [unchanged_version] = versions(engine, unchanged)  # the same page both nights

    with wayback(exe, replay) as base:
        for coll in ("warc", "wacz"):
            for when, (title, body), (old_title, old_body) in (
                (first_at, FIRST, LATER),
                (later_at, LATER, FIRST),
            ):
                captured, text = shown(browser, base, coll, when, view)
                assert title in text and body in text, (coll, when, text[:1000])
                assert old_title not in text and old_body not in text, (coll, when)
                assert memento(captured) == when, (coll, when, captured)
            # the second night's fetch of a page that did not change is a revisit: pywb
            # finds the payload in the first night's record
            captured, text = shown(browser, base, coll, later_at, unchanged)
            assert other.title in text, (coll, text[:1000])
            assert memento(captured) > warc_date(folder, unchanged_version), (coll, captured)
