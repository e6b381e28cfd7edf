"""Jinja2 templates and the filters they use.

Pages are in the reader's language (:mod:`archive.web.i18n`: Korean unless asked otherwise).
Times are shown in the zone a page puts in its context as ``tz``: a board's own zone on the pages
of one board (its posts, a post, a diff; runs and search narrowed to it), the archive's display
zone (``[archive] timezone``, ``app.state.display_zone``) on pages across boards, which
:func:`render` puts there by default.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.responses import HTMLResponse

from archive.localtime import describe, format_local, zone_label
from archive.web import i18n

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


@pass_context
def local(context: Context, value: datetime | None) -> str:
    """``{{ post.posted_at | local }}``: the time in the page's zone (``tz``)."""
    tz: tzinfo = context["tz"]
    return format_local(value, tz)


@pass_context
def duration(context: Context, value: timedelta | None) -> str:
    """``1m 05s`` (``1분 05초`` in Korean)."""
    if value is None:
        return ""
    h, m, s = ("시간", "분", "초") if context.get("lang") == "ko" else ("h", "m", "s")
    seconds = int(value.total_seconds())
    if seconds < 60:
        return f"{seconds}{s}"
    if seconds < 3600:
        return f"{seconds // 60}{m} {seconds % 60:02d}{s}"
    return f"{seconds // 3600}{h} {seconds % 3600 // 60:02d}{m}"


def number(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def query_string(params: Mapping[str, Any], **changes: Any) -> str:
    """``?a=1&b=2`` from the current parameters with some changed (None or "" drops one)."""
    merged = {**params, **changes}
    kept = {k: v for k, v in merged.items() if v is not None and v != "" and v is not False}
    return "?" + urlencode(kept) if kept else "?"


@pass_context
def path_for(context: Context, name: str, /, **params: Any) -> str:
    """The path of a route (no scheme or host: links work behind any proxy or host name)."""
    request: Request = context["request"]
    return str(request.scope.get("root_path", "")) + str(request.app.url_path_for(name, **params))


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    env = templates.env
    env.filters.update(
        local=local, zone_label=zone_label, describe=describe, duration=duration, number=number
    )
    env.globals.update(query_string=query_string, path_for=path_for)
    i18n.install(env)
    env.trim_blocks = True
    env.lstrip_blocks = True
    return templates


def render(
    templates: Jinja2Templates,
    request: Request,
    name: str,
    context: dict[str, Any],
    status_code: int = 200,
) -> HTMLResponse:
    lang = i18n.language(request)
    context = {"tz": request.app.state.display_zone, "lang": lang, "langs": i18n.LANGS, **context}
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    i18n.keep_choice(request, response)
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Cookie"
    return response
