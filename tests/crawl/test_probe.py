"""crawler.probe (``board-archive probe URL``) against the demo boards on 127.0.0.1."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

import pytest

from archive.config import load_config
from archive.items import Post
from board_archive.demoboard import Board, DemoServer, generate_board
from crawler.pages.profiles import builtin
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


def test_probe_surveys_a_gnuboard_board_field_by_field(board: Board) -> None:
    with DemoServer(board) as srv:
        code, out = run(srv.list_url)
        assert srv.counts["list"] == 2 and srv.counts["view"] == 2  # two of each, no more
        assert srv.counts["robots"] == 1  # after robots.txt
    assert code == 0, out
    assert "profile: gnuboard5 (the page carries its marks)" in out
    assert "프로브 글" in out and "홍길동" in out
    assert re.search(r"view attachments +engine invariant .* 1 \(신청서.hwp\)", out), out
    assert re.search(r"view comments +engine invariant .* 1$", out, re.M), out
    assert re.search(r"view body +skin selector +#bo_v_con +프로브 본문", out), out
    assert "uncertain: nothing" in out
    assert 'engine = "gnuboard5"' in out and "[boards.press]" in out
    assert "[boards.press.selectors]" not in out  # the basic skin needs none


def test_probe_shows_a_rhymix_board(board: Board) -> None:
    with DemoServer(board, engine="rhymix") as srv:
        code, out = run(srv.list_url)
        assert srv.counts["list"] + srv.counts["view"] == 2  # two requests, no more
    assert code == 0, out
    assert "profile: rhymix" in out
    assert "attachments: 1 (신청서.hwp)" in out and "comments:    1" in out
    assert "body:        프로브 본문" in out
    assert 'engine = "rhymix"' in out and "[boards.press]" in out


def test_probe_writes_the_block_an_unknown_skin_needs(board: Board, tmp_path: Path) -> None:
    """The cards skin: no pagination, dates without a year, no #bo_v_con. The probe says so
    and prints the body container it found by comparing; the block loads as a config and
    reads the body as the skin's own selector."""
    with DemoServer(board, skin="cards") as srv:
        code, out = run(srv.list_url)
        view_url = srv.view_url(board.live_ids()[-1])
        view_html = urllib.request.urlopen(view_url).read().decode()
    assert code == 0, out
    assert "no pagination links: the crawl walks page=N" in out
    assert "view posted: the page shows month, day and time, no year" in out
    assert re.search(r"view body +compared pages", out), out
    block = out[out.index("[boards.press]") :]
    (tmp_path / "boards.toml").write_text(textwrap.dedent("  " + block), encoding="utf-8")
    config = load_config(tmp_path / "boards.toml", env={})
    overrides = config.boards["press"].selectors
    assert list(overrides) == ["view_body"]
    profile = builtin("gnuboard5").with_selectors(overrides)
    post = profile.parse_view(view_html, view_url, status=200)
    shown = board.get(board.live_ids()[-1])
    assert isinstance(post, Post) and shown is not None and post.title == shown.title
    assert post.body_text and post.body_text in view_html


def test_probe_says_when_the_body_cannot_be_told(tmp_path: Path) -> None:
    lone = generate_board(1, seed=3)  # one post: no second view page to compare with
    with DemoServer(lone, skin="cards") as srv:
        code, out = run(srv.list_url)
    assert code == 0, out
    assert "view body: cannot be told from the template" in out and "set view_body" in out
    assert "[boards.press.selectors]" not in out


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
