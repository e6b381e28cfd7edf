"""The selectors the page objects read, overridable per board, and what a selector may be.

Every field is a CSS selector string (parsel/cssselect syntax), or an XPath written
``xpath://…``; every field of every profile takes both. A CSS selector may list alternatives
separated by top-level commas; the parsers try them **in the order written** and use the first
alternative that matches anything, so ``"#bo_v_title .bo_v_tit, #bo_v_title"`` prefers the
``.bo_v_tit`` span and falls back to the whole heading. (Selectors for repeated things, such as
``list_rows`` or ``comments``, take every match of every alternative, in document order.) An
XPath is one alternative (its union ``a | b`` takes the matches of both, in document order).
A selector selects elements: a CSS pseudo-element (``::text``, ``::attr(href)``) or an XPath
whose value is a string, number or boolean is refused (:func:`selector_problem`).

Selectors named ``row_*`` are evaluated inside one list row, ``attachment_*`` inside one
``attachments`` entry and ``comment_*`` inside one ``comments`` entry; a relative selector also
matches the element itself (parsel evaluates ``descendant-or-self``), which is how
``row_notice = "tr.bo_notice"`` tests the row. All other selectors are evaluated on the page.

The defaults cover the GnuBoard 5.6 and 5.4 "basic" skins and the 2017-era (5.2) basic skin.
This module lives in ``archive/`` so that the config loader can validate per-board overrides
(``[boards.x.selectors]``) with parsel, as the page objects apply them; it must not import
Scrapy or ``crawler``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from cssselect import SelectorError
from cssselect import parse as parse_css
from parsel import Selector as Document

XPATH = "xpath:"  # the prefix of a selector written as an XPath
_BLANK = Document(text="<html><head></head><body></body></html>", type="html")


#: What a GnuBoard 5 board reads from the engine's own markup whatever the skin (row and page
#: links, ``download.php`` and ``view_image.php`` links, comment anchors, the list form): an
#: override of one of these would change nothing, so a ``gnuboard5`` board's config refuses it.
#: (``list_rows``, ``list_empty`` and ``view_container`` stay: a ``render = "browser"`` board
#: waits for them.)
GNUBOARD5_ENGINE_READ = frozenset(
    {
        "list_container",
        "row_link",
        "pagination",
        "pagination_last",
        "pagination_current",
        "pagination_pages",
        "list_total",
        "view_images",
        "attachments",
        "attachment_link",
        "attachment_name",
        "attachment_size",
        "attachment_download_count",
        "attachment_date",
        "comments",
        "comment_id",
    }
)


@dataclass(frozen=True, slots=True)
class Selectors:
    # --- list page (bbs/board.php?bo_table=x[&page=n]) ---
    list_container: str = "#bo_list, #fboardlist"  # its absence means "not a list page"
    list_rows: str = "#bo_list tbody tr, #fboardlist tbody tr"
    list_empty: str = "td.empty_table"  # the "게시물이 없습니다" row of a page past the end
    row_link: str = 'td.td_subject a[href*="wr_id="], a[href*="wr_id="]'
    row_title: str = (
        'td.td_subject .bo_tit a[href*="wr_id="], td.td_subject a[href*="wr_id="], '
        'a[href*="wr_id="]'
    )
    # elements dropped from a title's text: "새글" badges, icons, comment counts, categories
    title_strip: str = (
        ".sound_only, .new_icon, .cnt_cmt, .bo_cate_link, .bo_v_cate, .lock_icon, "
        "i.fa, img, script, style"
    )
    row_number: str = "td.td_num2, td.td_num"
    row_author: str = (
        "td.td_name .sv_member, td.td_name .sv_guest, td.td_name .member, "
        "td.td_name .guest, td.td_name"
    )
    row_date: str = "td.td_datetime, td.td_date"
    row_views: str = "td.td_hit, td.td_date ~ td.td_num, td.td_num:not(.td_num2)"
    row_comment_count: str = ".cnt_cmt"
    row_notice: str = "tr.bo_notice, .notice_icon"
    row_secret: str = 'td.td_subject .fa-lock, td.td_subject img[src*="icon_secret"]'
    row_attachment: str = 'td.td_subject .fa-download, td.td_subject img[src*="icon_file"]'
    row_category: str = ".bo_cate_link"
    pagination: str = "nav.pg_wrap, .pg_wrap, span.pg"
    pagination_last: str = "a.pg_end"  # "맨끝"; absent on the last page itself
    pagination_current: str = "strong.pg_current"
    pagination_pages: str = 'a.pg_page, a[href*="page="]'
    list_total: str = "#bo_list_total"

    # --- view page (bbs/board.php?bo_table=x&wr_id=n) ---
    view_container: str = "#bo_v"  # its absence means "not a view page"
    view_title: str = "#bo_v_title .bo_v_tit, #bo_v_title"
    view_author: str = (
        "#bo_v_info .sv_member, #bo_v_info .sv_guest, #bo_v_info .member, #bo_v_info .guest"
    )
    # date, views and comment count: the first matched element whose text has the right shape
    # ("26-08-12 20:06", "2,306회", "3건") is used, so one broad selector serves all three.
    view_date: str = "#bo_v_info .if_date, #bo_v_info strong"
    view_views: str = "#bo_v_info strong"
    view_comment_count: str = "#bo_v_info strong"
    view_category: str = "#bo_v_title .bo_v_cate, #bo_v .bo_v_cate"
    view_body: str = "#bo_v_con"
    # attached images the skin shows above the body (not part of the body; see parse_view)
    view_images: str = '#bo_v_img a.view_image, #bo_v_img a[href*="view_image.php"]'
    attachments: str = "#bo_v_file li"
    attachment_link: str = 'a.view_file_download, a[href*="download.php"]'
    attachment_name: str = (
        'a.view_file_download strong, a[href*="download.php"] strong, '
        'a.view_file_download, a[href*="download.php"]'
    )
    attachment_size: str = 'a.view_file_download, a[href*="download.php"]'  # "… (1.2M)"
    attachment_download_count: str = ".bo_v_file_cnt"  # "37회 다운로드"
    # the upload time: the first match whose text has "DATE : 2026-11-24 23:24:23"
    attachment_date: str = ".bo_v_file_cnt, span"
    comments: str = '#bo_vc article[id^="c_"]'
    comment_id: str = '[id^="c_"]'  # the number of the element's id ("c_55")
    comment_author: str = (
        "header .member, header .guest, header .sv_member, header .sv_guest, "
        ".member, .sv_member, .sv_guest"
    )
    comment_time: str = "header time, .bo_vc_hdinfo time, time"
    comment_text: str = ".cmt_contents, header ~ p, p"
    comment_secret: str = (
        'input[id^="secret_comment_"][value*="secret"], img[src*="icon_secret"], '
        ".cmt_contents .fa-lock"
    )

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def with_overrides(cls, mapping: Mapping[str, str]) -> Selectors:
        """The defaults with some fields replaced; an unknown key or a bad value is a ValueError."""
        known = set(cls.field_names())
        for key in mapping:
            if key not in known:
                raise ValueError(f"unknown selector {key!r} (known: {', '.join(sorted(known))})")
        for key, value in mapping.items():
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"selector {key!r}: expected a non-empty selector string")
            if why := selector_problem(value.strip()):
                raise ValueError(f"selector {key!r}: {why}")
        return cls(**{k: v.strip() for k, v in mapping.items()})

    def alternatives(self, name: str) -> tuple[str, ...]:
        """The comma-separated alternatives of field ``name``, in order."""
        return split_alternatives(getattr(self, name))


@lru_cache(maxsize=512)  # a skin's few selectors, split for every row and page
def split_alternatives(css: str) -> tuple[str, ...]:
    """Split ``css`` at top-level commas (not inside ``()``, ``[]`` or quotes); an ``xpath:``
    selector is one alternative."""
    if css.startswith(XPATH):
        return (css,)
    parts: list[str] = []
    depth = 0
    quote = ""
    start = 0
    for i, ch in enumerate(css):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(css[start:i])
            start = i + 1
    parts.append(css[start:])
    return tuple(p.strip() for p in parts if p.strip())


def selector_problem(value: str) -> str | None:
    """Why the page objects cannot apply ``value`` (stripped), or None: it is compiled and run on
    a blank page with parsel, as a whole and (CSS) alternative by alternative, as they run it."""
    if value.startswith(XPATH):
        return _xpath_problem(value)
    alternatives = split_alternatives(value)
    if any(a.startswith(XPATH) for a in alternatives):
        return f"invalid CSS {value!r}: an xpath: selector is the whole value, not an alternative"
    for query in (value, *alternatives):
        try:
            pseudo = [s.pseudo_element for s in parse_css(query) if s.pseudo_element]
            _BLANK.css(query)
        except SelectorError as exc:
            return f"invalid CSS {value!r}: {exc}"
        if pseudo:
            name = getattr(pseudo[0], "name", pseudo[0])
            return f"invalid CSS {value!r}: the pseudo-element ::{name} selects no element"
    return None


def _xpath_problem(value: str) -> str | None:
    query = value[len(XPATH) :]
    try:
        found = _BLANK.xpath(query)
    except ValueError as exc:  # parsel's "XPath error: … in QUERY"
        reason = str(exc).removeprefix("XPath error: ").removesuffix(f" in {query}")
        return f"invalid XPath {value!r}: {reason}"
    if found and isinstance(found[0].root, str | bool | int | float):
        kind = type(found[0].root).__name__
        return f"invalid XPath {value!r}: its value is a {kind}, not elements"
    return None
