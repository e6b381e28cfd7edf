"""Run digests sent through Apprise to a real local receiver (an http.server on 127.0.0.1).

Apprise's ``json://`` target POSTs ``{"version", "title", "message", "attachments", "type"}``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import socket
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive import items as it
from archive.config import Config, board_from_values
from archive.models import (
    CrawlRun,
    EventKind,
    Post,
    PostEvent,
    PostState,
    RunHealth,
    RunMode,
    RunStatus,
)
from archive.revisit import RevisitPolicy
from archive.store import ensure_board, ingest
from board_archive.notify import BODY_DIFF_CHARS, Digest, build_digest, notify_run, send

# Apprise loads all its plugins on first use; its e-mail plugin imports the stdlib ``imghdr``
# (for PGPy), which warns on Python 3.11. Nothing of ours uses imghdr; pytest makes warnings
# errors, so this one, and only this one, is ignored here.
pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")

T0 = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
T1 = T0 + timedelta(days=1)
BASE = "http://127.0.0.1:1/bbs/board.php?bo_table=press"
BOARD = board_from_values("press", {"url": BASE})


class Receiver:
    """A local HTTP endpoint that records the JSON it is sent and answers ``status``."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                receiver.paths.append(self.path)
                receiver.received.append(json.loads(self.rfile.read(length)))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"json://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # requests must not send it to a proxy
    rec = Receiver()
    yield rec
    rec.close()


def config(*urls: str) -> Config:
    return Config(database_url="", data_dir=Path("var"), contact_url="", boards={}, notify=urls)


def make_post(post_id: str, **changes: object) -> it.Post:
    post = it.Post(
        post_id=post_id,
        url=f"{BASE}&wr_id={post_id}",
        title=f"하늘항공, 개인정보 처리방침 개정 {post_id}",
        author="관리자",
        posted_at=datetime(2026, 11, 17, 14, 14, tzinfo=UTC),
        body_html="<p>행사는 서울 코엑스에서 사흘간 진행된다.</p>",
        body_text="행사는 서울 코엑스에서 사흘간 진행된다.",
        attachments=(it.Attachment("자료.pdf", "1.2M"),),
    )
    return dataclasses.replace(post, **changes)  # type: ignore[arg-type]


def open_run(s: Session, board_id: int, at: datetime, **fields: Any) -> int:
    values: dict[str, Any] = {
        "status": RunStatus.SUCCEEDED,
        "health": RunHealth.OK,
        "mode": RunMode.INCREMENTAL,
        "finished_at": at + timedelta(minutes=5),
        **fields,
    }
    run = CrawlRun(board_id=board_id, started_at=at, **values)
    s.add(run)
    s.flush()
    return run.id


def crawl(engine: Engine, outcomes: Sequence[it.ViewOutcome], at: datetime, **fields: Any) -> int:
    """A closed run that ingested ``outcomes``; its id."""
    with Session(engine) as s, s.begin():
        board_id = ensure_board(s, BOARD, at)
        run_id = open_run(s, board_id, at, **fields)
        if outcomes:
            ingest(s, board_id, run_id, outcomes, at, RevisitPolicy())
        return run_id


def add_event(engine: Engine, run_id: int, post_id: str, kind: EventKind, at: datetime) -> None:
    """A state event written directly, as the store records a deletion or a restore."""
    with Session(engine) as s, s.begin():
        post = s.scalars(select(Post).where(Post.source_id == post_id)).one()
        if kind == EventKind.DELETED:
            post.state, post.deleted_at = PostState.DELETED, at
        s.add(PostEvent(post_id=post.id, run_id=run_id, at=at, kind=kind))


def busy_night(engine: Engine) -> int:
    """Run 2: post 131 new, 130 edited (title and body), 129 deleted."""
    crawl(engine, [make_post("129"), make_post("130")], T0)
    edited = make_post(
        "130",
        title="하늘항공, 개인정보 처리방침 개정안 130",
        body_text="행사는 서울 코엑스에서 나흘간 열린다.",
        body_html="<p>행사는 서울 코엑스에서 나흘간 열린다.</p>",
    )
    run_id = crawl(engine, [make_post("131", title="신규 공지: 2027년 지원사업 안내"), edited], T1)
    add_event(engine, run_id, "129", EventKind.DELETED, T1)
    return run_id


def test_busy_run_sends_a_digest_of_new_edited_and_deleted(
    engine: Engine, receiver: Receiver
) -> None:
    run_id = busy_night(engine)
    assert notify_run(config(receiver.url), BOARD, engine, run_id) is True
    [got] = receiver.received
    assert receiver.paths == ["/hook"]
    assert got["title"] == "[board-archive] press: 1 new, 1 edited, 1 deleted"
    assert got["type"] == "info"
    body = got["message"]
    assert f"Run {run_id} (incremental): succeeded, health ok" in body
    new = body.index("New posts (1):")
    edited = body.index("Edited posts (1):")
    deleted = body.index("Deleted posts (1):")
    assert new < edited < deleted
    assert f"- [131] 신규 공지: 2027년 지원사업 안내\n  {BASE}&wr_id=131" in body
    assert f"- [130] 하늘항공, 개인정보 처리방침 개정안 130 (version 2)\n  {BASE}&wr_id=130" in body
    assert "  changed: title, body_text, body_html" in body
    assert "  title: 하늘항공, 개인정보 처리방침 [-개정-]{+개정안+} 130" in body
    assert "  body: 행사는 서울 코엑스에서 [-사흘간 진행된다-]{+나흘간 열린다+}." in body
    assert f"- [129] 하늘항공, 개인정보 처리방침 개정 129\n  {BASE}&wr_id=129" in body[deleted:]


def test_restored_and_other_events_are_reported(engine: Engine, receiver: Receiver) -> None:
    crawl(engine, [make_post("129"), make_post("130")], T0)
    run_id = crawl(engine, [], T1)
    add_event(engine, run_id, "129", EventKind.RESTORED, T1)
    add_event(engine, run_id, "130", EventKind.PINNED, T1)
    assert notify_run(config(receiver.url), BOARD, engine, run_id)
    [got] = receiver.received
    assert got["title"] == "[board-archive] press: 1 restored"
    assert "Restored posts (1):\n- [129] 하늘항공, 개인정보 처리방침 개정 129" in got["message"]
    assert "Other changes: pinned 1" in got["message"]


def test_quiet_healthy_run_sends_nothing(engine: Engine, receiver: Receiver) -> None:
    crawl(engine, [make_post("130")], T0)
    run_id = crawl(engine, [make_post("130", views=99)], T1)  # same content: no version
    only_pinned = crawl(engine, [], T1 + timedelta(hours=1))
    add_event(engine, only_pinned, "130", EventKind.PINNED, T1)
    with Session(engine) as s:
        assert build_digest(s, run_id) is None
        assert build_digest(s, only_pinned) is None
    assert notify_run(config(receiver.url), BOARD, engine, run_id) is True
    assert notify_run(config(receiver.url), BOARD, engine, only_pinned) is True
    assert receiver.received == []


@pytest.mark.parametrize(
    ("status", "title", "level"),
    [
        (RunStatus.FAILED, "run FAILED", "failure"),
        (RunStatus.INTERRUPTED, "run INTERRUPTED", "warning"),
    ],
)
def test_failed_or_interrupted_run_sends_its_message(
    engine: Engine, receiver: Receiver, status: RunStatus, title: str, level: str
) -> None:
    message = "list page 1: HTTP 503 from www.example.or.kr"
    run_id = crawl(engine, [], T0, status=status, health=None, message=message)
    assert notify_run(config(receiver.url), BOARD, engine, run_id) is True
    [got] = receiver.received
    assert got["title"] == f"[board-archive] press: {title}"
    assert got["type"] == level
    assert f"Message: {message}" in got["message"]
    assert "New posts" not in got["message"]


def test_suspect_run_sends_its_health_notes(engine: Engine, receiver: Receiver) -> None:
    notes = ["list page 1 had 3 rows (usually 15)", "12 view pages failed to parse"]
    run_id = crawl(
        engine, [make_post("131")], T0, health=RunHealth.SUSPECT, health_notes=notes, errors=12
    )
    assert notify_run(config(receiver.url), BOARD, engine, run_id) is True
    [got] = receiver.received
    assert got["title"] == "[board-archive] press: 1 new, health SUSPECT"
    assert got["type"] == "warning"
    assert "Health notes:\n  - list page 1 had 3 rows (usually 15)\n  - 12 view" in got["message"]
    assert "errors 12" in got["message"]


def test_long_lists_and_long_diffs_are_cut(engine: Engine) -> None:
    long_body = "가나다 " * 400
    crawl(engine, [make_post("1", body_text=long_body)], T0)
    changed = "라마바 " * 400
    run_id = crawl(
        engine,
        [make_post(str(n)) for n in range(100, 160)]
        + [make_post("1", body_text=changed, attachments=(it.Attachment("붙임.hwp", "20K"),))],
        T1,
    )
    with Session(engine) as s:
        digest = build_digest(s, run_id)
    assert digest is not None
    assert digest.title == "[board-archive] press: 60 new, 1 edited"
    new = digest.body[digest.body.index("New posts (60):") : digest.body.index("Edited posts")]
    assert new.count("\n- [1") == 50
    assert new.rstrip().endswith("… and 10 more")
    assert digest.body.endswith("\n  attachments: + 붙임.hwp (20K); - 자료.pdf (1.2M)")
    [body_line] = [line for line in digest.body.splitlines() if line.startswith("  body: ")]
    # a body replaced whole: both sides shown, each cut to half the budget
    assert body_line.startswith("  body: [-가나다 가나다")
    assert "…-]{+라마바 라마바" in body_line
    assert body_line.endswith("…+}")
    text = body_line.removeprefix("  body: ")
    for marker in ("[-", "-]", "{+", "+}"):
        text = text.replace(marker, "")
    assert len(text) <= BODY_DIFF_CHARS + 2  # and the "…"s


def test_receiver_error_gives_false_without_raising(engine: Engine, receiver: Receiver) -> None:
    receiver.status = 500
    digest = Digest(title="[board-archive] press: 1 new", body="- [1] 제목", level="info")
    assert send(digest, [receiver.url]) is False
    assert len(receiver.received) == 1  # it was tried
    run_id = busy_night(engine)
    assert notify_run(config(receiver.url), BOARD, engine, run_id) is False


def test_unreachable_receiver_gives_false(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert send(Digest("t", "b"), [f"json://127.0.0.1:{port}/hook"]) is False


def test_invalid_url_is_skipped_and_the_rest_delivered(
    receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="board_archive.notify")
    digest = Digest(
        title="[board-archive] press: run FAILED", body="Message: 안녕", level="failure"
    )
    assert send(digest, ["nosuchservice://secret-token@host", receiver.url]) is False
    [got] = receiver.received
    assert (got["title"], got["message"], got["type"]) == (digest.title, digest.body, "failure")
    [record] = [r for r in caplog.records if r.name == "board_archive.notify"]
    assert "URL 1 of 2 (nosuchservice://…) is not a valid Apprise URL; skipped" in record.message
    assert "secret-token" not in record.message
    assert send(digest, ["not a url"]) is False
    assert len(receiver.received) == 1


def test_no_urls_or_unknown_run_never_raise(engine: Engine, receiver: Receiver) -> None:
    run_id = busy_night(engine)
    assert notify_run(config(), BOARD, engine, run_id) is True  # nowhere to send
    assert notify_run(config(receiver.url), BOARD, engine, run_id + 1000) is False
    assert receiver.received == []
