"""The JSON API (``/api/...``): the same data as the pages. OpenAPI at ``/api/openapi.json``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from archive import queries
from archive.localtime import zone
from archive.models import Post, PostVersion
from archive.web import search as search_mod
from archive.web.browse import boards_overview, list_board_posts, runs
from archive.web.deps import SessionDep
from archive.web.detail import diff_view, full_version, load_post, post_view, version_infos
from archive.web.files import stored_images, version_files
from archive.web.params import PostQueryDep
from archive.web.schemas import (
    BoardOut,
    CommentOut,
    DiffOut,
    EventOut,
    FileOut,
    HitOut,
    PostListOut,
    PostOut,
    PostRowOut,
    RunOut,
    SearchOut,
    VersionOut,
    VersionSummaryOut,
)
from archive.web.security import sanitise

router = APIRouter(tags=["archive"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such board/post/version"}}


@router.get("/boards", response_model=list[BoardOut], summary="Boards with counts and last run")
def api_boards(s: SessionDep) -> list[BoardOut]:
    return [BoardOut.of(b) for b in boards_overview(s)]


@router.get(
    "/boards/{board}/posts",
    response_model=PostListOut,
    responses=NOT_FOUND,
    summary="A board's posts: filtered, sorted, paginated",
)
def api_posts(
    board: str,
    s: SessionDep,
    pq: PostQueryDep,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
) -> PostListOut:
    b = queries.board_by_name(s, board)
    page = list_board_posts(s, b, pq.to_filter(zone(b.timezone), per_page))
    return PostListOut(
        board=b.name,
        total=page.total,
        page=page.page,
        pages=page.pages,
        per_page=per_page,
        counts=page.counts,
        posts=[PostRowOut.of(r) for r in page.rows],
    )


@router.get(
    "/boards/{board}/posts/{post_id}",
    response_model=PostOut,
    responses=NOT_FOUND,
    summary="A post: its current version with its files, versions, events and comments",
)
def api_post(request: Request, board: str, post_id: str, s: SessionDep) -> PostOut:
    view = post_view(s, board, post_id)
    p, shown = view.post, view.shown
    return PostOut(
        board=view.board.name,
        post_id=p.source_id,
        url=p.url,
        title=p.title,
        state=p.state.value,
        notice=p.notice,
        posted_at=p.posted_at,
        first_seen_at=p.first_seen_at,
        last_seen_at=p.last_seen_at,
        last_changed_at=p.last_changed_at,
        deleted_at=p.deleted_at,
        current_version=p.current_version,
        views=view.views,
        comment_count=view.comment_count,
        current=_version_out(request, s, p, shown) if shown else None,
        versions=[VersionSummaryOut.of(v) for v in view.versions],
        events=[EventOut.of(e) for e in view.events],
        comments=[CommentOut.of(c) for c in view.comments],
    )


@router.get(
    "/boards/{board}/posts/{post_id}/versions",
    response_model=list[VersionSummaryOut],
    responses=NOT_FOUND,
    summary="A post's versions, oldest first",
)
def api_versions(board: str, post_id: str, s: SessionDep) -> list[VersionSummaryOut]:
    _, post = load_post(s, board, post_id)
    return [VersionSummaryOut.of(v) for v in version_infos(s, post)]


@router.get(
    "/boards/{board}/posts/{post_id}/versions/{number}",
    response_model=VersionOut,
    responses=NOT_FOUND,
    summary="One version with its content",
)
def api_version(
    request: Request, board: str, post_id: str, number: int, s: SessionDep
) -> VersionOut:
    _, post = load_post(s, board, post_id)
    return _version_out(request, s, post, full_version(s, post, number))


def _version_out(request: Request, s: Session, post: Post, v: PostVersion) -> VersionOut:
    """A version with its files; its body sanitised, stored images pointing at the archive."""
    files = version_files(s, v.id, request.app.state.blobs)
    root = str(request.scope.get("root_path", ""))
    safe = sanitise(v.body_html, post.url, stored_images(files, root))
    return VersionOut.full(v, str(safe), [FileOut.of(f, root) for f in files])


@router.get(
    "/boards/{board}/posts/{post_id}/diff",
    response_model=DiffOut,
    responses=NOT_FOUND,
    summary="What changed between two versions (default: the latest change)",
)
def api_diff(
    board: str,
    post_id: str,
    s: SessionDep,
    from_: Annotated[int | None, Query(alias="from", ge=1, description="Older version")] = None,
    to: Annotated[int | None, Query(ge=1, description="Newer version")] = None,
) -> DiffOut:
    d = diff_view(s, board, post_id, from_, to)
    data = d.diff.to_dict()
    return DiffOut(
        board=d.board.name,
        post_id=d.post.source_id,
        timezone=d.board.timezone,
        old=VersionSummaryOut.of(d.old),
        new=VersionSummaryOut.of(d.new),
        changed=list(d.diff.changed),
        changes=data["changes"],  # type: ignore[arg-type]
        title_words=data["title_words"],  # type: ignore[arg-type]
        body_words=data["body_words"],  # type: ignore[arg-type]
        body_lines=data["body_lines"],  # type: ignore[arg-type]
        attachments=data["attachments"],  # type: ignore[arg-type]
    )


@router.get("/runs", response_model=list[RunOut], summary="Crawl runs, newest first")
def api_runs(
    s: SessionDep,
    board: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[RunOut]:
    if board:
        queries.board_by_name(s, board)
    return [RunOut.of_row(r) for r in runs(s, board or None, limit)]


@router.get(
    "/search",
    response_model=SearchOut,
    summary="Full text over current titles and bodies (substring match, works for Korean)",
)
def api_search(
    s: SessionDep,
    q: Annotated[str, Query(max_length=200, description="Terms, all must match")],
    board: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> SearchOut:
    r = search_mod.search(s, q, board or None, page)
    return SearchOut(
        query=r.query,
        terms=r.terms,
        board=r.board,
        total=min(r.total, search_mod.COUNT_CAP),
        more_than_cap=r.total > search_mod.COUNT_CAP,
        page=r.page,
        pages=r.pages,
        hits=[HitOut.of(h) for h in r.hits],
    )
