"""A post (``/boards/{board}/posts/{id}``) and the diff of two of its versions (``…/diff``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse

from archive.localtime import zone
from archive.web.deps import SessionDep
from archive.web.detail import FIELD_LABELS, diff_view, post_view
from archive.web.files import stored_images, version_files
from archive.web.security import sanitise
from archive.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/boards/{board}/posts/{post_id}", response_class=HTMLResponse)
def post_page(
    request: Request,
    board: str,
    post_id: str,
    s: SessionDep,
    v: Annotated[int | None, Query(ge=1, description="Show this version")] = None,
) -> HTMLResponse:
    view = post_view(s, board, post_id, v)
    files = version_files(s, view.shown.id, request.app.state.blobs) if view.shown else []
    body = None
    if view.shown:
        images = stored_images(files, str(request.scope.get("root_path", "")))
        body = sanitise(view.shown.body_html, view.post.url, images)
    return render(
        request.app.state.templates,
        request,
        "post.html",
        {
            "view": view,
            "body": body,
            "files": files,
            "labels": FIELD_LABELS,
            "tz": zone(view.board.timezone),
        },
    )


@router.get("/boards/{board}/posts/{post_id}/diff", response_class=HTMLResponse)
def diff_page(
    request: Request,
    board: str,
    post_id: str,
    s: SessionDep,
    from_: Annotated[int | None, Query(alias="from", ge=1)] = None,
    to: Annotated[int | None, Query(ge=1)] = None,
    view: Annotated[str, Query(pattern="^(side|inline)$")] = "side",
) -> HTMLResponse:
    d = diff_view(s, board, post_id, from_, to)
    return render(
        request.app.state.templates,
        request,
        "diff.html",
        {"d": d, "mode": view, "labels": FIELD_LABELS, "tz": zone(d.board.timezone)},
    )
