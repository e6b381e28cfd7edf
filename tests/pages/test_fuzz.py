"""Fuzzing the page objects: mutated sample pages never crash a parser.

Hypothesis takes the saved GnuBoard pages (``samples/``, plus legacy-skin pages of the demo
board) and damages them the ways the web does: truncated, elements deleted, duplicated or moved,
garbage bytes, random attribute values and texts, classes removed, the wrong encoding.
``parse_list`` and ``parse_view`` must return their item or raise ``ParseError``;
``parse_download`` must return a file or a refusal. Every string in what they return must be
storable: no NUL (PostgreSQL's text refuses it) and no lone surrogate (not encodable as UTF-8).

Examples are bounded so the file runs in well under a minute; no example database is written.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from urllib.parse import quote

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.items import ListPage, Post, PostNotFound, SecretPost
from board_archive.demoboard.generate import generate_board
from board_archive.demoboard.render import ListRequest, Renderer, ViewRequest
from crawler.pages.dates import parse_comment_time
from crawler.pages.errors import ParseError
from crawler.pages.files import DownloadedFile, DownloadRefused, parse_download, shown_size
from crawler.pages.gnuboard5 import parse_list, parse_view

from ._sample import SAMPLES

FUZZ = settings(
    # BOARD_ARCHIVE_FUZZ_EXAMPLES=5000 for a longer hunt; the default keeps the file quick
    max_examples=int(os.environ.get("BOARD_ARCHIVE_FUZZ_EXAMPLES", "150")),
    deadline=None,
    database=None,  # never write .hypothesis/ into the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BASE = "http://127.0.0.1:8056/bbs/board.php?bo_table=press"


def _seed_pages() -> dict[str, str]:
    pages = {
        str(p.relative_to(SAMPLES)): p.read_text("utf-8")
        for p in sorted(SAMPLES.glob("*/*.html"))
        if p.stat().st_size and not p.parent.name.startswith("rhymix")  # GnuBoard pages only
    }
    board = generate_board(40, seed=3, now=datetime(2026, 11, 24, 14, 0, tzinfo=UTC))
    legacy = Renderer(board, "http://127.0.0.1:8056", "legacy")
    with_files = next(p for p in board.posts() if p.attachments and not p.secret)
    pages["legacy/list"] = legacy.list_page(ListRequest())
    pages["legacy/view"] = legacy.view_page(ViewRequest(with_files.wr_id))
    return pages


PAGES = _seed_pages()
NAMES = sorted(PAGES)

# Texts that look like what the parsers read: numbers, dates, URLs, GnuBoard's words.
_LOOKALIKE = st.sampled_from(
    [
        "0001-01-01 00:00",
        "9999-12-31 23:59:59",
        "0001-01-01T00:00:00+09:00",
        "99-99-99 99:99",
        "02-29",
        "00:00",
        "9" * 5000,
        "조회 1,234회",
        "댓글 3건",
        "Total 1,234건",
        "DATE : 2026-11-24 09:00:00",
        "(1.2M)",
        "http://[::1",
        "http://[bad/bbs/board.php?wr_id=1",
        "//\uff03evil/bbs/board.php?bo_table=press&wr_id=5",
        "./board.php?bo_table=press&wr_id=12&page=99999999999999999999",
        "javascript:alert(1)",
        "password.php?w=s&bo_table=press&wr_id=7",
        "alert('글이 존재하지 않습니다')",
        "alert('\\0\\ud800\\x00')",
        "&#0;",
        "&#xd800;",
        "",
    ]
)
_JS_STRING = st.one_of(
    st.sampled_from(["글이 존재하지 않습니다", "\\0", "\\x00", "\\u0000", "\\ud800", "\\udfff!"]),
    st.text(max_size=20).map(lambda t: t.replace("\\", "\\\\").replace('"', '\\"')),
)
_TEXT = st.one_of(_LOOKALIKE, st.text(max_size=40), st.from_regex(r"\d{1,6}", fullmatch=True))
_ATTRS = ["href", "id", "class", "datetime", "src", "value", "name", "action", "style", "title"]


def _xml_safe(text: str) -> str:
    """What lxml accepts as attribute or text content (the harness's limit, not the parser's)."""
    return "".join(
        c for c in text if c in "\t\n\r" or (ord(c) >= 0x20 and not 0xD800 <= ord(c) < 0xE000)
    )


@st.composite
def _tree_mutation(draw: st.DrawFn, html: str) -> str:
    try:
        root = lxml.html.document_fromstring(html)
    except Exception:  # the harness cannot parse it (e.g. truncated to nothing): leave it
        return html
    elements = [el for el in root.iter() if isinstance(el.tag, str) and el is not root]
    if not elements:
        return html
    # half the time an element the parsers read: one with a link, a source, an id or a class
    read = [el for el in elements if any(a in el.attrib for a in _ATTRS)]
    prefer_read: bool = draw(st.booleans())
    el = draw(st.sampled_from(read if read and prefer_read else elements))
    kinds = ["delete", "duplicate", "move", "attr", "text", "declass", "alert"]
    kind = draw(st.sampled_from(kinds))
    parent = el.getparent()
    if kind == "delete" and parent is not None:
        parent.remove(el)
    elif kind == "duplicate" and parent is not None:
        el.addnext(copy.deepcopy(el))
    elif kind == "move" and parent is not None:
        other = draw(st.sampled_from(elements))
        if other is not el and el not in other.iterancestors():
            parent.remove(el)
            other.addnext(el) if other.getparent() is not None else other.append(el)
    elif kind == "attr":
        own = [a for a in _ATTRS if a in el.attrib]
        name = draw(st.sampled_from(own or _ATTRS))
        el.set(name, _xml_safe(draw(_TEXT)))
    elif kind == "text":
        el.text = _xml_safe(draw(_TEXT))
    elif kind == "declass":
        el.attrib.pop("class", None)
    elif kind == "alert":  # the page becomes an alert page with a JavaScript string literal
        script = lxml.html.Element("script")
        script.text = f'alert("{_xml_safe(draw(_JS_STRING))}");'
        el.addprevious(script)
    return lxml.html.tostring(root, encoding="unicode")


@st.composite
def _string_mutation(draw: st.DrawFn, html: str) -> str:
    kind = draw(st.sampled_from(["truncate", "garbage", "splice", "encoding"]))
    at = draw(st.integers(0, len(html)))
    if kind == "truncate":
        return html[:at]
    if kind == "garbage":
        raw = draw(st.binary(min_size=1, max_size=64))
        codec = draw(st.sampled_from(["latin-1", "utf-8", "cp949"]))
        return html[:at] + raw.decode(codec, errors="replace") + html[at:]
    if kind == "splice":
        end = draw(st.integers(at, min(len(html), at + 200)))
        return html[:at] + draw(_TEXT) + html[end:]
    # the page's bytes read with the wrong codec, as a server without a charset causes
    wrong = draw(st.sampled_from([("utf-8", "cp949"), ("utf-8", "latin-1"), ("cp949", "utf-8")]))
    return html.encode(wrong[0], errors="replace").decode(wrong[1], errors="replace")


class Page(str):
    """A mutated page; its repr (in a failure report) names the seed, not 30 kB of HTML."""

    seed: str

    def __repr__(self) -> str:
        return f"<{len(self)} characters mutated from {self.seed}>"


@st.composite
def mutated_pages(draw: st.DrawFn) -> Page:
    seed = draw(st.sampled_from(NAMES))
    html = PAGES[seed]
    for _ in range(draw(st.integers(1, 4))):
        tree = draw(st.booleans())
        html = draw(_tree_mutation(html) if tree else _string_mutation(html))
    page = Page(html)
    page.seed = seed
    return page


def _strings(value: object) -> list[str]:
    """Every string inside an item (dataclasses, tuples, plain values)."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in _strings(getattr(value, f.name))]
    if isinstance(value, tuple | list):
        return [s for v in value for s in _strings(v)]
    return []


def assert_storable(item: object) -> None:
    for text in _strings(item):
        assert "\x00" not in text, text[:200]
        text.encode("utf-8")  # a lone surrogate raises here


def outcome(parse: Callable[[], object]) -> object:
    """What the parser did: its result, or the ParseError it raised (anything else fails)."""
    try:
        return parse()
    except ParseError as exc:
        return exc


@FUZZ
@given(
    html=mutated_pages(),
    today=st.dates(date(1990, 1, 1), date(2100, 12, 31)),
    page=st.one_of(st.just("2"), _TEXT),  # after a redirect the URL is the server's choice
)
def test_parse_list_returns_a_list_page_or_parse_error(html: str, today: date, page: str) -> None:
    url = f"{BASE}&page={quote(page)}"  # as Scrapy gives it: percent-encoded
    result = outcome(lambda: parse_list(html, url, today=today))
    assert isinstance(result, ListPage | ParseError)
    if isinstance(result, ListPage):
        assert_storable(result)
        assert all(row.post_id.isdigit() for row in result.rows)
        assert result.last_page is None or result.last_page >= 1


_LOCATIONS = st.one_of(st.none(), _LOOKALIKE, st.text(max_size=60))


@FUZZ
@given(
    html=mutated_pages(),
    wr_id=st.one_of(st.sampled_from(["130", "54", "12"]), _TEXT),
    status=st.one_of(st.just(200), st.integers(100, 599)),
    location=_LOCATIONS,
)
def test_parse_view_returns_an_outcome_or_parse_error(
    html: str, wr_id: str, status: int, location: str | None
) -> None:
    url = f"{BASE}&wr_id={quote(wr_id)}"
    result = outcome(lambda: parse_view(html, url, status=status, location=location))
    assert isinstance(result, Post | PostNotFound | SecretPost | ParseError)
    if not isinstance(result, ParseError):
        assert_storable(result)
        assert result.post_id.isdigit()


_CHARSETS = ["utf-8", "euc-kr", "cp949", "latin-1", "utf-16", "utf-7", "unicode_escape", "idna"]
_CHARSETS += ["undefined", "base64", "rot13", "hex", "x-nope"]
_CTYPES = st.one_of(
    st.sampled_from(["text/html", "file/unknown", "application/pdf", "image/png", ""]),
    st.builds(lambda c: f"text/html; charset={c}", st.sampled_from(_CHARSETS)),
    st.text(max_size=30),
)
_DISPOSITIONS = st.one_of(
    st.none(),
    st.builds(lambda c, b: f"attachment; filename*={c}''{b}", st.sampled_from(_CHARSETS), _TEXT),
    st.builds(lambda b: f'attachment; filename="{b}"', _TEXT),
    st.builds(lambda c: f'inline; filename="=?{c}?B?7ZWc6riA?="', st.sampled_from(_CHARSETS)),
    st.binary(max_size=60).map(lambda b: b"attachment; filename=" + b),
)


@FUZZ
@given(
    status=st.one_of(st.just(200), st.integers(100, 599)),
    ctype=st.one_of(st.none(), _CTYPES),
    disposition=_DISPOSITIONS,
    page=st.one_of(st.binary(max_size=200), mutated_pages()),
)
def test_parse_download_returns_a_file_or_a_refusal(
    status: int, ctype: str | None, disposition: str | bytes | None, page: bytes | Page
) -> None:
    body = page.encode("utf-8") if isinstance(page, str) else page
    headers: dict[str, str | bytes] = {}
    if ctype is not None:
        headers["Content-Type"] = ctype
    if disposition is not None:
        headers["Content-Disposition"] = disposition
    result = outcome(lambda: parse_download(status, headers, body))
    assert isinstance(result, DownloadedFile | DownloadRefused | ParseError)
    assert_storable(result if not isinstance(result, DownloadedFile) else result.filename)


@pytest.mark.parametrize("name", NAMES)
def test_the_seed_pages_parse_unharmed(name: str) -> None:
    """The fuzzer starts from pages that parse: each gives an item (or its known ParseError);
    a download page (the board's alert instead of the file) gives the refusal with the alert."""
    html = PAGES[name]
    results = [
        outcome(lambda: parse_list(html, BASE, today=date(2026, 11, 24))),
        outcome(lambda: parse_view(html, f"{BASE}&wr_id=54")),
    ]
    if "download" in name:
        headers = {"Content-Type": "text/html; charset=utf-8"}
        results.append(outcome(lambda: parse_download(200, headers, html.encode())))
        alert = re.search(r'alert\("([^"]+)"\)', html)
        assert alert and results[-1] == DownloadRefused(f"the board refused: {alert[1]}")
    assert any(not isinstance(r, ParseError) for r in results)
    for r in results:
        if not isinstance(r, ParseError):
            assert_storable(r)


@FUZZ
@given(text=st.one_of(_TEXT, st.from_regex(r"[\d,]{1,400}(\.\d{0,400})?\s?[KMG]?", fullmatch=True)))
def test_shown_size_reads_a_size_or_gives_none(text: str) -> None:
    size = shown_size(text)
    assert size is None or 0 <= size[1] <= size[0]


# ---- crashes the fuzzer found, kept as plain regression tests --------------------------------

LIST = PAGES["v5.6/press_list_p1.html"]
VIEW = PAGES["v5.6/press_view_attachment_wr54_with_comments.html"]
ROW_LINK = 'href="http://127.0.0.1:8056/bbs/board.php?bo_table=press&amp;wr_id=137"'
TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("charset", ["base64", "rot13", "hex", "zlib", "undefined", "idna"])
def test_a_codec_that_is_no_text_encoding_is_ignored(charset: str) -> None:
    # LookupError ("'base64' is not a text encoding") / UnicodeError ("undefined") escaped
    got = parse_download(
        200, {"Content-Disposition": f"attachment; filename*={charset}''a%20b"}, b"x"
    )
    assert got == DownloadedFile(b"x", "a b", None)
    page = b'<html><script>alert("\xec\x9e\x98\xeb\xaa\xbb");</script>'
    refused = parse_download(200, {"Content-Type": f"text/html; charset={charset}"}, page)
    assert refused == DownloadRefused("the board refused: 잘못")


def test_an_escape_codec_cannot_smuggle_surrogates_into_a_name() -> None:
    got = parse_download(
        200, {"Content-Disposition": "attachment; filename*=unicode_escape''%5Cud800.pdf"}, b"x"
    )
    assert isinstance(got, DownloadedFile) and got.filename == "\\ud800.pdf"  # read as UTF-8


@pytest.mark.parametrize("location", ["http://[::1/bbs/password.php", "http://a\uff03b/x"])
def test_a_redirect_to_no_url_is_a_parse_error(location: str) -> None:
    # urlsplit raised ValueError ("Invalid IPv6 URL", NFKC netloc) out of parse_view
    with pytest.raises(ParseError, match="redirect"):
        parse_view("", f"{BASE}&wr_id=1", status=302, location=location)


@pytest.mark.parametrize(
    "href", ["http://[::1/bbs/board.php?wr_id=137", "http://a\uff03b/?wr_id=1"]
)
def test_a_row_link_that_is_no_url_makes_no_row(href: str) -> None:
    # urlsplit raises ValueError on these: the row is no link to a post, and no crash
    good = parse_list(LIST, BASE, today=TODAY)
    bad = parse_list(LIST.replace(ROW_LINK, f'href="{href}"', 1), BASE, today=TODAY)
    assert len(bad.rows) == len(good.rows) - 1
    assert {r.post_id for r in bad.rows} < {r.post_id for r in good.rows}


def test_an_image_or_attachment_link_that_is_no_url_is_left_out() -> None:
    bad = VIEW.replace('<div id="bo_v_con">', '<div id="bo_v_con"><img src="http://[x/a.png">', 1)
    bad = bad.replace('href="http://127.0.0.1:8056/bbs/download.php', 'href="http://[::1/', 1)
    post = parse_view(bad, f"{BASE}&wr_id=54")
    good = parse_view(VIEW, f"{BASE}&wr_id=54")
    assert isinstance(post, Post) and isinstance(good, Post)
    assert post.images == good.images
    # the download link that is no URL is no attachment; the others are read as before
    assert post.attachments == good.attachments[1:]


@pytest.mark.parametrize("page", ["9" * 5000, "²", "١٢", "0", "-3", "12abc"])
def test_a_page_number_that_is_no_page_number_is_page_1(page: str) -> None:
    # int() of 4,300+ digits raised ValueError; "²".isdigit() is True but int("²") raises
    assert parse_list(LIST, f"{BASE}&page={page}", today=TODAY).page == 1


def test_a_wr_id_in_other_digits_is_no_post_id() -> None:
    with pytest.raises(ParseError, match="wr_id"):
        parse_view(VIEW, f"{BASE}&wr_id=١٢")


def test_a_counter_past_any_real_count_is_unknown() -> None:
    # a 5,000-digit count raised ValueError; one past 2**31-1 broke PostgreSQL's integer column
    for digits in ("9" * 5000, str(2**31)):
        post = parse_view(VIEW.replace("> 1회<", f"> {digits}회<", 1), f"{BASE}&wr_id=54")
        assert isinstance(post, Post) and post.views is None
    post = parse_view(VIEW.replace("> 1회<", f"> {2**31 - 1}회<", 1), f"{BASE}&wr_id=54")
    assert isinstance(post, Post) and post.views == 2**31 - 1


def test_an_alert_with_nul_or_a_lone_surrogate_is_storable() -> None:
    page = '<html><script>alert("글이 존재하지 않습니다\\0\\ud800");</script></html>'
    assert parse_view(page, f"{BASE}&wr_id=5") == PostNotFound(post_id="5", url=f"{BASE}&wr_id=5")
    with pytest.raises(ParseError) as caught:
        parse_view(page.replace("글이 존재하지 않습니다", "점검"), f"{BASE}&wr_id=5")
    assert "점검\ufffd\ufffd" in str(caught.value)
    refused = parse_download(200, {"Content-Type": "text/html"}, page.encode())
    assert refused == DownloadRefused("the board refused: 글이 존재하지 않습니다\ufffd\ufffd")


def test_a_comment_time_out_of_range_in_utc_is_read_like_a_stamp_without_offset() -> None:
    # datetime.astimezone raised OverflowError for an ISO stamp before year 1 in UTC
    stamp = "0001-01-01T00:00:00+09:00"
    assert parse_comment_time(None, stamp) == parse_comment_time(None, "0001-01-01 00:00")
    assert parse_comment_time("26-11-24 09:00", "0001-01-01T00:00:00+14:00") is not None


@pytest.mark.parametrize("text", ["1" * 400, "1" * 400 + "M", "9" * 5000 + "K", ",", ",,K"])
def test_a_size_of_hundreds_of_digits_is_unreadable(text: str) -> None:
    assert shown_size(text) is None  # int(float("inf")) raised OverflowError; float("") ValueError
