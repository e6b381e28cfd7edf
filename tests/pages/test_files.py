"""Downloads, pure: the board's refusal is never a file; original names decoded from every
Content-Disposition form Korean boards send; sizes as shown; where attached pictures live."""

from __future__ import annotations

from base64 import b64encode

import pytest
from parsel import Selector

from crawler.pages.files import (
    DownloadedFile,
    DownloadRefused,
    file_url,
    filename_from_disposition,
    parse_download,
    shown_size,
)
from crawler.pages.html import image_urls

from ._sample import SAMPLES, load


def sample_headers(name: str) -> dict[str, str]:
    text = (SAMPLES / f"{name}.headers.txt").read_text("utf-8")
    lines = text.strip().splitlines()[1:]
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def test_the_gnuboard_refusal_is_not_the_file() -> None:
    sample = load("v5.6/download_wr10_nocookie")
    headers = sample_headers("v5.6/download_wr10_nocookie")
    got = parse_download(sample.status, headers, sample.raw)
    assert got == DownloadRefused("the board refused: 잘못된 접근입니다.")
    # without any Content-Type the page is still recognised by its start
    assert isinstance(parse_download(200, {}, sample.raw), DownloadRefused)
    # and in EUC-KR
    euc = sample.html.replace('charset="utf-8"', 'charset="euc-kr"').encode("cp949")
    refused = parse_download(200, {"Content-Type": "text/html"}, euc)
    assert refused == DownloadRefused("the board refused: 잘못된 접근입니다.")


def test_the_sample_download_is_a_file_with_its_decoded_name() -> None:
    headers = sample_headers("v5.6/download_wr10_withsession")
    body = b"%PDF-1.4\n" + bytes(214)
    got = parse_download(200, headers, body)
    assert isinstance(got, DownloadedFile)
    assert (got.filename, got.content_type, got.size) == (
        "press_보도자료_010.pdf",
        "application/pdf",  # GnuBoard says file/unknown; the name tells
        223,
    )
    assert got.data == body


def test_other_answers() -> None:
    assert parse_download(404, {}, b"gone") == DownloadRefused("HTTP 404")
    html = b"<html><body>maintenance</body></html>"
    assert parse_download(200, {"content-type": "text/html; charset=utf-8"}, html) == (
        DownloadRefused("an HTML page instead of the file")
    )
    assert parse_download(200, {"content-type": "image/png"}, b"") == (
        DownloadRefused("an empty answer")
    )
    png = b"\x89PNG\r\n\x1a\n...."
    assert parse_download(200, {"Content-Type": "image/png"}, png) == (
        DownloadedFile(png, None, "image/png")
    )
    # a real HTML attachment is a file: the disposition says so
    page = parse_download(200, {"content-disposition": 'attachment; filename="a.html"'}, html)
    assert isinstance(page, DownloadedFile) and page.content_type == "text/html"
    empty = parse_download(200, {"content-disposition": 'attachment; filename="0.txt"'}, b"")
    assert isinstance(empty, DownloadedFile) and empty.size == 0


KOREAN = "보도자료 2026년.hwp"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # GnuBoard: PHP urlencode of the UTF-8 name ("+" is a space)
        ('attachment; filename="%EB%B3%B4%EB%8F%84%EC%9E%90%EB%A3%8C+2026%EB%85%84.hwp"', KOREAN),
        ('attachment; filename="a%2Bb+c.pdf"', "a+b c.pdf"),
        # rawurlencode (%20), and URL-encoded CP949
        ('attachment; filename="%EB%B3%B4%EB%8F%84%EC%9E%90%EB%A3%8C%202026%EB%85%84.hwp"', KOREAN),
        ('attachment; filename="%BA%B8%B5%B5%C0%DA%B7%E1 2026%B3%E2.hwp"', KOREAN),
        # RFC 5987 / 6266, preferred over the plain fallback
        (
            "attachment; filename=\"fallback.hwp\"; filename*=UTF-8''"
            "%EB%B3%B4%EB%8F%84%EC%9E%90%EB%A3%8C%202026%EB%85%84.hwp",
            KOREAN,
        ),
        ("attachment; filename*=euc-kr'ko'%BA%B8%B5%B5%C0%DA%B7%E1%202026%B3%E2.hwp", KOREAN),
        ("attachment; filename*=utf-8''a%3Bb.txt", "a;b.txt"),
        # plain names, quoted or not, with a ";" inside the quotes
        ("attachment; filename=report.pdf", "report.pdf"),
        ('attachment; filename="a;b.pdf"; size=3', "a;b.pdf"),
        ('inline; filename="say \\"hi\\".txt"', 'say "hi".txt'),
        # RFC 2047 encoded words (some Java servers)
        (f'attachment; filename="=?UTF-8?B?{b64encode(KOREAN.encode()).decode()}?="', KOREAN),
        # path-like and control characters stay a name, never a path
        ('attachment; filename="../../etc/passwd"', "../../etc/passwd"),
        ('attachment; filename="evil%0A%00name.txt"', "evil\ufffd\ufffdname.txt"),
        ("attachment", None),
        ('attachment; filename=""', None),
    ],
)
def test_filename_forms(header: str, expected: str | None) -> None:
    assert filename_from_disposition(header) == expected
    assert filename_from_disposition(header.encode("latin-1")) == expected


@pytest.mark.parametrize("codec", ["cp949", "utf-8"])
def test_raw_bytes_in_the_header(codec: str) -> None:
    raw = b'attachment; filename="' + KOREAN.encode(codec) + b'"'
    assert filename_from_disposition(raw) == KOREAN
    # as an HTTP library hands it over: the bytes read as Latin-1
    assert filename_from_disposition(raw.decode("latin-1")) == KOREAN
    got = parse_download(200, {"Content-Disposition": raw}, b"data")
    assert isinstance(got, DownloadedFile) and got.filename == KOREAN


def test_cp949_only_characters() -> None:
    name = "똠방각하.txt"  # "똠" is outside EUC-KR proper (KS X 1001), in CP949 (UHC)
    raw = b'attachment; filename="' + name.encode("cp949") + b'"'
    assert filename_from_disposition(raw) == name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("220byte", (220, 220)),
        ("1.2M", (1258291, 1205862)),
        ("245.3K", (251187, 251136)),
        ("1,024.0M", (1024**3, 1073689395)),
        ("3G", (3 * 1024**3, 3 * 1024**3 - 1024**3 // 2)),
        (" 12 KB ", (12288, 11776)),
        ("", None),
        (None, None),
        ("큰 파일", None),
    ],
)
def test_shown_size(text: str | None, expected: tuple[int, int] | None) -> None:
    assert shown_size(text) == expected


def test_file_url_of_attached_pictures() -> None:
    view = "https://www.example.or.kr/bbs/view_image.php?bo_table=press&fn=2022030709290001.jpg"
    assert file_url(view) == "https://www.example.or.kr/data/file/press/2022030709290001.jpg"
    download = "http://h/bbs/download.php?bo_table=press&wr_id=1&no=0&nonce=a|b|c"
    assert file_url(download) == download
    assert file_url("http://h/bbs/view_image.php?bo_table=press&fn=../x") == (
        "http://h/bbs/view_image.php?bo_table=press&fn=../x"
    )


def test_image_urls() -> None:
    body = Selector(
        text='<div><img src="/data/editor/2611/a.jpg"><p><img src="b.png#x">'
        '<img src="data:image/png;base64,AAAA"><img src=" /data/editor/2611/a.jpg ">'
        '<img src="https://cdn.example.com/c.gif"><img src=""><img></p></div>'
    )
    assert image_urls(body, "http://board.kr/bbs/board.php?bo_table=x&wr_id=1") == (
        "http://board.kr/data/editor/2611/a.jpg",
        "http://board.kr/bbs/b.png",
        "https://cdn.example.com/c.gif",
    )
