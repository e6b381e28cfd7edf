"""A view page's outcome finished with what the crawl knows besides the page: its list row,
whether it is pinned, the page's encoding, and the posted times (the post's and its comments')
the view shows only in part."""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from archive import items as it
from archive.revisit import KnownPost, row_signature
from crawler.pages.posted import comment_time, complete, within


@dataclass(frozen=True, slots=True)
class When:
    """What completes a posted time: the board's zone, the crawl day in it, the archive's."""

    tz: tzinfo
    today: date
    known: KnownPost | None
    now: datetime | None = None  # when the page was fetched (for "3시간 전")
    earliest: datetime | None = None  # the post was posted after this (``Earlier.bound``)

    @property
    def completes(self) -> bool:
        """Whether the board's feed is worth waiting for: not for a post archived with its
        day only (an older post, no longer among the feed's newest). Its time completed from
        the list row is taken all the same, and is no edit (``archive.versions.kept_hash``)."""
        return self.known is None or self.known.posted_at is not None


class Earlier:
    """What the archive says a post was posted after: the engine numbers posts as it writes
    them, so an archived post with a smaller id was written before it, and no later than its
    posted time (a post moved in from another board keeps an older one); a post newer than
    every archived one was not there when the last clean run listed the board (``listed_at``)."""

    def __init__(self, known: Mapping[str, KnownPost], listed_at: datetime | None) -> None:
        pairs = sorted((int(k), p.posted_at) for k, p in known.items() if k.isdigit())
        self.ids = [post_id for post_id, _ in pairs]
        self.latest: list[datetime | None] = []  # the latest posted time up to each id
        running: datetime | None = None
        for _, posted_at in pairs:
            if posted_at is not None and (running is None or posted_at > running):
                running = posted_at
            self.latest.append(running)
        self.listed_at = listed_at

    def bound(self, post_id: str) -> datetime | None:
        if not post_id.isdigit():
            return None
        at = bisect_left(self.ids, int(post_id))
        bounds = [self.latest[at - 1]] if at and self.latest[at - 1] is not None else []
        if at == len(self.ids) and self.listed_at is not None:
            bounds.append(self.listed_at)
        return max((b for b in bounds if b is not None), default=None)


def finished_post(
    post: it.Post, row: it.ListRow | None, notice: bool | None, encoding: str, when: When
) -> it.Post:
    posted_at, posted_on = post.posted_at, post.posted_on
    if posted_at is None and post.posted_shown:  # the view shows less: crawler/pages/posted.py
        posted_at, posted_on = complete(
            post.posted_shown,
            row.list_date if row else None,
            when.known.posted_at if when.known else None,
            when.tz,
            when.today,
            now=when.now,
        )
    if posted_at is None and posted_on is None and post.posted_shown:  # no year shown
        posted_at, posted_on = within(
            post.posted_shown, when.earliest, _latest(post, when.now), when.tz
        )
    day = posted_at.astimezone(when.tz).date() if posted_at is not None else posted_on
    comments = tuple(
        dataclasses.replace(c, posted_at=comment_time(c.posted_shown, day, when.tz, when.now))
        if c.posted_at is None and c.posted_shown
        else c
        for c in post.comments
    )
    return dataclasses.replace(
        post,
        posted_at=posted_at,
        posted_on=posted_on,
        comments=comments,
        notice=notice,
        list_signature=row_signature(row) if row else None,
        category=post.category or (row.category if row else None),
        raw_encoding=encoding,
    )


def finished_secret(
    secret: it.SecretPost, row: it.ListRow | None, notice: bool | None
) -> it.SecretPost:
    """A secret post has no body: what is known of it comes from its list row, if any."""
    if row is None:
        return dataclasses.replace(secret, notice=notice)
    return it.SecretPost(
        post_id=secret.post_id,
        url=secret.url,
        title=row.title,
        author=row.author,
        posted_on=row.posted_on,
        views=row.views,
        comment_count=row.comment_count,
        notice=row.notice,
        list_signature=row_signature(row),
    )


def _latest(post: it.Post, now: datetime | None) -> datetime | None:
    """What the post was posted before: when its page was fetched, and its first comment
    whose page shows the comment's full time."""
    shown = [c.posted_at for c in post.comments if c.posted_at is not None and not c.posted_shown]
    return min([*shown, *([now] if now is not None else [])], default=None)
