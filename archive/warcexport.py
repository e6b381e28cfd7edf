"""A board's WARC records of a time range, exported as one self-contained WARC file.

The records are copied as they are stored (each its own gzip member, byte for byte): every
``response`` and ``revisit`` record whose time lies in the range, each with the ``request``
record that follows it, in the order they were fetched. A revisit whose first capture lies
outside the range brings that capture along, so every revisit in the export refers to a
response the export holds; so do the files (attachments, body images) the exported pages
showed but fetched before the range (``files_shown``). The export begins with a ``warcinfo``
record of its own.

A record that cannot be read (a file truncated or corrupted on disk) is left out and named,
file and offset, in ``ExportResult.unreadable``; the rest is exported. A file that ends in an
incomplete record (its crawl was killed while writing it; the record was never indexed, and
nothing in the archive refers to it) is named, file and offset, in ``ExportResult.cut_short``:
its whole records are exported, and nothing that was stored is missing.

Versions archived before WARC recording (Alembic 0010) have no records, only their raw page
in the database: given as ``resources``, each is written as a ``resource`` record (the page's
URL, its fetch time, the page's bytes as stored): the page, without the exchange that was not
kept.
"""

from __future__ import annotations

import io
import os
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from surt import surt
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from archive.warcindex import WARC_SUFFIX, IndexEntry, capture_order, entries, whole_end

READ = 1 << 16


@dataclass(frozen=True, slots=True)
class Resource:
    """A page archived before WARC recording: its raw page as the database keeps it."""

    url: str
    fetched_at: datetime  # aware
    body: bytes
    content_type: str = "text/html"


class UnreadableRecord(Exception):
    """A stored record that is not a whole gzip member (the file was cut short or damaged)."""


@dataclass(slots=True)
class ExportResult:
    path: Path
    records: int = 0  # response and revisit records exported
    originals: int = 0  # of them, first captures brought along for revisits in the range
    files: int = 0  # of them, files the range's pages showed, fetched before it
    exported: list[IndexEntry] = field(default_factory=list)  # the records exported, in order
    unreadable: list[str] = field(default_factory=list)  # "FILE at offset N: why"
    cut_short: list[str] = field(default_factory=list)  # "FILE at offset N: …" (a killed crawl)
    resources: list[tuple[str, str]] = field(default_factory=list)  # (URL, W3C date) written


def export_warc(
    folder: Path,
    out: Path,
    since: datetime | None = None,
    until: datetime | None = None,
    info: dict[str, str] | None = None,
    files_shown: Callable[[set[str]], set[str]] | None = None,
    resources: Iterable[Resource] = (),
) -> ExportResult:
    """The records of ``folder``'s WARC files fetched in ``[since, until)`` into ``out``.

    ``files_shown`` gives, for the URLs of the pages exported, the URLs of the files
    (attachments, body images) their posts showed: each such file fetched before ``until`` but
    not in the range (a file unchanged since an earlier run is not downloaded again) comes
    along as its latest capture, so the pages replay with their files. ``resources``: pages
    archived before WARC recording, written as ``resource`` records (the caller picks those of
    the range)."""
    every = list(entries(folder)) if folder.is_dir() else []
    low, high = _stamp(since), _stamp(until)
    chosen = [
        e
        for e in every
        if (low is None or e.timestamp >= low) and (high is None or e.timestamp < high)
    ]
    files = 0
    if files_shown is not None:  # URLs matched as the index keys them (SURT: %7C is |)
        have = {e.urlkey for e in chosen}
        latest: dict[str, IndexEntry] = {}
        for e in every:
            if (high is None or e.timestamp < high) and e.status is not None:
                latest[e.urlkey] = max(latest.get(e.urlkey, e), e, key=lambda x: x.timestamp)
        for key in sorted({surt(url) for url in files_shown({e.url for e in chosen})} - have):
            if key in latest:
                chosen.append(latest[key])
                files += 1
    captures: dict[str, list[IndexEntry]] = {}  # the responses of each payload, oldest first
    for e in sorted(every, key=capture_order):
        if e.digest and not e.revisit and e.status is not None:
            captures.setdefault(e.digest, []).append(e)
    keys = {(e.filename, e.offset) for e in chosen}
    originals = 0
    for e in list(chosen):
        original = _referred(e, captures) if e.revisit else None
        if original is not None and (original.filename, original.offset) not in keys:
            keys.add((original.filename, original.offset))
            chosen.append(original)
            originals += 1
    chosen.sort(key=lambda e: (e.timestamp, e.filename, e.offset))
    result = ExportResult(
        out, originals=originals, files=files, cut_short=_cut_short(folder, every)
    )
    tmp = out.with_name(f".{out.name}.tmp")
    with tmp.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="WARC/1.1")
        details = {"software": "board-archive export", "format": "WARC File Format 1.1"}
        writer.write_record(writer.create_warcinfo_record(out.name, {**details, **(info or {})}))
        for page in resources:
            date = page.fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            record = writer.create_warc_record(
                page.url,
                "resource",
                payload=io.BytesIO(page.body),
                length=len(page.body),
                warc_content_type=page.content_type,
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(record)
            result.resources.append((page.url, date))
        for e in chosen:
            path = folder / e.filename
            try:
                fh.write(_record_with_request(path, e))
            except (OSError, UnreadableRecord) as exc:
                result.unreadable.append(f"{path} at offset {e.offset}: {exc}")
                continue
            result.records += 1
            result.exported.append(e)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(out)
    return result


def _referred(revisit: IndexEntry, captures: dict[str, list[IndexEntry]]) -> IndexEntry | None:
    """The response a revisit refers to: the latest capture of its payload before it (the
    first, unless that one was found damaged and the payload written again)."""
    found = captures.get(revisit.digest or "", [])
    before = [o for o in found if capture_order(o) < capture_order(revisit)]
    return before[-1] if before else (found[0] if found else None)


def _cut_short(folder: Path, every: list[IndexEntry]) -> list[str]:
    """The files of ``folder`` that end in an incomplete gzip member, after their last indexed
    record and the whole members that follow it (its request)."""
    last: dict[str, int] = {}
    for e in every:
        last[e.filename] = max(last.get(e.filename, 0), e.offset + e.length)
    out = []
    for warc in sorted(folder.glob(f"*{WARC_SUFFIX}")) if folder.is_dir() else []:
        size = warc.stat().st_size
        end = whole_end(warc, last.get(warc.name, 0))
        if end < size:
            out.append(
                f"{warc} at offset {end}: the file ends in an incomplete record ({size - end} "
                "bytes; the crawl writing it was stopped), left out"
            )
    return out


def _record_with_request(path: Path, entry: IndexEntry) -> bytes:
    """The record's gzip member and, when the next member is its request, that one too."""
    with path.open("rb") as fh:
        fh.seek(entry.offset)
        record = fh.read(entry.length)
        if len(record) != entry.length or not _whole(record):
            raise UnreadableRecord("the record is cut short or damaged")
        following = _member(fh)
    if following is not None and _is_request(following):
        return record + following
    return record


def _member(fh: io.BufferedReader) -> bytes | None:
    """The gzip member at the file's position, whole; None at the end or where it is not."""
    d = zlib.decompressobj(wbits=31)
    taken = bytearray()
    while not d.eof:
        chunk = fh.read(READ)
        if not chunk:
            return None
        taken += chunk
        try:
            d.decompress(chunk)
        except zlib.error:
            return None
    return bytes(taken[: len(taken) - len(d.unused_data)])


def _whole(member: bytes) -> bool:
    d = zlib.decompressobj(wbits=31)
    try:
        d.decompress(member)
    except zlib.error:
        return False
    return d.eof and not d.unused_data


def _is_request(member: bytes) -> bool:
    records = list(ArchiveIterator(io.BytesIO(member)))
    return len(records) == 1 and records[0].rec_type == "request"


def _stamp(when: datetime | None) -> str | None:
    if when is None:
        return None
    if when.tzinfo is None:
        raise ValueError("the range's times must be timezone-aware")
    return when.astimezone(UTC).strftime("%Y%m%d%H%M%S")
