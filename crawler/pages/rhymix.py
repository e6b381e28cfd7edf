"""The ``rhymix`` profile: XE and Rhymix boards (the "default" board skin and its relatives).

URLs: the list is ``index.php?mid=board`` (or the short ``/board``); a document is
``index.php?mid=board&document_srl=123`` or ``/board/123``; list page N adds ``page=N``. The
canonical view URL used by the crawler is the long form, so a post is fetched at one URL.

Answers: a missing (or deleted) document answers HTTP 404 with "대상을 찾을 수 없습니다."
(``msg_not_founded``; the English "The requested target could not be found."); a secret
document answers HTTP 403 with its header (title, time, author, views) and a password form
where the body would be (Rhymix 2.1; older XE answered 200 with the
``procBoardVerificationPassword`` form). Only a 404 with that text is a not-found, only a page
with the form a secret post: any other 403 or 404 is an error. Dates read "2026.05.01 12:34"
(view) and "2026.05.01" (list). Parsing is ``crawler.pages.generic.SelectorParser`` with
these selectors.
"""

from __future__ import annotations

import dataclasses

from crawler.pages.generic import SelectorParser
from crawler.pages.profile import NO_SELECTORS, Profile

SELECTORS = dataclasses.replace(
    NO_SELECTORS,
    list_container=".board_list, table.bd_lst, #board_list, .bd_lst_wrp",
    list_rows=".board_list tbody tr, table.bd_lst tbody tr, #board_list tbody tr",
    list_empty=".no_article, td.no_article",
    row_link=(
        'td.title a[href*="document_srl="], td.title a:not(.replyNum), a[href*="document_srl="]'
    ),
    row_title='td.title a[href*="document_srl="], td.title a:not(.replyNum)',
    title_strip=".replyNum, .sound_only, img, i, script, style",
    row_number="td.no",
    row_author="td.author, td.author a",
    row_date="td.time, td.date, td.regdate",
    row_views="td.readNum, td.m_no",
    row_comment_count="a.replyNum, .replyNum",
    row_notice="tr.notice, td.notice",
    row_secret='img[src*="secret"], .ico_secret',
    row_attachment='img[src*="file"], .ico_file',
    row_category="td.cate, .cate",
    pagination=".pagination, .bd_pg",
    pagination_current=".pagination strong, .bd_pg strong",
    pagination_pages='a[href*="page="]',
    view_container=".board_read, .rd, .xe_content",
    view_title=".read_header h1, .rd_hd h1, .board_read h1",
    view_author=(
        ".read_header .meta .member_4, .read_header .meta a, .rd_hd .side a, "
        ".read_header .meta .author"
    ),
    view_date=".read_header .time, .rd_hd .date, .board_read .date",
    view_views=".read_header .read, .rd_hd .side .read",
    view_category=".read_header .category, .rd_hd .cate",
    view_body=".read_body .xe_content, .rd_body .xe_content, .xe_content",
    attachments=".fileList ul.files li, .rd_fnt .files li",
    attachment_link='a[href*="procFileDownload"], a[href*="file_srl"], a',
    attachment_name='a[href*="procFileDownload"], a[href*="file_srl"], a',
    attachment_size=".fileSize",
    comments='#comment li.fbItem, .feedback li[id^="comment_"], ul.fbList li',
    comment_id='[id^="comment_"]',
    comment_author=".author, .meta a",
    comment_time=".time, .date",
    comment_text=".xe_content",
)

RHYMIX = Profile(
    name="rhymix",
    selectors=SELECTORS,
    view_url_template="{root}/index.php?mid={mid}&document_srl={id}",
    parser=SelectorParser(),
    id_params=("document_srl",),
    id_path=r"^/[A-Za-z0-9_]+/(\d+)/?$",
    not_found=("대상을 찾을 수 없습니다", "The requested target could not be found"),
    secret=(
        'input[name="act"][value="procBoardVerificationPassword"]',
        '.read_body form input[name="password"]',
        'form[onsubmit*="input_password"]',
    ),
    answer_statuses=(403, 404),
    list_markers=(".board_list", "table.bd_lst"),
)
