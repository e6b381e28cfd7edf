import dataclasses

import pytest

from archive.selectors import Selectors, split_alternatives

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
