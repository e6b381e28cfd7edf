"""The demo board's content: posts, comments and attachments, and the mutations a board sees.

A ``Board`` is what one GnuBoard board table (``bo_table``) holds. Records are frozen; every
mutation replaces a record under the board's lock, so a record read once is a consistent
snapshot that rendering can use without holding the lock.

What mirrors GnuBoard:

- Posts and comments draw their ids from one sequence (comments are rows of the same table in
  GnuBoard), so a post's comments usually take the ids right after it and post ids have gaps.
- The list is ordered by ``wr_id`` (GnuBoard's ``wr_num``: the order of writing), newest first,
  whatever ``posted_at`` says; editing changes no date and no position.
- Deleting a post or comment removes it for good in GnuBoard (``restore_post`` exists for
  tests); its id is never reused. A deleted post answers "글이 존재하지 않습니다" like an id that
  never existed.
- Notices (``bo_notice``) are a list of ids, the most recently pinned first.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from board_archive.demoboard.clock import SEOUL, Clock, system_clock
from board_archive.demoboard.records import (
    Attachment,
    Comment,
    ListSlice,
    NoSuchComment,
    NoSuchPost,
    Post,
    synth_bytes,
)

__all__ = [
    "SEOUL",
    "Attachment",
    "Board",
    "Clock",
    "Comment",
    "ListSlice",
    "NoSuchComment",
    "NoSuchPost",
    "Post",
    "synth_bytes",
    "system_clock",
]


class Board:
    """One board table. Thread-safe: every method takes the board's lock."""

    def __init__(
        self,
        bo_table: str = "press",
        subject: str = "보도자료/업계소식",
        *,
        clock: Clock = system_clock,
        categories: Iterable[str] = (),
    ) -> None:
        self.bo_table = bo_table
        self.subject = subject
        self.clock = clock
        self.categories: tuple[str, ...] = tuple(categories)
        self.lock = threading.RLock()
        self._posts: dict[int, Post] = {}
        self._live: list[int] = []  # live post ids, ascending
        self._regular: list[int] = []  # live non-notice post ids, ascending
        self._notices: list[int] = []  # bo_notice: most recently pinned first
        self._comment_parent: dict[int, int] = {}
        self._next_id = 1

    # ---- reading -----------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock().astimezone(SEOUL)

    @property
    def next_id(self) -> int:
        return self._next_id

    def get(self, wr_id: int) -> Post | None:
        """The record for ``wr_id``, deleted ones included (check ``deleted``)."""
        with self.lock:
            return self._posts.get(wr_id)

    def live(self, wr_id: int) -> Post | None:
        with self.lock:
            post = self._posts.get(wr_id)
            return post if post is not None and not post.deleted else None

    def posts(self, *, include_deleted: bool = False) -> list[Post]:
        """All posts in id order (oldest first)."""
        with self.lock:
            if include_deleted:
                return [self._posts[i] for i in sorted(self._posts)]
            return [self._posts[i] for i in self._live]

    def live_ids(self) -> list[int]:
        with self.lock:
            return list(self._live)

    def notice_ids(self) -> list[int]:
        """Live notices in display order."""
        with self.lock:
            return [i for i in self._notices if not self._posts[i].deleted]

    @property
    def total(self) -> int:
        with self.lock:
            return len(self._live)

    def total_pages(self, page_rows: int) -> int:
        return -(-self.total // page_rows)

    def comment(self, comment_id: int) -> tuple[Post, Comment] | None:
        with self.lock:
            parent = self._comment_parent.get(comment_id)
            if parent is None:
                return None
            post = self._posts[parent]
            found = next((c for c in post.comments if c.comment_id == comment_id), None)
            return (post, found) if found is not None else None

    def list_page(self, page: int, page_rows: int = 15) -> ListSlice:
        """Rows of list page ``page`` as GnuBoard 5's ``list.php`` computes them.

        Page 1 shows every notice pinned on top and then ``page_rows - notices`` regular rows;
        later pages show ``page_rows`` regular rows starting at ``(page-1)*page_rows - notices``
        (notices are left out of the regular rows). The number column counts down from
        ``total - (page-1)*page_rows`` (minus the notices on page 1).
        """
        page = max(page, 1)
        with self.lock:
            total = len(self._live)
            notices = tuple(self._posts[i] for i in self._notices if not self._posts[i].deleted)
            n = len(notices)
            if page == 1:
                start, count, first = 0, max(page_rows - n, 0), total - n
            else:
                start, count = max((page - 1) * page_rows - n, 0), page_rows
                first = total - (page - 1) * page_rows
            end = len(self._regular) - start
            ids = self._regular[max(end - count, 0) : max(end, 0)]
            rows = tuple(self._posts[i] for i in reversed(ids))
            return ListSlice(
                page=page,
                total=total,
                total_pages=-(-total // page_rows),
                notices=notices if page == 1 else (),
                rows=rows,
                first_number=first,
            )

    def neighbours(self, wr_id: int) -> tuple[Post | None, Post | None]:
        """(이전글, 다음글): the next newer and the next older live post (notices included)."""
        with self.lock:
            i = bisect.bisect_left(self._live, wr_id)
            j = i + 1 if i < len(self._live) and self._live[i] == wr_id else i
            newer = self._posts[self._live[j]] if j < len(self._live) else None
            older = self._posts[self._live[i - 1]] if i > 0 else None
            return newer, older

    # ---- posts -------------------------------------------------------------------------

    def add_post(
        self,
        title: str,
        body_html: str = "<p></p>",
        *,
        author: str = "관리자",
        category: str | None = None,
        posted_at: datetime | None = None,
        notice: bool = False,
        secret: bool = False,
        views: int = 0,
        attachments: Iterable[Attachment] = (),
    ) -> int:
        """Write a new post (it goes on top of the list whatever ``posted_at`` says)."""
        with self.lock:
            wr_id = self._take_id()
            when = posted_at or self.now()
            files = tuple(
                replace(a, no=i, uploaded_at=a.uploaded_at or when)
                for i, a in enumerate(attachments)
            )
            post = Post(
                wr_id=wr_id,
                title=title,
                author=author,
                posted_at=when,
                body_html=body_html,
                category=category,
                views=views,
                notice=notice,
                secret=secret,
                attachments=files,
            )
            self.insert(post)
            return wr_id

    def _take_id(self) -> int:  # caller holds the lock
        wr_id = self._next_id
        self._next_id += 1
        return wr_id

    def insert(self, post: Post) -> None:
        """Store a complete record that brings its own ids (for generators and fixtures).

        Its ``wr_id`` and comment ids must be unused; the id sequence moves past them.
        """
        with self.lock:
            if post.wr_id in self._posts:
                raise ValueError(f"wr_id {post.wr_id} is taken")
            self._posts[post.wr_id] = post
            self._next_id = max(self._next_id, post.wr_id + 1)
            for c in post.comments:
                self._comment_parent[c.comment_id] = post.wr_id
                self._next_id = max(self._next_id, c.comment_id + 1)
            if post.notice and post.wr_id not in self._notices:
                self._notices.insert(0, post.wr_id)
            if not post.deleted:
                bisect.insort(self._live, post.wr_id)
                if not post.notice:
                    bisect.insort(self._regular, post.wr_id)

    def _live_post(self, wr_id: int) -> Post:
        post = self._posts.get(wr_id)
        if post is None or post.deleted:
            raise NoSuchPost(wr_id)
        return post

    def edit_post(
        self,
        wr_id: int,
        *,
        title: str | None = None,
        body_html: str | None = None,
        author: str | None = None,
        category: str | None = None,
    ) -> None:
        """Edit a post; like GnuBoard, the date and the list position stay."""
        with self.lock:
            post = self._live_post(wr_id)
            self._posts[wr_id] = replace(
                post,
                title=post.title if title is None else title,
                body_html=post.body_html if body_html is None else body_html,
                author=post.author if author is None else author,
                category=post.category if category is None else (category or None),
            )

    def delete_post(self, wr_id: int) -> None:
        with self.lock:
            post = self._live_post(wr_id)
            self._posts[wr_id] = replace(post, deleted=True)
            _remove(self._live, wr_id)
            _remove(self._regular, wr_id)

    def restore_post(self, wr_id: int) -> None:
        """Undo ``delete_post`` (not a GnuBoard feature; for tests and demos)."""
        with self.lock:
            post = self._posts.get(wr_id)
            if post is None:
                raise NoSuchPost(wr_id)
            if not post.deleted:
                return
            self._posts[wr_id] = replace(post, deleted=False)
            bisect.insort(self._live, wr_id)
            if not post.notice:
                bisect.insort(self._regular, wr_id)

    def set_secret(self, wr_id: int, secret: bool = True) -> None:
        with self.lock:
            self._posts[wr_id] = replace(self._live_post(wr_id), secret=secret)

    def set_notice(self, wr_id: int, notice: bool = True) -> None:
        with self.lock:
            post = self._live_post(wr_id)
            if post.notice == notice:
                return
            self._posts[wr_id] = replace(post, notice=notice)
            if notice:
                self._notices.insert(0, wr_id)
                _remove(self._regular, wr_id)
            else:
                self._notices.remove(wr_id)
                bisect.insort(self._regular, wr_id)

    def bump_views(self, wr_id: int, by: int = 1) -> int:
        with self.lock:
            post = self._live_post(wr_id)
            self._posts[wr_id] = replace(post, views=post.views + by)
            return post.views + by

    # ---- comments ----------------------------------------------------------------------

    def add_comment(
        self,
        wr_id: int,
        text: str,
        *,
        author: str = "관리자",
        posted_at: datetime | None = None,
        secret: bool = False,
    ) -> int:
        """Add a comment; its id comes from the posts' sequence."""
        with self.lock:
            post = self._live_post(wr_id)
            cid = self._take_id()
            comment = Comment(cid, author, posted_at or self.now(), text, secret)
            self._posts[wr_id] = replace(post, comments=(*post.comments, comment))
            self._comment_parent[cid] = wr_id
            return cid

    def _comment_post(self, comment_id: int) -> Post:
        parent = self._comment_parent.get(comment_id)
        if parent is None:
            raise NoSuchComment(comment_id)
        return self._live_post(parent)

    def edit_comment(self, comment_id: int, text: str, *, secret: bool | None = None) -> None:
        with self.lock:
            post = self._comment_post(comment_id)
            comments = tuple(
                replace(c, text=text, secret=c.secret if secret is None else secret)
                if c.comment_id == comment_id
                else c
                for c in post.comments
            )
            self._posts[post.wr_id] = replace(post, comments=comments)

    def delete_comment(self, comment_id: int) -> None:
        with self.lock:
            post = self._comment_post(comment_id)
            comments = tuple(c for c in post.comments if c.comment_id != comment_id)
            self._posts[post.wr_id] = replace(post, comments=comments)
            del self._comment_parent[comment_id]

    # ---- attachments -------------------------------------------------------------------

    def add_attachment(
        self, wr_id: int, name: str, content: bytes, *, description: str = ""
    ) -> int:
        """Attach a file in the first free slot; returns its ``no``."""
        with self.lock:
            post = self._live_post(wr_id)
            used = {a.no for a in post.attachments}
            no = next(i for i in range(len(used) + 1) if i not in used)
            new = Attachment(name, content, description, uploaded_at=self.now(), no=no)
            files = tuple(sorted((*post.attachments, new), key=lambda a: a.no))
            self._posts[wr_id] = replace(post, attachments=files)
            return no

    def replace_attachment(
        self,
        wr_id: int,
        no: int,
        *,
        name: str | None = None,
        content: bytes | None = None,
        description: str | None = None,
    ) -> None:
        """Replace the file in slot ``no`` (a new upload: the download count starts again)."""
        with self.lock:
            post = self._live_post(wr_id)
            old = post.attachment(no)
            if old is None:
                raise KeyError(f"post {wr_id} has no attachment {no}")
            new = Attachment(
                name=old.name if name is None else name,
                content=old.data() if content is None else content,
                description=old.description if description is None else description,
                uploaded_at=self.now(),
                no=no,
            )
            files = tuple(new if a.no == no else a for a in post.attachments)
            self._posts[wr_id] = replace(post, attachments=files)

    def remove_attachment(self, wr_id: int, no: int) -> None:
        with self.lock:
            post = self._live_post(wr_id)
            if post.attachment(no) is None:
                raise KeyError(f"post {wr_id} has no attachment {no}")
            files = tuple(a for a in post.attachments if a.no != no)
            self._posts[wr_id] = replace(post, attachments=files)

    def count_download(self, wr_id: int, no: int) -> None:
        with self.lock:
            post = self._live_post(wr_id)
            files = tuple(
                replace(a, downloads=a.downloads + 1) if a.no == no else a for a in post.attachments
            )
            self._posts[wr_id] = replace(post, attachments=files)


def _remove(ids: list[int], wr_id: int) -> None:
    i = bisect.bisect_left(ids, wr_id)
    if i < len(ids) and ids[i] == wr_id:
        del ids[i]
