"""Canonical form of a post's content, its hash, and which fields changed.

A version is written only when the hash of the canonical form changes. The canonical form holds
the content a reader cares about and nothing volatile: views, comment counts, download counts,
download links (GnuBoard 5.6 puts a per-session nonce in them) and the raw page are left out.

Each attachment is its entry as the view page shows it: (name, size, upload time), the upload
time being GnuBoard's "DATE : …" (a re-upload shows a new one). The files' SHA-256 are not part
of it, so a download that failed or was skipped can never look like an edit. Versions archived
before upload times were read hold (name, size) pairs; ``legacy_hash`` is the hash they were
stored with.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from archive.items import Post

AttachmentEntry = tuple[str, str | None, str | None]
"""An attachment as the view page shows it: (name, size, upload time), as strings shown."""

#: The fields of a version, in display order. ``changed_fields`` names these.
CONTENT_FIELDS: tuple[str, ...] = (
    "title",
    "author",
    "category",
    "posted_at",
    "body_text",
    "body_html",
    "attachments",
)

_BETWEEN_TAGS = re.compile(r">\s+<")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def normalise_text(text: str | None) -> str:
    """NFC, spaces folded, lines trimmed, runs of blank lines folded to one."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def normalise_html(html: str | None) -> str:
    """Whitespace-insensitive form of body HTML: NFC, blanks between tags dropped, spaces folded."""
    if not html:
        return ""
    html = unicodedata.normalize("NFC", html)
    html = _BETWEEN_TAGS.sub("><", html.strip())
    return re.sub(r"\s+", " ", html)


@dataclass(frozen=True, slots=True)
class Content:
    """The versioned content of a post, already in canonical form."""

    title: str
    author: str | None
    category: str | None
    posted_at: datetime | None
    body_text: str
    body_html: str
    attachments: tuple[AttachmentEntry, ...]  # in page order

    @classmethod
    def from_post(cls, post: Post) -> Content:
        return cls(
            title=normalise_text(post.title),
            author=normalise_text(post.author) or None,
            category=normalise_text(post.category) or None,
            posted_at=_utc_minute(post.posted_at),
            body_text=normalise_text(post.body_text),
            body_html=normalise_html(post.body_html),
            attachments=tuple(
                (
                    normalise_text(a.name),
                    normalise_text(a.size_text) or None,
                    normalise_text(a.uploaded_at) or None,
                )
                for a in post.attachments
            ),
        )

    def as_canonical(self) -> dict[str, object]:
        """A JSON-ready dict: the exact input of the hash."""
        return {
            "title": self.title,
            "author": self.author,
            "category": self.category,
            "posted_at": self.posted_at.isoformat() if self.posted_at else None,
            "body_text": self.body_text,
            "body_html": self.body_html,
            "attachments": [list(a) for a in self.attachments],
        }

    def content_hash(self) -> str:
        return _hash(self.as_canonical())

    def legacy_hash(self) -> str:
        """The hash of this content in the form before upload times were part of it."""
        canonical = self.as_canonical()
        canonical["attachments"] = [[name, size] for name, size, _ in self.attachments]
        return _hash(canonical)


def kept_hash(
    current_hash: str | None, posted_at: datetime | None, content: Content, digest: str
) -> str | None:
    """The hash to keep for ``content`` when it is the content a post's current version was
    hashed from (``current_hash``; the post's posted time ``posted_at``), else None: new
    content. The same content is: the same hash; the form hashed before upload times were
    part of it; or the same but for a posted time read on one side only (a skin that shows
    ``3시간 전`` at first and the date later, a time that could not be completed this once),
    which is no edit: a time read for the first time is kept, one not read keeps the old.
    ``digest`` is ``content``'s hash."""
    if current_hash in (digest, content.legacy_hash()):
        return digest
    if (posted_at is None) == (content.posted_at is None):
        return None
    if content.posted_at is None:  # not read this time: the archived time stands
        other = replace(content, posted_at=_utc_minute(posted_at))
        return current_hash if other.content_hash() == current_hash else None
    without = replace(content, posted_at=None)
    return digest if current_hash in (without.content_hash(), without.legacy_hash()) else None


def _hash(canonical: dict[str, object]) -> str:
    blob = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def changed_fields(old: Content | None, new: Content) -> list[str]:
    """Names of the content fields that differ, in ``CONTENT_FIELDS`` order (all for a first).
    A posted time read on one side only is no change (as in ``kept_hash``)."""
    if old is None:
        return list(CONTENT_FIELDS)
    before = with_upload_times(old, new)
    if (before.posted_at is None) != (new.posted_at is None):
        before = replace(before, posted_at=new.posted_at)
    after = new.as_canonical()
    return [name for name in CONTENT_FIELDS if before.as_canonical()[name] != after[name]]


def with_upload_times(old: Content, new: Content) -> Content:
    """``old`` with the upload times it does not know taken from ``new``, entry by entry where
    the name and size are the same: a version archived before upload times were read is not
    "changed" by them."""
    if len(old.attachments) != len(new.attachments) or all(a[2] for a in old.attachments):
        return old
    filled = tuple(
        (name, size, uploaded or (other[2] if other[:2] == (name, size) else None))
        for (name, size, uploaded), other in zip(old.attachments, new.attachments, strict=True)
    )
    return replace(old, attachments=filled)


def attachment_entry(value: Sequence[str | None]) -> AttachmentEntry:
    """A stored attachment (a JSON list of 2 or 3 items) as an entry; no upload time: None."""
    return (str(value[0]), value[1], value[2] if len(value) > 2 else None)


def _utc_minute(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("posted_at must be timezone-aware")
    return value.astimezone(UTC).replace(second=0, microsecond=0)
