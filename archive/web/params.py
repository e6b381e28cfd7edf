"""Query parameters shared by the pages and the API: the post list's filters and order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Annotated

from fastapi import Depends, HTTPException, Query

from archive.localtime import parse_since
from archive.web.browse import SORTS, PostFilter

SinceParam = Annotated[
    str | None,
    Query(
        description="A date (2026-11-01: midnight in the board's time zone) or a span back from "
        "now (7d, 12h, 2w)"
    ),
]


def since(value: str | None, name: str, tz: tzinfo) -> datetime | None:
    """``None`` for an empty value; else as the CLI's ``--since`` reads it (a date is midnight
    in ``tz``, the board's zone)."""
    if value is None or not value.strip():
        return None
    try:
        return parse_since(value, tz)
    except ValueError:
        raise HTTPException(
            400, f"{name}: expected a date such as 2026-11-01 or a span such as 7d, not {value!r}"
        ) from None


@dataclass(frozen=True, slots=True)
class PostQuery:
    """The raw parameters, kept for building links (pagination, sorting) on the page."""

    new_since: str | None
    edited_since: str | None
    deleted_since: str | None
    attachments: bool
    secret: bool
    notice: bool
    q: str
    sort: str
    order: str
    page: int

    def to_filter(self, tz: tzinfo, per_page: int = 50) -> PostFilter:
        """The filter of a board's post list; ``tz`` is the board's zone (its dates' midnight)."""
        return PostFilter(
            new_since=since(self.new_since, "new_since", tz),
            edited_since=since(self.edited_since, "edited_since", tz),
            deleted_since=since(self.deleted_since, "deleted_since", tz),
            attachments=self.attachments,
            secret=self.secret,
            notice=self.notice,
            q=self.q,
            sort=self.sort,
            desc=self.order != "asc",
            page=self.page,
            per_page=per_page,
        )

    def params(self) -> dict[str, object]:
        return {
            "new_since": self.new_since,
            "edited_since": self.edited_since,
            "deleted_since": self.deleted_since,
            "attachments": "1" if self.attachments else None,
            "secret": "1" if self.secret else None,
            "notice": "1" if self.notice else None,
            "q": self.q,
            "sort": None if self.sort == "id" else self.sort,
            "order": None if self.order == "desc" else self.order,
        }


def post_query(
    new_since: SinceParam = None,
    edited_since: SinceParam = None,
    deleted_since: SinceParam = None,
    attachments: Annotated[bool, Query(description="Only posts with attachments")] = False,
    secret: Annotated[bool, Query(description="Only secret posts")] = False,
    notice: Annotated[bool, Query(description="Only notices (pinned posts)")] = False,
    q: Annotated[str, Query(max_length=200, description="Search title and body")] = "",
    sort: Annotated[str, Query(pattern="^(" + "|".join(SORTS) + ")$")] = "id",
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "desc",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> PostQuery:
    return PostQuery(
        new_since, edited_since, deleted_since, attachments, secret, notice, q, sort, order, page
    )


PostQueryDep = Annotated[PostQuery, Depends(post_query)]
