"""The boards overview (``/``) and a board's posts (``/boards/{board}``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from archive import queries
from archive.localtime import zone
from archive.web.browse import SORTS, boards_overview, list_board_posts
from archive.web.deps import SessionDep
from archive.web.i18n import language, translator
from archive.web.params import PostQueryDep
from archive.web.sparkline import sparkline
from archive.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, s: SessionDep) -> HTMLResponse:
    boards = boards_overview(s)
    _ = translator(language(request))
    charts = {b.name: sparkline(b.nights, _) for b in boards}
    return render(
        request.app.state.templates, request, "boards.html", {"boards": boards, "charts": charts}
    )


@router.get("/boards/{board}", response_class=HTMLResponse)
def board_posts(request: Request, board: str, s: SessionDep, pq: PostQueryDep) -> HTMLResponse:
    b = queries.board_by_name(s, board)
    tz = zone(b.timezone)
    page = list_board_posts(s, b, pq.to_filter(tz))
    return render(
        request.app.state.templates,
        request,
        "posts.html",
        {"board": b, "page": page, "pq": pq, "params": pq.params(), "sorts": SORTS, "tz": tz},
    )
