"""GnuBoard's little text and number helpers, as its PHP functions format things."""

from __future__ import annotations

import json
import re
from datetime import datetime

from board_archive.demoboard.content import SEOUL

_GET_TEXT = str.maketrans({"<": "&lt;", ">": "&gt;", '"': "&#034;", "'": "&#039;"})


def get_text(value: str, *, html: bool = False) -> str:
    """``get_text()``: escapes ``< > " '`` but not ``&``; with ``html`` newlines become <br/>."""
    out = value.translate(_GET_TEXT)
    return out.replace("\n", "<br/>") if html else out


def attr(value: str) -> str:
    """An attribute value the way PHP's ``htmlspecialchars`` would write it."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def cut_str(value: str, length: int, suffix: str = "…") -> str:
    """``cut_str()``: at most ``length`` characters, then ``suffix``."""
    return value if len(value) <= length else value[:length] + suffix


def number_format(n: int) -> str:
    return f"{n:,}"


def filesize(size: int) -> str:
    """``get_filesize()``: "220byte", "245.3K", "1.2M"."""
    if size >= 1048576:
        return f"{size / 1048576:,.1f}M"
    if size >= 1024:
        return f"{size / 1024:,.1f}K"
    return f"{size:,}byte"


def seoul(when: datetime) -> datetime:
    return when.astimezone(SEOUL)


def list_date(when: datetime, now: datetime) -> str:
    """The list's date column: ``HH:MM`` for today's posts, ``MM-DD`` otherwise (Seoul time)."""
    local = seoul(when)
    return local.strftime("%H:%M") if local.date() == seoul(now).date() else local.strftime("%m-%d")


def js_string(value: str) -> str:
    """A JavaScript string body as PHP's ``json_encode`` writes it (``\\/``, ``\\u0026``)."""
    text = json.dumps(value, ensure_ascii=False)[1:-1]
    return text.replace("/", "\\/").replace("&", "\\u0026").replace("<", "\\u003C")


def paging(write_pages: int, cur_page: int, total_page: int, url: str) -> str:
    """``get_paging()``: the ``nav.pg_wrap`` links; ``url`` ends with ``page=``."""
    out: list[str] = []
    if cur_page > 1:
        out.append(f'<a href="{url}1" class="pg_page pg_start">처음</a>\n')
    start = ((cur_page - 1) // write_pages) * write_pages + 1
    end = min(start + write_pages - 1, total_page)
    if start > 1:
        out.append(f'<a href="{url}{start - 1}" class="pg_page pg_prev">이전</a>\n')
    if total_page > 1:
        for k in range(start, end + 1):
            label = '<span class="sound_only">페이지</span>'
            if k != cur_page:
                out.append(f'<a href="{url}{k}" class="pg_page">{k}{label}</a>\n')
            else:
                current = f'<strong class="pg_current">{k}</strong>'
                out.append(f'<span class="sound_only">열린</span>{current}{label}\n')
    if total_page > end:
        out.append(f'<a href="{url}{end + 1}" class="pg_page pg_next">다음</a>\n')
    if cur_page < total_page:
        out.append(f'<a href="{url}{total_page}" class="pg_page pg_end">맨끝</a>\n')
    if not out:
        return ""
    return f'<nav class="pg_wrap"><span class="pg">{"".join(out)}</span></nav>'


_LEADING_INT = re.compile(r"^\s*[+]?(\d+)")


def php_int(value: str | None) -> int:
    """PHP's ``(int)`` of a query value: leading digits, else 0."""
    m = _LEADING_INT.match(value or "")
    return int(m.group(1)) if m else 0
