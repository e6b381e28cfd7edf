"""The content-addressed blob store: every archived file once, named by its SHA-256.

A blob lives at ``ROOT/ab/cd/abcdef…`` (the first two pairs of hex digits as folders). No name
a server chose ever becomes part of a path: original names are data in the database
(``version_files.name``). A blob is written to a temporary file in its own folder, flushed and
fsync'd, then renamed into place (and the folder fsync'd), so a crash leaves either no blob or
the whole one; an existing blob is never rewritten. Nothing here deletes: only
``archive.removal.prune_blobs`` does, for blobs no version refers to, while no crawl runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1024 * 1024


class BlobError(LookupError):
    """A blob that is not in the store, or whose bytes no longer match its name."""


@dataclass(frozen=True, slots=True)
class PutResult:
    sha256: str
    size: int
    created: bool  # False: the store held it already


def is_sha256(value: str) -> bool:
    return bool(_SHA256.match(value))


class BlobStore:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        """Where the blob ``sha256`` (64 lower-case hex digits) lives."""
        if not is_sha256(sha256):
            raise ValueError(f"not a SHA-256 (64 lower-case hex digits): {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, data: bytes) -> PutResult:
        """Store ``data``; returns its SHA-256, size and whether it was new."""
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path(sha256)
        if target.is_file() and target.stat().st_size == len(data):
            return PutResult(sha256, len(data), created=False)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        _fsync_dir(target.parent)
        return PutResult(sha256, len(data), created=True)

    def read(self, sha256: str) -> Iterator[bytes]:
        """The blob's bytes in chunks, checked against its name: a ``BlobError`` is raised
        (after the last chunk) when they do not match, or at once when the blob is missing."""
        path = self.path(sha256)
        try:
            f = path.open("rb")
        except FileNotFoundError:
            raise BlobError(f"blob {sha256} is not in the store at {self.root}") from None
        digest = hashlib.sha256()
        with f:
            while chunk := f.read(CHUNK):
                digest.update(chunk)
                yield chunk
        if digest.hexdigest() != sha256:
            raise BlobError(f"blob {sha256} at {path} is damaged: its bytes hash differently")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
