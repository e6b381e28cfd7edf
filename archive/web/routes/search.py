"""Search across boards (``/search``): full text over current titles and bodies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from starlette.responses import HTMLResponse

from archive import reports
from archive.models import Board
from archive.web.deps import SessionDep
from archive.web.search import search
from archive.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    s: SessionDep,
    q: Annotated[str, Query(max_length=200)] = "",
    board: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> HTMLResponse:
    results = search(s, q, board or None, page)
    boards = list(s.scalars(select(Board.name).order_by(Board.name)))
    return render(
        request.app.state.templates,
        request,
        "search.html",
        {
            "r": results,
            "boards": boards,
            "params": {"q": q, "board": board},
            "tz": reports.zone_of(s, board or None, request.app.state.display_zone),
        },
    )
