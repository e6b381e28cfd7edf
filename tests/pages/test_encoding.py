"""crawler.pages.encoding.decode_page: the charset of a page, whatever its declarations claim."""

from __future__ import annotations

import pytest

from crawler.pages.encoding import decode_page, normalise

PAGE = "<html><head>{meta}</head><body><p>똠방각하 뷁 보도자료</p></body></html>"
META = '<meta charset="euc-kr">'
HTTP_EQUIV = '<meta http-equiv="Content-Type" content="text/html; charset=EUC-KR">'


@pytest.mark.parametrize(
    ("meta", "content_type"),
    [
        (META, "text/html; charset=euc-kr"),  # both
        ("", "text/html; charset=EUC-KR"),  # header only
        (META, "text/html"),  # meta only
        (HTTP_EQUIV, None),  # the old http-equiv form, no header at all
        ("", "text/html"),  # neither: not UTF-8, so CP949
        (META, "text/html; charset=utf-8"),  # the header lies (PHP's default_charset)
        ("", "text/html; charset=UTF-8"),  # the header lies and nothing else is declared
        ("", "text/html; charset=ks_c_5601-1987"),
    ],
)
def test_cp949_pages(meta: str, content_type: str | None) -> None:
    html = PAGE.format(meta=meta)
    assert decode_page(html.encode("cp949"), content_type) == ("cp949", html)


@pytest.mark.parametrize(
    ("meta", "content_type"),
    [
        ("", None),
        ("", "text/html"),
        ('<meta charset="utf-8">', "text/html"),
        (META, "text/html"),  # the meta tag lies: the page is valid UTF-8
        ("", "text/html; charset=euc-kr"),  # the header lies
    ],
)
def test_utf8_pages(meta: str, content_type: str | None) -> None:
    html = PAGE.format(meta=meta)
    assert decode_page(html.encode("utf-8"), content_type) == ("utf-8", html)


def test_bom_wins() -> None:
    html = PAGE.format(meta=META)
    assert decode_page(b"\xef\xbb\xbf" + html.encode("utf-8"), "text/html; charset=euc-kr") == (
        "utf-8",
        html,
    )


def test_broken_bytes_keep_the_closest_charset() -> None:
    body = PAGE.format(meta="").encode("cp949") + b"\xff\xfe\xff"
    encoding, text = decode_page(body, "text/html; charset=utf-8")
    assert encoding == "cp949"
    assert "똠방각하 뷁 보도자료" in text and "\ufffd" in text


def test_single_byte_declaration_is_believed() -> None:
    body = "<p>café</p>".encode("cp1252")
    assert decode_page(body, "text/html; charset=windows-1252") == ("cp1252", "<p>café</p>")


@pytest.mark.parametrize(
    ("name", "codec"),
    [
        ("EUC-KR", "cp949"),
        ("euc_kr", "cp949"),
        ("ks_c_5601-1987", "cp949"),
        ("x-windows-949", "cp949"),
        ("UTF8", "utf-8"),
        ("utf-16", None),
        ("no-such-charset", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise(name: str | None, codec: str | None) -> None:
    assert normalise(name) == codec
