"""Crawl runs (``/runs``): time, duration, requests, new/edited/deleted, health, errors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from starlette.responses import HTMLResponse

from archive import queries, reports
from archive.models import Board
from archive.web.browse import runs
from archive.web.deps import SessionDep
from archive.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/runs", response_class=HTMLResponse)
def runs_page(
    request: Request,
    s: SessionDep,
    board: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> HTMLResponse:
    if board:
        queries.board_by_name(s, board)  # 404 for an unknown board
    rows = runs(s, board or None, limit)
    boards = list(s.scalars(select(Board.name).order_by(Board.name)))
    return render(
        request.app.state.templates,
        request,
        "runs.html",
        {
            "rows": rows,
            "board": board,
            "boards": boards,
            "limit": limit,
            "tz": reports.zone_of(s, board or None, request.app.state.display_zone),
        },
    )
