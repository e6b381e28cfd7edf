"""Config: selector overrides are checked when the file loads, CSS or ``xpath:`` in every field;
a bad one is an error naming the board and the field, reported with the file's other errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.config import BoardConfig, ConfigError, load_config

URL = "https://h/bbs/board.php?bo_table=a"
# a rhymix board: every field may be overridden (a gnuboard5 board refuses overrides of what
# it reads from the engine's own links, tests/pages/test_selectors.py)
RHYMIX = 'engine = "rhymix"\n'


def load(tmp_path: Path, text: str) -> dict[str, BoardConfig]:
    path = tmp_path / "boards.toml"
    path.write_text(text, encoding="utf-8")
    return dict(load_config(path, env={}).boards)


def errors(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as exc:
        load(tmp_path, text)
    return [line.split(": ", 1)[1] for line in exc.value.lines]


def test_a_bad_css_and_a_bad_xpath_each_name_the_board_and_the_field(tmp_path: Path) -> None:
    text = (
        f'[boards.press]\nurl = "{URL}"\n{RHYMIX}'
        "[boards.press.selectors]\n"
        'view_body = "div#content["\n'
        "attachments = \"xpath://section[@id='bo_v_file'\"\n"
        f'[boards.notice]\nurl = "{URL}"\ndelay = -1\n'
        "[boards.notice.selectors]\n"
        "row_date = \"xpath://td[@class='date']/text()[\"\n"
    )
    found = errors(tmp_path, text)
    assert found[0].startswith("boards.press.selectors.view_body: invalid CSS 'div#content[': ")
    assert found[1] == (
        "boards.press.selectors.attachments: invalid XPath "
        "\"xpath://section[@id='bo_v_file'\": Invalid predicate"
    )
    assert found[2:] == [
        "boards.notice.delay: expected a number >= 0, got -1",
        "boards.notice.selectors.row_date: invalid XPath "
        "\"xpath://td[@class='date']/text()[\": Invalid expression",
    ]


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        ("td.subject::text", "the pseudo-element ::text selects no element"),
        ("a::attr(href)", "the pseudo-element ::attr selects no element"),
        ("a:bogus(1)", "The pseudo-class :bogus() is unknown"),
        ("td.a, xpath://td", "an xpath: selector is the whole value, not an alternative"),
        ("xpath:count(//tr)", "its value is a float, not elements"),
        ("xpath:string(//h1)", "its value is a str, not elements"),
        ("xpath://a | nope()", "Unregistered function"),
    ],
)
def test_what_the_page_objects_cannot_apply_is_refused(
    tmp_path: Path, selector: str, message: str
) -> None:
    text = (
        f'[boards.press]\nurl = "{URL}"\n[boards.press.selectors]\nrow_title = """{selector}"""\n'
    )
    (line,) = errors(tmp_path, text)
    assert line.startswith("boards.press.selectors.row_title: invalid ")
    assert line.endswith(message)


def test_every_field_takes_css_or_xpath(tmp_path: Path) -> None:
    text = (
        f'[boards.press]\nurl = "{URL}"\n{RHYMIX}'
        "[boards.press.selectors]\n"
        "attachments = \"  xpath://section[@id='bo_v_file']//li  \"\n"
        'comments = "#bo_vc article, xpath:"\n'
        "view_body = \"xpath://div[@id='bo_v_con'] | //div[@class='view']\"\n"
        "title_strip = \"xpath:.//*[has-class('sound_only')]\"\n"
        "row_link = \"td.td_subject a[href*='wr_id='], a[href*='wr_id=']\"\n"
    )
    with pytest.raises(ConfigError, match=r"boards\.press\.selectors\.comments: invalid CSS"):
        load(tmp_path, text)
    board = load(tmp_path, text.replace(', xpath:"', '"'))["press"]
    assert board.selectors["attachments"] == "xpath://section[@id='bo_v_file']//li"
    assert (
        board.parsed_selectors().view_body == "xpath://div[@id='bo_v_con'] | //div[@class='view']"
    )
