"""A stored version read back: the canonical content it was hashed from, and its raw page.

Read-only: the web UI, the CLI, notifications and the store (comparing a new fetch with the
current version) read versions through these. Writing them is ``archive/store.py``'s.
"""

from __future__ import annotations

import zlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Post, PostVersion
from archive.versions import Content, attachment_entry, normalise_html


def version_content(v: PostVersion) -> Content:
    """The canonical content a stored version was hashed from."""
    return Content(
        title=v.title,
        author=v.author,
        category=v.category,
        posted_at=v.posted_at,
        body_text=v.body_text,
        body_html=normalise_html(v.body_html),
        attachments=tuple(attachment_entry(a) for a in v.attachments),
    )


def latest_content(s: Session, post: Post) -> Content | None:
    """The content of the post's current version (None before its first)."""
    if not post.current_version:
        return None
    version = s.scalar(
        select(PostVersion).where(
            PostVersion.post_id == post.id, PostVersion.number == post.current_version
        )
    )
    return version_content(version) if version else None


def raw_page(v: PostVersion) -> bytes | None:
    """The response body a version was parsed from, decompressed."""
    return zlib.decompress(v.raw_page) if v.raw_page else None
