import dataclasses
from pathlib import Path

import pytest

from archive.config import ConfigError, load_config
from archive.items import Post
from archive.selectors import Selectors, split_alternatives
from crawler.pages.profiles import Profile, profile_for

from ._sample import board_url, load

EXPECTED_FIELDS = {
    # list page
    "list_container", "list_rows", "list_empty", "row_link", "row_title", "title_strip",
    "row_number", "row_author", "row_date", "row_views", "row_comment_count", "row_notice",
    "row_secret", "row_attachment", "row_category", "pagination", "pagination_last",
    "pagination_current", "pagination_pages", "list_total",
    # view page
    "view_container", "view_title", "view_author", "view_date", "view_views",
    "view_comment_count", "view_category", "view_body", "view_images", "attachments",
    "attachment_link", "attachment_name", "attachment_size", "attachment_download_count",
    "attachment_date",
    "comments", "comment_id", "comment_author", "comment_time", "comment_text", "comment_secret",
}  # fmt: skip


def test_fields_are_the_documented_css_strings() -> None:
    assert set(Selectors.field_names()) == EXPECTED_FIELDS
    defaults = Selectors()
    for name in Selectors.field_names():
        value = getattr(defaults, name)
        assert isinstance(value, str) and value.strip(), name
    assert defaults.view_body == "#bo_v_con"
    assert defaults.row_notice.startswith("tr.bo_notice")


def test_selectors_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Selectors().view_body = "#x"  # type: ignore[misc]


def test_overrides_replace_only_the_given_fields() -> None:
    assert Selectors.with_overrides({}) == Selectors()
    custom = Selectors.with_overrides({"view_body": " #post_body ", "row_date": "td.date"})
    assert custom.view_body == "#post_body"
    assert custom.row_date == "td.date"
    assert custom.view_title == Selectors().view_title


def test_unknown_override_key_is_a_value_error_naming_it() -> None:
    with pytest.raises(ValueError, match="'body_container'"):
        Selectors.with_overrides({"view_body": "#a", "body_container": "#b"})


@pytest.mark.parametrize("value", ["", "   ", "td[", "a:::b", 3])
def test_bad_override_values_are_value_errors(value: object) -> None:
    with pytest.raises(ValueError, match="'view_body'"):
        Selectors.with_overrides({"view_body": value})  # type: ignore[dict-item]


def test_alternatives_split_at_top_level_commas_only() -> None:
    css = 'a[title="x, y"], td:not(.a, .b) > i, b'
    assert split_alternatives(css) == ('a[title="x, y"]', "td:not(.a, .b) > i", "b")
    assert Selectors().alternatives("view_title") == ("#bo_v_title .bo_v_tit", "#bo_v_title")


def test_xpath_is_one_alternative() -> None:
    xpath = "xpath://div[@id='a' or contains(@class, 'b, c')] | //p"
    assert split_alternatives(xpath) == (xpath,)


@pytest.mark.parametrize(
    "value",
    ["a::text", "img::attr(src)", "a, xpath://b", "xpath://a[[", "xpath:count(//a)", "xpath:"],
)
def test_what_the_page_objects_cannot_apply_is_a_value_error(value: str) -> None:
    with pytest.raises(ValueError, match="'view_body'"):
        Selectors.with_overrides({"view_body": value})


def _board(tmp_path: Path, selectors: str) -> Profile:
    """The profile of a board whose config file overrides ``selectors``."""
    url = board_url("v5.6", "")
    path = tmp_path / "boards.toml"
    text = f'[boards.press]\nurl = "{url}"\n[boards.press.selectors]\n{selectors}\n'
    path.write_text(text, encoding="utf-8")
    board = load_config(path, env={}).board("press")
    return profile_for(board.engine, board.selectors, board.profile)


def test_an_xpath_body_override_reads_a_saved_view_page(tmp_path: Path) -> None:
    """An ``xpath:`` override in a GnuBoard field (once a SelectorSyntaxError on every view page)
    loads, and the page object applies it: the same body as the skin's CSS finds; an XPath to
    its first paragraph reads that paragraph alone."""
    sample = load("v5.6/press_view_attachment_wr54_with_comments")
    url = board_url("v5.6", "&wr_id=54")
    expected = profile_for("gnuboard5", {}).parse_view(sample.html, url)
    assert isinstance(expected, Post) and "\n" in expected.body_text
    first_line = expected.body_text.split("\n")[0]
    for selectors, body_text in [
        ("view_body = \"xpath://div[@id='bo_v_con']\"", expected.body_text),
        ("view_body = \"xpath://div[@id='bo_v_con']/p[1]\"", first_line),
    ]:
        post = _board(tmp_path, selectors).parse_view(sample.html, url)
        assert isinstance(post, Post)
        assert post.body_text == body_text
        assert (post.title, post.attachments) == (expected.title, expected.attachments)


def test_xpath_row_overrides_read_a_saved_list_page(tmp_path: Path) -> None:
    sample = load("v5.6/press_list_p1")
    url = board_url("v5.6", "")
    expected = profile_for("gnuboard5", {}).parse_list(sample.html, url, today=sample.fetched_on)
    same = "row_date = \"xpath:.//td[has-class('td_datetime')]\""
    listing = _board(tmp_path, same).parse_list(sample.html, url, today=sample.fetched_on)
    assert listing.rows == expected.rows and len(listing.rows) > 10
    # an override is read first, wherever it points: here the number column as the title
    numbers = "row_title = \"xpath:.//td[has-class('td_num2')]\""
    listing = _board(tmp_path, numbers).parse_list(sample.html, url, today=sample.fetched_on)
    assert [r.title for r in listing.rows if not r.notice] == [
        r.number for r in expected.rows if not r.notice
    ]


@pytest.mark.parametrize("field", ["attachments", "row_link", "pagination", "comment_id"])
def test_an_override_of_what_the_engine_reads_is_a_config_error(tmp_path: Path, field: str) -> None:
    with pytest.raises(ConfigError, match=f"selectors.{field}.*engine's own links"):
        _board(tmp_path, f'{field} = "div.x"')
