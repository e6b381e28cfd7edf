"""Fuzzing the invariant readers (``crawler.pages.g5``) as ``test_fuzz`` fuzzes the basic-skin
parser: on mutated sample pages (basic and third-party skins) they return their readings, or
``ParseError`` where the page or URL is not one of the board's; the items made of them hold
only storable strings; comparing pages never raises."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from archive.items import ListPage, Post
from crawler.pages.errors import ParseError
from crawler.pages.g5 import items
from crawler.pages.g5.answers import engine_answer
from crawler.pages.g5.body import BodyFinding, find_body
from crawler.pages.g5.listing import read_list
from crawler.pages.g5.view import read_view

from ._sample import SAMPLES
from .test_fuzz import (
    _TEXT,
    FUZZ,
    PAGES,
    Page,
    _string_mutation,
    _tree_mutation,
    assert_storable,
    outcome,
)

SKIN_PAGES = {
    str(p.relative_to(SAMPLES)): p.read_text("utf-8")
    for p in sorted((SAMPLES / "skins").glob("*/*.html"))
    if p.stat().st_size
}
ALL_PAGES = {**PAGES, **SKIN_PAGES}
BASE = "http://127.0.0.1:8056/bbs/board.php?bo_table=press"


@st.composite
def mutated_pages(draw: st.DrawFn) -> Page:
    seed = draw(st.sampled_from(sorted(ALL_PAGES)))
    html = ALL_PAGES[seed]
    for _ in range(draw(st.integers(1, 4))):
        tree = draw(st.booleans())
        html = draw(_tree_mutation(html) if tree else _string_mutation(html))
    page = Page(html)
    page.seed = seed
    return page


@FUZZ
@given(
    html=mutated_pages(),
    today=st.dates(date(1990, 1, 1), date(2100, 12, 31)),
    page=st.one_of(st.just("2"), _TEXT),
)
def test_read_list_returns_readings(html: str, today: date, page: str) -> None:
    url = f"{BASE}&page={quote(page)}"
    result = outcome(lambda: items.list_page(read_list(html, url), today))
    assert isinstance(result, ListPage)
    assert_storable(result)
    assert all(row.post_id.isdigit() for row in result.rows)
    assert result.last_page is None or result.last_page >= 1


@FUZZ
@given(
    html=mutated_pages(),
    wr_id=st.one_of(st.sampled_from(["130", "54", "12"]), _TEXT),
    status=st.one_of(st.just(200), st.integers(100, 599)),
)
def test_read_view_returns_readings_or_parse_error(html: str, wr_id: str, status: int) -> None:
    url = f"{BASE}&wr_id={quote(wr_id)}"
    answer = engine_answer(status, None, html, url)
    result = outcome(lambda: items.post(read_view(html, url)))
    assert isinstance(result, Post | ParseError)
    if isinstance(result, Post):
        assert_storable(result)
        assert result.post_id.isdigit()
    assert answer is None or answer.post_id is None or answer.post_id.isdigit()


@FUZZ
@given(first=mutated_pages(), second=mutated_pages())
def test_comparing_pages_never_raises(first: str, second: str) -> None:
    found = find_body([(first, f"{BASE}&wr_id=1"), (second, f"{BASE}&wr_id=2")])
    assert isinstance(found, BodyFinding)
    if found.selector is not None:
        read_view(first, f"{BASE}&wr_id=1", body_path=found.selector)
