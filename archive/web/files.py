"""Archived files on the pages: a version's attachments and body images, and how one file is
served out of the blob store (``/files/{sha256}``).

A file is served by its SHA-256 only: the name the board gave it is data (``version_files.name``)
that goes into ``Content-Disposition`` (RFC 6266, ``filename*`` per RFC 5987, an ASCII fallback
without quotes, slashes or control characters), never into a path. The type is what the bytes
are, not what the board said: a PNG, JPEG, GIF or WebP is served as that image (inline), anything
else as ``application/octet-stream`` (a download), always with ``nosniff`` and a CSP that
sandboxes the response.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urldefrag

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.blobs import BlobStore
from archive.models import Blob, FileKind, FileStatus, VersionFile

# A downloaded file is not a page: no script, no style, no subresource, no plugin.
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
_RFC5987_SAFE = "!#$&+^`|"  # attr-char besides ALPHA / DIGIT / "-._~" (which quote keeps)


@dataclass(frozen=True, slots=True)
class FileInfo:
    """One attachment or body image of a version, and what became of its file."""

    id: int
    kind: str  # "attachment" or "image"
    position: int
    name: str  # the archived name (from Content-Disposition when the board gave one)
    url: str | None  # where the board served it
    size_text: str | None  # as the board showed it
    uploaded_at: str | None
    status: str  # pending, stored, skipped, failed, refused
    reason: str | None
    sha256: str | None
    size: int | None  # bytes, once stored
    fetched_at: datetime | None
    in_store: bool  # stored, and the blob is in this server's blob store

    @property
    def download_path(self) -> str | None:
        """``/files/{sha256}?file={id}`` (the row's id picks the name), when it can be served."""
        return f"/files/{self.sha256}?file={self.id}" if self.in_store else None


def version_files(s: Session, version_id: int, store: BlobStore | None) -> list[FileInfo]:
    """The version's attachments, then its body images, in page order."""
    rows = s.execute(
        select(VersionFile, Blob.size)
        .outerjoin(Blob, Blob.sha256 == VersionFile.sha256)
        .where(VersionFile.version_id == version_id)
        .order_by(VersionFile.kind, VersionFile.position)
    )
    return [
        FileInfo(
            id=f.id,
            kind=FileKind(f.kind).value,
            position=f.position,
            name=f.name,
            url=f.url,
            size_text=f.size_text,
            uploaded_at=f.uploaded_at,
            status=FileStatus(f.status).value,
            reason=f.reason,
            sha256=f.sha256,
            size=size,
            fetched_at=f.fetched_at,
            in_store=bool(
                f.sha256 and size is not None and store is not None and store.exists(f.sha256)
            ),
        )
        for f, size in rows
    ]


def image_key(url: str) -> str:
    """How a body image is looked up: its absolute URL without fragment or scheme (a board
    moving to https keeps its images)."""
    return urldefrag(url.strip()).url.split(":", 1)[-1]


def stored_images(files: list[FileInfo], root_path: str = "") -> dict[str, str]:
    """The archive's URL of each body image that can be served, by ``image_key`` of its URL."""
    return {
        image_key(f.url): f"{root_path}/files/{f.sha256}"
        for f in files
        if f.kind == FileKind.IMAGE.value and f.url and f.in_store
    }


def blob_name(s: Session, sha256: str, file_id: int | None) -> str | None:
    """The archived name to give blob ``sha256``: that of row ``file_id`` (None when that row
    is not this blob's), else of the newest row with this blob, else the hash itself."""
    if file_id is not None:
        row = s.get(VersionFile, file_id)
        return row.name if row is not None and row.sha256 == sha256 else None
    name = s.scalar(
        select(VersionFile.name)
        .where(VersionFile.sha256 == sha256)
        .order_by(VersionFile.id.desc())
        .limit(1)
    )
    return name or sha256


_IMAGE_MAGIC: Mapping[bytes, str] = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}


def sniff_image(head: bytes) -> str | None:
    """The image type the first bytes show (PNG, JPEG, GIF, WebP), or None. SVG is never an
    image here: it can carry script."""
    for magic, media_type in _IMAGE_MAGIC.items():
        if head.startswith(magic):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def content_disposition(name: str, *, inline: bool = False) -> str:
    """``attachment; filename="…"; filename*=UTF-8''…`` for an archived (untrusted) name."""
    kept = []
    for c in name:
        category = unicodedata.category(c)
        if c in "/\\":
            kept.append("_")
        elif category[0] == "Z":  # any space or line separator: a plain space
            kept.append(" ")
        elif category[0] != "C":  # control, format, surrogate, private, unassigned: dropped
            kept.append(c)
    clean = "".join(kept).strip(" .") or "file"
    fallback = "".join(c if c.isascii() and c not in '"%;' else "_" for c in clean)
    disposition = "inline" if inline else "attachment"
    encoded = quote(clean, safe=_RFC5987_SAFE, encoding="utf-8")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


def verified(head: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    """The blob's chunks one step behind its reader, so the last one is only sent once the
    hash matched: a damaged blob ends the response short (the client sees a broken download)
    rather than whole."""
    held = head
    for chunk in rest:  # BlobStore.read raises BlobError after its last chunk on a mismatch
        yield held
        held = chunk
    yield held
