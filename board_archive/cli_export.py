"""``board-archive export``: a board's WARC records of a time range, as a WARC file others can
read (``archive.warcexport``) or a WACZ package of it (``archive.wacz``). Registered in
``board_archive.cli``."""

from __future__ import annotations

import tempfile
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive import queries
from archive.localtime import parse_since, zone
from archive.models import Post, PostVersion, VersionFile
from archive.wacz import WaczError, write_wacz
from archive.warcexport import Resource, export_warc
from archive.warcfiles import board_folder
from board_archive.cli_common import ConfigOpt, console, err, fail, opened

TIME_HELP = "7d, 12h, 2w, a date (2026-11-01) or a time (2026-11-01T09:00), in the board's zone"


def export(
    board: Annotated[str, typer.Argument(help="The board's name in the archive")],
    warc: Annotated[
        Path | None,
        typer.Option("--warc", help="Folder to write the WARC file to (made if missing)"),
    ] = None,
    wacz: Annotated[
        Path | None, typer.Option("--wacz", help="The WACZ file to write (the WARC packaged)")
    ] = None,
    since: Annotated[str | None, typer.Option(help=f"From this time: {TIME_HELP}")] = None,
    until: Annotated[str | None, typer.Option(help=f"Before this time: {TIME_HELP}")] = None,
    config: ConfigOpt = None,
) -> None:
    """Export the board's fetches (WARC records) of a time range as one WARC/1.1 file
    (--warc) or a WACZ package of it (--wacz), or both.

    Every response and revisit record fetched in the range, each with its request, and the
    first captures the range's revisits refer to: a file any WARC tool reads on its own. The
    WACZ lists the post pages it holds (pages.jsonl) for replay tools. A record damaged on disk
    is named (file and offset) and left out; the rest is exported, and the exit code is 1. A file
    that ends in an incomplete record (its crawl was killed while writing it) is named in a note;
    its whole records are exported and the exit code stays 0. Pages archived before WARC
    recording (no record of their fetch) are written from their raw page as resource records.
    """
    if warc is None and wacz is None:
        fail("give --warc DIR, --wacz FILE, or both", 2)
    with opened(config) as (cfg, engine), Session(engine) as s:
        b = queries.board_by_name(s, board)
        tz, site, board_id = zone(b.timezone), b.url, b.id
        posts = select(Post.url, Post.title).where(Post.board_id == b.id)
        rows = s.execute(posts.where(Post.current_version > 0)).tuples()  # read, not secret
        titles = {url: title or url for url, title in rows}
    now = datetime.now(UTC)
    try:
        start = parse_since(since, tz, now) if since else None
        end = parse_since(until, tz, now) if until else None
    except ValueError:
        fail(f"--since and --until take {TIME_HELP}; not {since!r} / {until!r}", 2)
    folder = board_folder(cfg.data_dir, board)
    stamp = "-".join(t.strftime("%Y%m%dT%H%M%SZ") if t else "all" for t in (start, end))
    with tempfile.TemporaryDirectory(prefix="board-archive-export-") as tmp:
        into = warc or Path(tmp)
        into.mkdir(parents=True, exist_ok=True)
        out = into / f"{board}-{stamp}.warc.gz"
        result = export_warc(
            folder,
            out,
            start,
            end,
            info={"isPartOf": board},
            files_shown=lambda pages: files_shown(engine, board_id, pages, end),
            resources=raw_pages(engine, board_id, start, end),
        )
        if warc is not None:
            console.print(
                f"{out}: {result.records} records ({result.originals} first captures of "
                f"revisits, {result.files} files shown by the pages, fetched earlier), "
                f"{len(result.resources)} pages archived before WARC recording",
                highlight=False,
            )
        if wacz is not None:
            try:
                pages = write_wacz(result, titles, wacz, title=board, url=site)
            except WaczError as exc:
                fail(str(exc))
            console.print(
                f"{wacz}: {result.records} records, {len(result.resources)} pages archived "
                f"before WARC recording, {pages} pages",
                highlight=False,
            )
    for line in result.cut_short:  # a killed crawl's last record: nothing stored is missing
        err.print(f"note: {line}", highlight=False)
    for line in result.unreadable:
        err.print(f"left out, unreadable: {line}", highlight=False)
    if result.unreadable:
        raise typer.Exit(1)


def raw_pages(
    engine: Engine, board_id: int, since: datetime | None, until: datetime | None
) -> Iterator[Resource]:
    """The raw pages of the board's versions fetched in ``[since, until)`` that point at no WARC
    record (archived before WARC recording), oldest first, read a hundred at a time."""
    query = (
        select(Post.url, PostVersion.fetched_at, PostVersion.raw_page, PostVersion.raw_encoding)
        .join(Post, Post.id == PostVersion.post_id)
        .where(
            Post.board_id == board_id,
            PostVersion.warc_file.is_(None),
            PostVersion.raw_page.is_not(None),
        )
        .order_by(PostVersion.fetched_at, PostVersion.id)
    )
    if since is not None:
        query = query.where(PostVersion.fetched_at >= since)
    if until is not None:
        query = query.where(PostVersion.fetched_at < until)
    with Session(engine) as s:
        for url, fetched_at, raw, encoding in s.execute(query).yield_per(100):
            kind = f"text/html; charset={encoding}" if encoding else "text/html"
            yield Resource(url, fetched_at, zlib.decompress(raw or b""), kind)


def files_shown(engine: Engine, board_id: int, pages: set[str], until: datetime | None) -> set[str]:
    """The URLs of the files (attachments, body images) that the versions of the posts at
    ``pages`` archived before ``until`` showed."""
    query = (
        select(VersionFile.url)
        .join(PostVersion, PostVersion.id == VersionFile.version_id)
        .join(Post, Post.id == PostVersion.post_id)
        .where(Post.board_id == board_id, VersionFile.url.is_not(None))
    )
    if until is not None:
        query = query.where(PostVersion.fetched_at < until)
    with Session(engine) as s:
        return {
            url for url, page in s.execute(query.add_columns(Post.url)) if page in pages and url
        }
