"""End to end: boards served in EUC-KR/CP949 (declared in the header, only in the meta tag, in
neither, or with a header that claims UTF-8) are archived without mojibake, on SQLite and
PostgreSQL. The demo board's content is made to hold characters only CP949 has (똠, 뷁), so
decoding as plain EUC-KR would not do either."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.models import CommentVersion, Post, PostVersion, RunStatus, VersionFile
from board_archive.demoboard.content import Attachment, Board
from board_archive.demoboard.generate import generate_board
from board_archive.demoboard.server import DemoServer
from tests.crawl.test_end_to_end import crawl, last_run

TITLE = "똠방각하 뷁 공고: 2026년 중소기업 지원사업"
BODY = "<p>신청서는 「똠양꿍」 양식으로 제출합니다. 문의: 뷁뷁팀 ☎ 02-123-4567</p>"
COMMENT = "똠 잘 봤습니다 — 감사합니다"
FILE_NAME = "붙임1_똠방각하_신청서.hwp"


def encoded_board() -> tuple[Board, int]:
    board = generate_board(18, seed=5)
    wr_id = board.add_post(TITLE, BODY, author="홍길동", attachments=[Attachment(FILE_NAME, b"x")])
    board.add_comment(wr_id, COMMENT, author="김철수")
    return board, wr_id


# (page charset, declared in the header, in the meta tag, what the header claims)
CASES = {
    "header-and-meta": ("euc-kr", True, True, None),
    "header-only": ("euc-kr", True, False, None),
    "meta-only": ("euc-kr", False, True, None),
    "neither": ("euc-kr", False, False, None),
    "header-lies-meta-right": ("euc-kr", True, True, "utf-8"),
    "header-lies-no-meta": ("euc-kr", True, False, "utf-8"),
    "utf-8-undeclared": ("utf-8", False, False, None),
}


@pytest.mark.parametrize("case", list(CASES))
def test_encoded_board_archives_without_mojibake(
    tmp_path: Path, db_url: str, engine: Engine, case: str
) -> None:
    charset, in_header, in_meta, claimed = CASES[case]
    board, wr_id = encoded_board()
    with DemoServer(
        board,
        charset=charset,  # type: ignore[arg-type]
        charset_in_header=in_header,
        charset_in_meta=in_meta,
        header_charset=claimed,
    ) as srv:
        result = crawl(tmp_path, db_url, srv.list_url)
    assert result.returncode == 0, result.stderr[-3000:]
    assert last_run(engine).status == RunStatus.SUCCEEDED
    live = {str(p.wr_id): p for p in board.posts() if not p.secret}
    with Session(engine) as s:
        posts = {p.source_id: p for p in s.scalars(select(Post))}
        versions = s.scalars(select(PostVersion)).all()
        ours = next(v for v in versions if v.post_id == posts[str(wr_id)].id)
        comments = s.scalars(select(CommentVersion.text)).all()
        files = s.scalars(select(VersionFile.name).where(VersionFile.version_id == ours.id)).all()
    assert {k: p.title for k, p in posts.items() if k in live} == {
        k: p.title for k, p in live.items()
    }
    assert ours.title == TITLE and ours.author == "홍길동"
    assert "「똠양꿍」" in ours.body_text and "뷁뷁팀 ☎" in ours.body_text
    assert "「똠양꿍」" in ours.body_html
    assert COMMENT in comments
    assert FILE_NAME in files
    assert ours.raw_encoding == ("cp949" if charset == "euc-kr" else "utf-8")
    every = [v.title + v.body_text + (v.author or "") for v in versions] + list(comments)
    assert not [t for t in every if "\ufffd" in t or "ë" in t or "ì" in t]
