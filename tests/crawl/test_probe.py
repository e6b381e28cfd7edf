"""crawler.probe (``board-archive probe URL``) against the demo boards on 127.0.0.1."""

from __future__ import annotations

import subprocess
import sys

import pytest

from board_archive.demoboard import Board, DemoServer, generate_board
from crawler.probe import probe


@pytest.fixture(scope="module")
def board() -> Board:
    b = generate_board(20, seed=8)
    wr_id = b.add_post("프로브 글", "<p>프로브 본문</p>", author="홍길동")
    b.add_attachment(wr_id, "신청서.hwp", b"HWP")
    b.add_comment(wr_id, "댓글")
    return b


def run(url: str, engine: str | None = None) -> tuple[int, str]:
    lines: list[str] = []
    code = probe(url, engine, write=lines.append)
    return code, "\n".join(lines)


@pytest.mark.parametrize("engine", ["gnuboard5", "rhymix"])
def test_probe_finds_the_profile_and_shows_both_pages(board: Board, engine: str) -> None:
    with DemoServer(board, engine=engine) as srv:  # type: ignore[arg-type]
        code, out = run(srv.list_url)
        assert srv.counts["list"] + srv.counts["view"] == 2  # two requests, no more
        assert srv.counts["robots"] == 1  # after robots.txt
    assert code == 0, out
    assert f"profile: {engine}" in out
    assert "프로브 글" in out and "홍길동" in out
    assert "attachments: 1 (신청서.hwp)" in out and "comments:    1" in out
    assert "body:        프로브 본문" in out
    assert f'engine = "{engine}"' in out and "[boards.press]" in out


def test_probe_short_rhymix_url(board: Board) -> None:
    with DemoServer(board, engine="rhymix") as srv:
        code, out = run(f"{srv.url}/press")
    assert code == 0 and "profile: rhymix" in out and "document_srl=" in out


def test_probe_names_the_selectors_when_nothing_fits(board: Board) -> None:
    with DemoServer(board) as srv:
        code, out = run(f"{srv.url}/index.php")
    assert code == 1
    assert "gnuboard5: does not fit" in out and "no bo_table in the list URL" in out
    assert "rhymix: does not fit" in out and 'engine = "generic"' in out


def test_probe_unreachable_and_bad_url() -> None:
    assert run("http://127.0.0.1:9/bbs/board.php?bo_table=x")[0] == 2
    assert run("ftp://example.org/")[0] == 2


def test_probe_as_a_command(board: Board) -> None:
    with DemoServer(board) as srv:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "board_archive.cli",
                "probe",
                srv.list_url,
                "--engine",
                "gnuboard5",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert "profile: gnuboard5" in result.stdout and "rhymix" not in result.stdout


def test_probe_obeys_robots_txt(board: Board) -> None:
    with DemoServer(board, robots_disallow=["/bbs/"]) as srv:
        code, out = run(srv.list_url)
        assert (srv.counts["robots"], srv.counts["list"], srv.counts["view"]) == (1, 0, 0)
    assert code == 2 and "robots.txt disallows" in out
