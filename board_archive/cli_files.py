"""``board-archive attachments`` and ``board-archive blob``: the archived files of a post, and
one file out of the blob store. Registered in ``board_archive.cli``.

Files are stored by SHA-256 only, so ``blob`` writes where ``-o`` says (``-o -``: standard
output), never to a name a board chose.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import queries
from archive.blobs import BlobError, BlobStore, is_sha256
from archive.contents import version_content
from archive.diff import diff_attachments, format_attachment, format_entry_change
from archive.files import files_of
from archive.localtime import zone
from archive.models import Blob, PostVersion, VersionFile
from archive.versions import with_upload_times
from board_archive.cli_common import console, err, fail, opened, state_note

MIN_PREFIX = 8


def attachments(
    board: Annotated[str, typer.Argument(help="Board name")],
    post_id: Annotated[str, typer.Argument(help="The board's post id (GnuBoard wr_id)")],
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Board configuration file")
    ] = None,
) -> None:
    """The attachments and body images of each version of a post: name, size, SHA-256, state."""
    with opened(config) as (_cfg, engine), Session(engine) as s:
        post = queries.post_by_source_id(s, queries.board_by_name(s, board), post_id)
        table = Table(title=f"{board} post {post_id}: {post.title or ''} — files")
        for col in ("version", "kind", "#", "name", "size", "uploaded", "sha256", "state"):
            table.add_column(col, overflow="fold")
        by_version: dict[int, list[VersionFile]] = {}
        for number, row in files_of(s, post):
            by_version.setdefault(number, []).append(row)
        sizes = _blob_sizes(s, [r.sha256 for rows in by_version.values() for r in rows])
        for v in queries.versions_of(s, post):
            for row in by_version.get(v.number, []):
                size = row.size_text or ""
                if row.sha256 in sizes:
                    size = f"{size} ({sizes[row.sha256]:,} bytes)".strip()
                table.add_row(
                    str(v.number),
                    row.kind.value,
                    str(row.position + 1),
                    _printable(row.name),
                    size,
                    row.uploaded_at or "",
                    row.sha256 or "",
                    row.status.value + (f": {row.reason}" if row.reason else ""),
                )
            if v.number not in by_version:
                for i, (name, size_text, uploaded) in enumerate(version_content(v).attachments):
                    cells = (name, size_text or "", uploaded or "", "", "not archived")
                    table.add_row(str(v.number), "attachment", str(i + 1), *cells)
        console.print(table)
        note = state_note(post, zone(post.board.timezone))
        if note:
            console.print(note, highlight=False, markup=False)


def blob(
    sha256: Annotated[str, typer.Argument(help="The file's SHA-256 (or its first 8+ digits)")],
    output: Annotated[
        str, typer.Option("--output", "-o", help="Where to write the file; - for standard output")
    ],
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Board configuration file")
    ] = None,
) -> None:
    """Write one archived file out of the blob store, checked against its SHA-256."""
    digest = sha256.strip().lower()
    with opened(config) as (cfg, engine):
        if not is_sha256(digest):
            if len(digest) < MIN_PREFIX or not all(c in "0123456789abcdef" for c in digest):
                fail(f"not a SHA-256 or a prefix of {MIN_PREFIX}+ hex digits: {sha256!r}", 2)
            with Session(engine) as s:
                found = list(
                    s.scalars(select(Blob.sha256).where(Blob.sha256.startswith(digest)).limit(2))
                )
            if not found:
                fail(f"no archived file's SHA-256 starts with {digest!r}")
            if len(found) > 1:
                fail(f"more than one archived file's SHA-256 starts with {digest!r}: give more")
            digest = found[0]
        store = BlobStore(cfg.blob_dir)
        try:
            if output == "-":
                out = sys.stdout.buffer
                for chunk in store.read(digest):
                    out.write(chunk)
                out.flush()
            else:
                size = _write_file(store, digest, Path(output))
                err.print(f"{output}: {size:,} bytes, sha256 {digest}", highlight=False)
        except BlobError as exc:
            fail(str(exc))


def _write_file(store: BlobStore, digest: str, target: Path) -> int:
    """The blob into ``target``, through a temporary file beside it (no half file on error)."""
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    size = 0
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in store.read(digest):
                f.write(chunk)
                size += len(chunk)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return size


def attachment_summary(old: PostVersion, new: PostVersion) -> str:
    """What happened to the attachments between two versions, one line per change."""
    a, b = version_content(old), version_content(new)
    changes = diff_attachments(with_upload_times(a, b).attachments, b.attachments)
    lines = [f"+ {format_attachment(*e)}" for e in changes.added]
    lines += [f"- {format_attachment(*e)}" for e in changes.removed]
    lines += [
        "~ {}: {} → {} (replaced)".format(o[0], *format_entry_change(o, n))
        for o, n in changes.replaced
    ]
    return "\n".join(lines) or "(reordered)"


def _blob_sizes(s: Session, digests: list[str | None]) -> dict[str, int]:
    wanted = {d for d in digests if d}
    if not wanted:
        return {}
    return dict(s.execute(select(Blob.sha256, Blob.size).where(Blob.sha256.in_(wanted))).all())


def _printable(name: str) -> str:
    return "".join(c if c.isprintable() else "\ufffd" for c in name)
