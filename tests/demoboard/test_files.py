"""The demo board's files for crawl tests: Content-Disposition as GnuBoard and other servers send
it, editor uploads and the theme logo served as static files, a huge file streamed."""

from __future__ import annotations

from urllib.parse import unquote_plus

import pytest
from parsel import Selector

from board_archive.demoboard import Board, DemoServer
from board_archive.demoboard.content import Attachment
from board_archive.demoboard.handler import LOGO_PNG
from crawler.pages.files import filename_from_disposition
from tests.demoboard.conftest import Client

NAME = "2026년 보도자료 (최종)+붙임.hwp"


def download(srv: DemoServer, wr_id: int) -> tuple[Client, Selector, str]:
    client = Client(keep_session=True)
    view = Selector(text=client.get(srv.view_url(wr_id)).text)
    href = view.css("#bo_v_file a.view_file_download::attr(href)").get() or ""
    return client, view, href


@pytest.mark.parametrize(
    ("style", "raw"),
    [
        ("urlencode", None),  # GnuBoard: PHP urlencode, "+" for a space
        ("rfc5987", "attachment; filename*=UTF-8''2026%EB%85%84%20"),
        ("cp949", 'attachment; filename="2026' + "년".encode("cp949").decode("latin-1")),
        ("utf-8", 'attachment; filename="2026' + "년".encode().decode("latin-1")),
    ],
)
def test_content_disposition_styles(board: Board, style: str, raw: str | None) -> None:
    wr_id = board.add_post("파일 이름", attachments=[Attachment(NAME, b"hwp")])
    with DemoServer(board, disposition=style) as srv:  # type: ignore[arg-type]
        client, _, href = download(srv, wr_id)
        resp = client.get(href)
    header = resp.header("content-disposition") or ""
    if raw is None:
        value = header.removeprefix('attachment; filename="').removesuffix('"')
        assert " " not in value and unquote_plus(value) == NAME
    else:
        assert header.startswith(raw)
    assert filename_from_disposition(header) == NAME
    assert resp.body == b"hwp"


def test_static_files_and_the_logo(board: Board) -> None:
    with DemoServer(board) as srv:
        url = srv.put_file("/data/editor/2611/a1b2_c3.png", b"\x89PNG fake")
        assert url == f"{srv.url}/data/editor/2611/a1b2_c3.png"
        client = Client()
        image = client.get(url)
        logo = client.get(f"{srv.url}/img/logo.png")
        missing = client.get(f"{srv.url}/data/editor/2611/none.png")
        assert srv.counts["static"] == 3
    assert (image.status, image.header("Content-Type"), image.body) == (
        200,
        "image/png",
        b"\x89PNG fake",
    )
    assert (logo.status, logo.body) == (200, LOGO_PNG)
    assert missing.status == 404
    with pytest.raises(ValueError, match="/data/"):
        srv.put_file("/etc/passwd", b"")


def test_a_huge_file_is_streamed(board: Board) -> None:
    size = 5 * 1024 * 1024 + 3
    wr_id = board.add_post("큰 파일", attachments=[Attachment("huge.zip", size=size, seed=9)])
    with DemoServer(board) as srv:
        client, view, href = download(srv, wr_id)
        resp = client.get(href)
    assert "(5.0M)" in " ".join(view.css("#bo_v_file a::text").getall())
    assert resp.header("content-length") == str(size)
    assert resp.body == Attachment("huge.zip", size=size, seed=9).data()
