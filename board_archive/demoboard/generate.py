"""Deterministic generation of a board full of Korean press releases.

``generate_board(posts=120, seed=1)`` writes ``posts`` posts (a few of them deleted again, so
the list shows fewer and ``wr_id`` has gaps), spread back in time from the board's "now", with
titles and bodies shaped like the sample pages: "다온금융, 분기 실적 발표 (2보)", paragraphs, a
logo image, a quarterly sales table and a press contact line. A few posts are pinned notices, a
few are secret, some carry attachments and some have comments. Comments take ids from the same
sequence as posts, in time order, as they would on a real board.

The same ``seed`` and the same ``now`` give the same board. Generation is cheap (10,000 posts in
well under a second); attachment bytes are only made when downloaded.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from board_archive.demoboard.content import (
    SEOUL,
    Attachment,
    Board,
    Clock,
    Comment,
    Post,
    system_clock,
)

COMPANIES = (
    "푸른식품", "새봄제약", "다온금융", "대한물산", "서울바이오", "누리소프트", "한결건설",
    "하늘항공", "한빛전자", "동해에너지", "가온반도체", "미래모빌리티",
)  # fmt: skip
TOPICS = (
    "분기 실적 발표", "기술 특허 취득", "개인정보 처리방침 개정", "서비스 점검 안내",
    "사회공헌 활동", "업무협약 체결", "인공지능 플랫폼 공개", "전시회 참가", "해외 수출 계약",
    "투자 유치 성공", "신제품 출시", "친환경 공장 준공", "신임 대표이사 선임", "채용 박람회 개최",
    "고객센터 운영시간 변경", "R&D 센터 개소",
)  # fmt: skip
SUFFIXES = (
    "", "", "", "", " (2보)", " (종합)", " [사진]", " … 시장 반응 주목", " “품질로 승부”",
    " - 업계 최초",
)  # fmt: skip
LONG_TAILS = (  # long enough that the list cuts the title (bo_subject_len 60) with "…"
    "‘스마트제조 미래 대응 전략 포럼’ 창원서 열려 업계 관계자와 연구기관 등 100여 명 참석",
    "국내외 협력사와 함께 차세대 공급망 구축을 위한 공동 연구개발 착수 및 인력 교류 확대",
)
SENTENCES = (
    "이번 발표는 업계 관계자들 사이에서 큰 관심을 모았다.",
    "전문가들은 국내 시장뿐 아니라 해외 시장에서도 경쟁력을 갖출 것으로 평가했다.",
    "관계자는 “고객 만족을 최우선으로 삼겠다”고 밝혔다.",
    "한편 지난해 같은 기간 영업이익은 120억 원을 기록했다.",
    "회사 측은 올해 하반기까지 관련 매출이 두 배 이상 늘어날 것으로 내다봤다.",
    "자세한 내용은 첨부된 자료를 참고하시기 바랍니다.",
    "행사는 서울 코엑스에서 사흘간 진행된다.",
    "이번 협약으로 양사는 연구개발 인력을 상호 교류하기로 했다.",
    "신규 서비스는 다음 달부터 전국 매장에서 순차적으로 제공된다.",
    "회사는 이번 투자를 통해 생산 능력을 30% 이상 끌어올릴 계획이다.",
)
COMMENT_TEXTS = (
    "문의 드린 건 답변 기다리겠습니다.",
    "첨부파일이 안 열려요. 확인 부탁드립니다.",
    "자료 감사합니다.",
    "좋은 소식이네요. 축하드립니다!",
    "행사 일정은 언제 공지되나요?",
    "기사 잘 봤습니다.\n다음 발표도 기대하겠습니다.",
)
COMMENTERS = ("관리자", "홍보팀", "김민수", "이서연", "박지훈")
FILE_KINDS = (("pdf", "보도자료"), ("pdf", "보도자료"), ("hwp", "보도자료"), ("jpg", "사진"))


@dataclass
class _Draft:
    index: int  # 1-based order of writing
    posted_at: datetime
    title: str
    body_seed: int
    views: int
    secret: bool = False
    notice: bool = False
    deleted: bool = False
    category: str | None = None
    files: list[tuple[str, str, int, int]] = field(default_factory=list)
    comments: list[tuple[datetime, str, str, bool]] = field(default_factory=list)


def generate_board(
    posts: int = 120,
    seed: int = 1,
    *,
    clock: Clock = system_clock,
    now: datetime | None = None,
    bo_table: str = "press",
    subject: str = "보도자료/업계소식",
    categories: tuple[str, ...] = (),
    notices: int | None = None,
) -> Board:
    """A board with ``posts`` generated posts; times run back from ``now`` (default: the clock)."""
    board = Board(bo_table, subject, clock=clock, categories=categories)
    anchor = (now or board.now()).astimezone(SEOUL).replace(microsecond=0)
    rng = random.Random(seed)
    drafts = _drafts(rng, posts, anchor, categories)
    _mark(rng, drafts, notices)
    _assign_ids(board, drafts)
    return board


def _drafts(
    rng: random.Random, count: int, anchor: datetime, categories: tuple[str, ...]
) -> list[_Draft]:
    # about 36 hours apart, but no more than ~3 years for the whole board
    mean_gap = min(36 * 3600.0, 3 * 365 * 86400.0 / max(count, 1))
    times: list[datetime] = []
    t = anchor
    for k in range(count):
        # the newest few are from the last hours, like the samples' "23:24" rows
        gap = rng.uniform(60, 45 * 60) if k < 3 else mean_gap * rng.uniform(0.2, 1.8)
        t = t - timedelta(seconds=int(gap))
        times.append(t)
    times.reverse()
    drafts = []
    for i, when in enumerate(times, 1):
        age_days = (anchor - when).total_seconds() / 86400
        views = int(rng.uniform(0, 40) + rng.uniform(0, 6) * min(age_days, 400))
        drafts.append(
            _Draft(
                index=i,
                posted_at=when,
                title=_title(rng),
                body_seed=rng.getrandbits(32),
                views=views,
                category=rng.choice(categories) if categories else None,
            )
        )
    for d in drafts:
        if rng.random() < 0.15:
            ext, label = rng.choice(FILE_KINDS)
            for n in range(2 if rng.random() < 0.15 else 1):
                name = f"press_{label}_{d.index:03d}{'_' + str(n + 1) if n else ''}.{ext}"
                size = _file_size(rng)
                d.files.append((name, f"첨부 자료 {d.index}", size, rng.getrandbits(16)))
        if rng.random() < 0.12:
            t = d.posted_at
            for _ in range(rng.randint(1, 4)):
                t = t + timedelta(seconds=rng.randint(10 * 60, 20 * 3600))
                if t >= anchor:
                    break
                text = rng.choice(COMMENT_TEXTS)
                d.comments.append((t, rng.choice(COMMENTERS), text, rng.random() < 0.08))
    return drafts


def _title(rng: random.Random) -> str:
    company = rng.choice(COMPANIES)
    r = rng.random()
    if r < 0.02:
        return f"[수정] {company} 보도자료 정정"
    if r < 0.05:
        return f"{company}, {rng.choice(TOPICS)} … {rng.choice(LONG_TAILS)}"
    return f"{company}, {rng.choice(TOPICS)}{rng.choice(SUFFIXES)}"


def _file_size(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.8:
        return rng.randint(200, 8 * 1024)
    if r < 0.98:
        return rng.randint(10 * 1024, 300 * 1024)
    return rng.randint(1024 * 1024, 2 * 1024 * 1024)


def _mark(rng: random.Random, drafts: list[_Draft], notices: int | None) -> None:
    n = len(drafts)
    if notices is None:
        notices = 0 if n < 5 else 2 if n < 2000 else 3
    # notices come from the older part of the board, secret and deleted posts from anywhere
    # but the newest three (they should show the "today" rows of the first page)
    older = drafts[: max(n * 3 // 4, 1)]
    for d in rng.sample(older, min(notices, len(older))):
        d.notice = True
    pool = [d for d in drafts[:-3] if not d.notice]
    for d in pool:
        r = rng.random()
        if r < 0.04:
            d.secret = True
        elif r < 0.055:
            d.deleted = True


def _assign_ids(board: Board, drafts: list[_Draft]) -> None:
    """Give out ids in time order across posts and comments, then store the records."""
    events: list[tuple[datetime, int, int, int]] = []  # (time, post index, kind, comment index)
    for d in drafts:
        events.append((d.posted_at, d.index, 0, 0))
        events.extend((c[0], d.index, 1, k) for k, c in enumerate(d.comments))
    events.sort()
    post_ids: dict[int, int] = {}
    comment_ids: dict[tuple[int, int], int] = {}
    for next_id, (_, index, kind, k) in enumerate(events, 1):
        if kind == 0:
            post_ids[index] = next_id
        else:
            comment_ids[(index, k)] = next_id
    notice_order = sorted((d for d in drafts if d.notice), key=lambda d: d.index)
    with board.lock:
        for d in drafts:
            wr_id = post_ids[d.index]
            files = tuple(
                Attachment(
                    name=name,
                    description=desc,
                    downloads=int(d.views * 0.1),
                    uploaded_at=d.posted_at,
                    no=no,
                    size=size,
                    seed=fseed,
                )
                for no, (name, desc, size, fseed) in enumerate(d.files)
            )
            comments = tuple(
                Comment(comment_ids[(d.index, k)], author, when, text, secret)
                for k, (when, author, text, secret) in enumerate(d.comments)
            )
            company = d.title.split(",")[0].removeprefix("[수정] ").split(" ")[0]
            post = Post(
                wr_id=wr_id,
                title=d.title,
                author="관리자",
                posted_at=d.posted_at,
                body_html=body_html(d.body_seed, company),
                category=d.category,
                views=d.views,
                notice=False,
                secret=d.secret,
                deleted=d.deleted,
                attachments=files,
                comments=comments,
            )
            board.insert(post)
        for d in notice_order:  # pinned oldest first, so the newest notice shows on top
            board.set_notice(post_ids[d.index])


def body_html(seed: int, company: str) -> str:
    """A press-release body like the samples' ``#bo_v_con`` (paragraphs joined by newlines)."""
    rng = random.Random(seed)
    parts = [
        f"<p>{rng.choice(SENTENCES)} {rng.choice(SENTENCES)}</p>" for _ in range(rng.randint(2, 4))
    ]
    if rng.random() < 0.8:
        parts.append(f'<p><img src="/img/logo.png" alt="{company} 로고" width="120" /></p>')
    if rng.random() < 0.7:
        cells = "".join(
            f"<tr><td>{q}분기</td><td>{rng.randint(50, 900)}억 원</td></tr>" for q in (1, 2, 3)
        )
        parts.append(
            '<table border="1"><thead><tr><th>구분</th><th>매출</th></tr></thead>'
            f"<tbody>{cells}</tbody></table>"
        )
    parts.append(f"<p>문의: 홍보팀 (02-123-{rng.randint(0, 9999):04d})</p>")
    return "\n".join(parts)
