"""``probe``'s survey of a GnuBoard board (``crawler.pages.g5.survey``) on the real sample pages:
every field says where it was read from, what could not be found is said, and the selectors it
proposes are the ones the invariants do not give."""

from __future__ import annotations

import pytest

from crawler.pages.g5.readings import Source
from crawler.pages.g5.survey import Survey, survey

from ._sample import load

HOST = "http://127.0.0.1:8056"


def _pages(skin: str, table: str, views: list[tuple[str, int]]) -> Survey:
    lists = [
        (load(f"skins/{skin}/list-p1").html, f"{HOST}/bbs/board.php?bo_table={table}"),
        (load(f"skins/{skin}/list-p2").html, f"{HOST}/bbs/board.php?bo_table={table}&page=2"),
    ]
    pages = [
        (load(f"skins/{skin}/{name}").html, f"{HOST}/bbs/board.php?bo_table={table}&wr_id={n}")
        for name, n in views
    ]
    return survey(lists, pages)


def _field(report: Survey, page: str, name: str) -> tuple[Source, str]:
    found = next(f for f in report.fields if (f.page, f.name) == (page, name))
    return found.source, found.value


@pytest.mark.parametrize(
    ("skin", "table", "views", "shows_author"),
    [
        ("pt_webzine", "skin2", [("view-26-comments", 26), ("view-7-attach", 7)], True),
        ("coto_news", "skin4", [("view-28-comments", 28), ("view-9-attach", 9)], False),
    ],
)
def test_third_party_skins_are_read_with_no_selectors(
    skin: str, table: str, views: list[tuple[str, int]], shows_author: bool
) -> None:
    report = _pages(skin, table, views)
    rows_source, rows = _field(report, "list", "rows")
    assert rows_source is Source.ENGINE and "page 1: " in rows and "page 2: " in rows
    for name in ("title", "posted", "body"):
        source, value = _field(report, "view", name)
        assert source is not Source.NOT_FOUND and value != "-", name
    # the news skin prints no author on its view pages: said, not guessed
    assert (_field(report, "view", "author")[0] is not Source.NOT_FOUND) is shows_author
    assert ("view author: not found on any view page" in report.uncertain) is not shows_author
    # #bo_v_con is kept by both skins: nothing to configure
    assert _field(report, "view", "body")[0] is Source.SKIN and report.selectors == {}
    assert not any("view body" in line for line in report.uncertain)


def test_a_renamed_body_is_found_by_comparing_and_proposed_as_view_body() -> None:
    skin, table = "coto_news", "skin4"
    views = [("view-28-comments", 28), ("view-9-attach", 9)]
    lists = [(load(f"skins/{skin}/list-p1").html, f"{HOST}/bbs/board.php?bo_table={table}")]
    pages = [
        (
            load(f"skins/{skin}/{name}").html.replace('id="bo_v_con"', 'class="article-text"'),
            f"{HOST}/bbs/board.php?bo_table={table}&wr_id={n}",
        )
        for name, n in views
    ]
    report = survey(lists, pages)
    assert _field(report, "view", "body")[0] is Source.COMPARED
    assert "article-text" in report.selectors["view_body"]
    one = survey(lists, pages[:1])  # one view page: nothing to compare with
    assert _field(one, "view", "body")[0] is Source.NOT_FOUND and one.selectors == {}
    assert any(
        "view body: cannot be told" in line and "view_body" in line for line in one.uncertain
    )
