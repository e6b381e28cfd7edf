"""The invariant readings as the archive's items (``ListPage``, ``Post``, the engine answers).

Only what a page shows becomes a value: a posted time becomes ``posted_at`` when the page
shows the date with its year and the time (``ShownTime.moment``); a list row's date becomes
``posted_on`` resolved against the crawl day as lists mean it (``MM-DD`` the latest such day,
``HH:MM`` today), which is what its precision says. A view whose body could not be told is a
``ParseError``: template text is never archived as a body.
"""

from __future__ import annotations

from datetime import date, tzinfo

from archive.items import Attachment, Comment, ListPage, ListRow, Post, PostNotFound, SecretPost
from crawler.pages.dates import SEOUL
from crawler.pages.errors import BodyNotFound, ParseError
from crawler.pages.g5.answers import AnswerKind, EngineAnswer
from crawler.pages.g5.comments import CommentReading
from crawler.pages.g5.listing import ListReading
from crawler.pages.g5.rows import RowReading
from crawler.pages.g5.view import ViewReading


def list_page(reading: ListReading, today: date) -> ListPage:
    """``reading`` as a ``ListPage``; ``today`` is the crawl day in the board's zone."""
    return ListPage(
        url=reading.url,
        page=reading.page,
        rows=tuple(list_row(row, today) for row in reading.rows),
        last_page=reading.last_page.value,
        total=reading.total.value,
    )


def list_row(row: RowReading, today: date) -> ListRow:
    shown = row.date.value
    return ListRow(
        post_id=row.post_id,
        url=row.url,
        title=row.title.value or "",
        author=row.author.value,
        list_date=shown.text if shown is not None else "",
        posted_on=shown.resolved_date(today) if shown is not None else None,
        views=row.views.value,
        comment_count=row.comment_count.value or 0,
        notice=bool(row.notice.value),
        secret=bool(row.secret.value),
        has_attachment=bool(row.has_attachment.value),
        category=row.category.value,
        number=row.number.value,
    )


def post(reading: ViewReading, *, raw_page: bytes = b"", tz: tzinfo = SEOUL) -> Post:
    """``reading`` as a ``Post``; raises ``ParseError`` when the title is not known (not a
    view page), ``BodyNotFound`` when only the body is not."""
    if not reading.title.value:
        raise ParseError(reading.url, reason=f"no post title: {reading.title.note or 'not found'}")
    body = reading.body.value
    if body is None:
        raise BodyNotFound(reading.url, reason=f"body: {reading.body.note or 'not found'}")
    shown = reading.posted.value
    moment = shown.moment(tz) if shown is not None else None
    images = tuple(Attachment(name=i.name, url=i.url) for i in reading.images)
    files = tuple(
        Attachment(
            name=f.name,
            size_text=f.size_text,
            url=f.url,
            download_count=f.download_count,
            uploaded_at=f.uploaded_text or (f.uploaded.text if f.uploaded else None),
        )
        for f in reading.files
    )
    comments = tuple(comment(c, tz) for c in reading.comments)
    return Post(
        post_id=reading.post_id,
        url=reading.url,
        title=reading.title.value,
        author=reading.author.value,
        posted_at=moment,
        posted_on=shown.date_shown() if shown is not None and moment is None else None,
        posted_shown=shown.text if shown is not None and moment is None else None,
        body_html=body.html,
        body_text=body.text,
        category=reading.category.value,
        views=reading.views.value,
        comment_count=reading.comment_count.value,
        attachments=images + files,
        comments=comments,
        images=body.images,
        raw_page=raw_page,
    )


def comment(reading: CommentReading, tz: tzinfo) -> Comment:
    """A comment; its time as shown kept where it is less than the date and the time (the
    crawl completes it: ``crawler.pages.posted.comment_time``)."""
    shown = reading.time.value
    moment = shown.moment(tz) if shown is not None else None
    return Comment(
        comment_id=reading.comment_id,
        author=reading.author.value,
        posted_at=moment,
        text=reading.text.value or "",
        secret=bool(reading.secret.value),
        posted_shown=shown.text if shown is not None and moment is None else None,
    )


def answer(reading: EngineAnswer, url: str) -> PostNotFound | SecretPost:
    """The engine's definitive answers as items; any other answer is a ``ParseError``."""
    if reading.post_id is not None and reading.kind is AnswerKind.NOT_FOUND:
        return PostNotFound(post_id=reading.post_id, url=url)
    if reading.post_id is not None and reading.kind is AnswerKind.SECRET:
        return SecretPost(post_id=reading.post_id, url=url, title=reading.title)
    if reading.kind is AnswerKind.ALERT:
        raise ParseError(url, reason=f"alert page: {reading.message!r}")
    raise ParseError(url, reason=reading.message or reading.kind.value)
