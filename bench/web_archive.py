"""A big made-up archive in PostgreSQL for ``bench/web.py``, filled with COPY (not the crawler).

4 boards share ``posts`` posts and ``versions`` versions (every post has one; the rest go to a
skewed few, up to 40 each). Korean titles and bodies of 200-1,800 characters come from common
notice words and 30,000 made-up words of Zipf-like frequency (so search terms of every frequency
exist), particles glued on as in Korean; each edit changes a few words or adds a sentence, a
fifth of them the title too. A quarter of the posts have attachments (sometimes replaced by an
edit), a fifth a body image, each with its ``version_files`` row and blob (90% stored, the rest
skipped or refused); 2% of posts deleted (with events); one observation per post; a run per
board per night for 90 nights. The search index fills through its triggers, as in production.

Two passes over a per-post random stream keep memory small: the plan (dates, titles, files) of
every post first, then the bodies, generated while they are copied.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from archive.db import make_engine, upgrade

BOARDS = ("press", "notice", "bid", "recruit")
NOW = datetime(2026, 11, 25, 17, 30, tzinfo=UTC)
NIGHTS = 90
_COMMON = (
    "공고 안내 모집 채용 입찰 결과 발표 사업 지원 신청 접수 기간 마감 연장 변경 일정 행사 개최 "
    "교육 참가 기업 대상 선정 평가 서류 제출 문의 담당 부서 센터 지역 산업 기술 협력 과제 "
    "계약 공개 정보 개인정보 처리 방침 개정 시행 운영 시스템 점검 서비스 홈페이지 이용 회원 "
    "관련 규정 세부 내용 첨부 파일 참고 바랍니다 예정 추가 수정 취소 재공고 합격자 면접 "
    "전형 결과 공지 설명회 온라인 오프라인 장소 시간 주최 주관 후원 협약 체결 성과 보고 "
    "예산 집행 구매 용역 물품 견적 제안서 심사 위원 위촉 명단 연구 개발 인력 양성 창업 "
    "투자 유치 수출 상담회 박람회 전시회 홍보 보도자료 언론 취재 인터뷰 기념식 수상 축하"
)
COMMON = _COMMON.split()
PARTICLES = ("", "", "", "을", "를", "이", "가", "은", "는", "의", "에", "에서", "으로", "과", "와")
SYLLABLES = (
    "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허고노도로모보소오조초코토포호"
    "구누두루무부수우주추쿠투푸후기니디리미비시이지치키티피히강산림천해운성동서남북중신정원"
    "명진수영민준현우재석"
)


class Corpus:
    """Text: common words often, made-up words by a Zipf-like law."""

    def __init__(self, rng: random.Random) -> None:
        made: set[str] = set()
        while len(made) < 30_000:
            made.add("".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4)))))
        rare = sorted(made)
        rng.shuffle(rare)
        self.vocab = COMMON + rare
        weights = [40.0] * len(COMMON) + [1.0 / (i + 1) ** 0.9 for i in range(len(rare))]
        total, acc = sum(weights), 0.0
        self.cum: list[float] = []
        for w in weights:
            acc += w / total
            self.cum.append(acc)

    def words(self, rng: random.Random, n: int) -> list[str]:
        picked = rng.choices(self.vocab, cum_weights=self.cum, k=n)
        return [w + rng.choice(PARTICLES) for w in picked]

    def sentence(self, rng: random.Random) -> str:
        return " ".join(self.words(rng, rng.randint(5, 13))) + "."

    def body(self, rng: random.Random) -> list[str]:
        """Paragraphs of 200 to 1,800 characters in all."""
        target, size, paragraphs = rng.randint(200, 1800), 0, []
        while size < target:
            p = " ".join(self.sentence(rng) for _ in range(rng.randint(1, 4)))
            paragraphs.append(p)
            size += len(p)
        return paragraphs

    def edit(self, rng: random.Random, paragraphs: list[str]) -> list[str]:
        out = list(paragraphs)
        i = rng.randrange(len(out))
        words = out[i].split(" ")
        for _ in range(rng.randint(1, 3)):
            words[rng.randrange(len(words))] = self.words(rng, 1)[0]
        out[i] = " ".join(words)
        if rng.random() < 0.3:
            out.append(self.sentence(rng))
        return out


@dataclass(slots=True)
class Version:
    fetched: datetime
    prev_seen: datetime | None
    title: str
    changed: list[str]
    attachments: list[tuple[str, str]]  # (name, size as shown)


@dataclass(slots=True)
class Plan:
    """Everything about a post but its bodies."""

    board: str
    source_id: str
    posted: datetime
    deleted: bool
    notice: bool
    image: bool
    versions: list[Version] = field(default_factory=list)


def _extra_versions(rng: random.Random, posts: int, versions: int) -> list[int]:
    """Versions beyond the first per post, skewed to a few posts, at most 39 each."""
    extra = [0] * posts
    order = list(range(posts))
    rng.shuffle(order)
    cum, acc = [], 0.0
    for i in range(posts):
        acc += 1.0 / (i + 1) ** 0.6
        cum.append(acc)
    left = versions - posts
    while left > 0:
        for k in rng.choices(order, cum_weights=cum, k=min(left, 50_000)):
            if extra[k] < 39 and left > 0:
                extra[k] += 1
                left -= 1
    return extra


def plan(corpus: Corpus, seed: int, k: int, posts: int, extra: int) -> Plan:
    rng = random.Random(f"plan {seed} {k}")
    posted = NOW - timedelta(days=1095 * (posts - k) / posts, minutes=rng.randint(0, 600))
    p = Plan(
        BOARDS[k % len(BOARDS)],
        str(k // len(BOARDS) + 1),
        posted,
        deleted=rng.random() < 0.02,
        notice=rng.random() < 0.005,
        image=rng.random() < 0.2,
    )
    title = " ".join(corpus.words(rng, rng.randint(3, 8)))
    atts = [
        (f"붙임{a + 1}.hwp", f"{rng.randint(10, 900)}K")
        for a in range(rng.choice((0,) * 6 + (1, 2)))
    ]
    fetched, prev_seen = posted + timedelta(hours=rng.randint(1, 20)), None
    changed = ["title", "author", "posted_at", "body_text", "body_html", "attachments"]
    for number in range(1, extra + 2):
        if number > 1:
            prev_seen, fetched = fetched, min(NOW, fetched + timedelta(days=rng.randint(1, 30)))
            changed = ["body_text", "body_html"]
            if rng.random() < 0.2:
                title += " (수정)"
                changed.insert(0, "title")
            if atts and rng.random() < 0.1:
                atts = [*atts[:-1], (atts[-1][0], f"{rng.randint(10, 900)}K")]
                changed.append("attachments")
        p.versions.append(Version(fetched, prev_seen, title, changed, list(atts)))
    return p


def _sha(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


def _copy(
    conn: psycopg.Connection[Any], table: str, columns: str, rows: Iterable[tuple[Any, ...]]
) -> int:
    n = 0
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)
            n += 1
    return n


def build(url: str, posts: int, versions: int, seed: int) -> None:
    """Migrate the (empty) database at ``url`` to head and fill it."""
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    rng = random.Random(seed)
    corpus = Corpus(rng)
    extra = _extra_versions(rng, posts, versions)
    plans = [plan(corpus, seed, k, posts, extra[k]) for k in range(posts)]
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as conn:
        boards = {
            name: conn.execute(
                "INSERT INTO boards (name, url, engine, created_at) VALUES (%s, %s, %s, %s) "
                "RETURNING id",
                (
                    name,
                    f"https://www.example.or.kr/bbs/board.php?bo_table={name}",
                    "gnuboard5",
                    NOW - timedelta(days=1100),
                ),
            ).fetchone()[0]
            for name in BOARDS
        }
        runs = {}
        for name, board_id in boards.items():
            for night in range(NIGHTS):
                started = NOW - timedelta(days=NIGHTS - 1 - night)
                runs[name, night] = conn.execute(
                    "INSERT INTO crawl_runs (board_id, started_at, finished_at, status, pages, "
                    "posts_seen, new_posts, new_versions, deleted_posts, errors, mode, requests, "
                    "edited_posts, restored_posts, health) VALUES (%s, %s, %s, 'succeeded', 40, "
                    "300, %s, %s, %s, 0, 'incremental', 42, %s, 0, 'ok') RETURNING id",
                    (
                        board_id,
                        started,
                        started + timedelta(minutes=4),
                        rng.randint(0, 30),
                        rng.randint(0, 60),
                        rng.randint(0, 3),
                        rng.randint(0, 25),
                    ),
                ).fetchone()[0]
        _copy(conn, "posts", POST_COLUMNS, _post_rows(plans, boards))
        conn.execute("SELECT setval(pg_get_serial_sequence('posts', 'id'), %s)", (posts,))
        t0 = time.monotonic()
        files: list[tuple[Any, ...]] = []
        n = _copy(
            conn, "post_versions", VERSION_COLUMNS, _versions(corpus, seed, plans, runs, files)
        )
        conn.execute("SELECT setval(pg_get_serial_sequence('post_versions', 'id'), %s)", (n,))
        print(
            f"  {n:,} versions copied in {time.monotonic() - t0:.0f}s (search index by triggers)",
            flush=True,
        )
        blobs = {(f[8], f[-1]) for f in files if f[8]}
        _copy(
            conn,
            "blobs",
            "sha256, size, content_type, stored_at",
            ((sha, size, None, NOW) for sha, size in blobs),
        )
        _copy(conn, "version_files", FILE_COLUMNS, (f[:-1] for f in files))
        _copy(
            conn,
            "post_events",
            "post_id, at, kind",
            ((k + 1, NOW, "deleted") for k, p in enumerate(plans) if p.deleted),
        )
        _copy(
            conn,
            "observations",
            "post_id, observed_at, views, comment_count",
            ((k + 1, NOW, rng.randint(0, 5000), rng.randint(0, 20)) for k in range(posts)),
        )
        print(f"  {len(files):,} version files, {len(blobs):,} blobs", flush=True)
        conn.commit()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


POST_COLUMNS = (
    "id, board_id, source_id, url, title, posted_at, notice, state, first_seen_at, last_seen_at, "
    "deleted_at, current_version, current_hash, last_changed_at, last_checked_at, next_check_at, "
    "checks, changes, unchanged_streak"
)
VERSION_COLUMNS = (
    "id, post_id, number, fetched_at, run_id, content_hash, title, author, category, posted_at, "
    "body_html, body_text, attachments, changed_fields, prev_seen_at"
)
FILE_COLUMNS = (
    "version_id, kind, position, entry_key, name, url, size_text, uploaded_at, sha256, status, "
    "reason, fetched_at"
)


def _post_rows(plans: list[Plan], boards: dict[str, int]) -> Iterator[tuple[Any, ...]]:
    for k, p in enumerate(plans):
        last, n = p.versions[-1], len(p.versions)
        url = f"https://www.example.or.kr/bbs/board.php?bo_table={p.board}&wr_id={p.source_id}"
        yield (
            k + 1, boards[p.board], p.source_id, url, last.title, p.posted, p.notice,
            "deleted" if p.deleted else "active", p.posted + timedelta(hours=1), NOW,
            NOW if p.deleted else None, n, _sha(k, n), last.fetched, NOW,
            NOW + timedelta(days=7), n, n - 1, 0,
        )  # fmt: skip


def _versions(
    corpus: Corpus,
    seed: int,
    plans: list[Plan],
    runs: dict[tuple[str, int], int],
    files: list[tuple[Any, ...]],
) -> Iterator[tuple[Any, ...]]:
    """Version rows with their bodies; the versions' file rows are appended to ``files``."""
    version_id = 0
    for k, p in enumerate(plans):
        rng = random.Random(f"text {seed} {k}")
        paragraphs = corpus.body(rng)
        image = f"/data/editor/{p.posted:%y%m}/{_sha(k)[:16]}.png" if p.image else None
        for number, v in enumerate(p.versions, 1):
            version_id += 1
            if number > 1:
                paragraphs = corpus.edit(rng, paragraphs)
            html = "".join(f"<p>{t}</p>" for t in paragraphs)
            if image:
                html = f'<p><img src="{image}" alt="{v.title[:20]}"></p>' + html
            night = NIGHTS - 1 - (NOW - v.fetched).days
            yield (
                version_id, k + 1, number, v.fetched, runs.get((p.board, night)), _sha(k, number),
                v.title, "담당자", None, p.posted, html, "\n\n".join(paragraphs),
                json.dumps(v.attachments, ensure_ascii=False), json.dumps(v.changed), v.prev_seen,
            )  # fmt: skip
            for position, (name, size) in enumerate(v.attachments):
                key = _sha(k, position, name, size)
                files.append(_file(version_id, "attachment", position, key, name, None, size, v))
            if image:
                url = "https://www.example.or.kr" + image
                files.append(_file(version_id, "image", 0, _sha(image), image[-20:], url, None, v))


def _file(
    version_id: int, kind: str, position: int, key: str, name: str, url: str | None,
    size_text: str | None, v: Version,
) -> tuple[Any, ...]:  # fmt: skip
    """A version_files row (and the blob's size last): 90% stored, else skipped or refused."""
    fate = int(key[:2], 16) % 20
    status, reason = (
        ("stored", None) if fate < 18
        else ("skipped", "larger than max_file_size") if fate == 18
        else ("refused", "the board answered with an alert")
    )  # fmt: skip
    sha = _sha("blob", key) if status == "stored" else None
    size = int(key[2:6], 16) * 16
    return (
        version_id, kind, position, "a:" + key[:30] if kind == "attachment" else "i:" + key[:30],
        name, url, size_text, None, sha, status, reason, v.fetched, size,
    )  # fmt: skip
