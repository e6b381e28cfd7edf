"""A CDXJ index per WARC file (cdxj-indexer), and the payloads a board's WARC files hold.

``NAME.warc.gz`` has its index ``NAME.cdxj`` beside it, sorted, one line per record (SURT URL
key, 14-digit timestamp, JSON: url, mime, status, digest, length, offset, filename), written
when the file is closed (to a temporary file, fsync'd, renamed). A file without its index was
cut short (a kill): it is indexed when next read, up to the end of its last whole gzip member
(``whole_end``), so nothing refers to a record that is not all there and the bytes of a record
cut short are never parsed (the indexer fails on some cuts, inside a record's headers).

``known_payloads`` maps each payload digest of a folder's ``response`` records to where it was
last written whole (once, unless its first record was found damaged and it was written again):
a later run writes the same payload as a ``revisit`` of it.
"""

from __future__ import annotations

import json
import logging
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cdxj_indexer.main import write_cdx_index
from warcio.limitreader import LimitReader

from archive.warcfiles import Original

log = logging.getLogger(__name__)

WARC_SUFFIX, INDEX_SUFFIX = ".warc.gz", ".cdxj"
READ = 1 << 16


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One record of a WARC file, as its CDXJ index line has it."""

    urlkey: str
    timestamp: str  # YYYYMMDDHHMMSS, UTC
    url: str
    mime: str
    status: str | None
    digest: str | None
    offset: int
    length: int
    filename: str

    @property
    def revisit(self) -> bool:
        return self.mime == "warc/revisit"

    @property
    def w3c_date(self) -> str:
        t = self.timestamp
        return f"{t[:4]}-{t[4:6]}-{t[6:8]}T{t[8:10]}:{t[10:12]}:{t[12:14]}Z"


def index_path(warc: Path) -> Path:
    return warc.with_name(warc.name.removesuffix(WARC_SUFFIX) + INDEX_SUFFIX)


def write_index(warc: Path, *, check: bool = False) -> Path:
    """Index ``warc`` (``check``: only up to the end of its last whole gzip member, for a file
    that may have been cut short); the index's path."""
    target = index_path(warc)
    tmp = target.with_name(f".{target.name}.tmp")
    if check:
        end, size = whole_end(warc), warc.stat().st_size
        if end < size:
            log.warning(
                "%s: cut short at offset %d (%d bytes of an incomplete record left out of its "
                "index)",
                warc,
                end,
                size - end,
            )
        with warc.open("rb") as fh:
            whole = LimitReader(fh, end)
            write_cdx_index(str(tmp), [whole], {"sort": True, "filename": warc.name})
    else:
        write_cdx_index(str(tmp), [str(warc)], {"sort": True})
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    tmp.replace(target)
    return target


def whole_end(warc: Path, start: int = 0) -> int:
    """Where the whole gzip members of ``warc`` from ``start`` on end: past its last whole
    member before the end of the file or the first member that is cut short or damaged."""
    end = start
    with warc.open("rb") as fh:
        fh.seek(start)
        d, pending = zlib.decompressobj(wbits=31), b""
        while chunk := pending or fh.read(READ):
            pending = b""
            try:
                d.decompress(chunk)
            except zlib.error:
                return end
            if d.eof:  # a member ends in this chunk; the next begins after it
                rest = d.unused_data
                end = fh.tell() - len(rest)
                d, pending = zlib.decompressobj(wbits=31), rest
    return end


def entries(folder: Path) -> Iterator[IndexEntry]:
    """The index entries of every WARC file in ``folder`` (oldest file first); a file without
    its index is indexed first."""
    for warc in sorted(folder.glob(f"*{WARC_SUFFIX}")):
        index = index_path(warc)
        if not index.exists():
            log.warning("%s has no index (its run was cut short): indexing it", warc)
            write_index(warc, check=True)
        with index.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield _entry(line)


def known_payloads(folder: Path) -> dict[str, Original]:
    """Each payload digest of the ``response`` records in ``folder``, and its latest capture
    (the only one, unless the first was found damaged and the payload written again)."""
    latest: dict[str, IndexEntry] = {}
    if not folder.is_dir():
        return {}
    for e in entries(folder):
        if not e.digest or e.revisit or e.status is None:
            continue
        if (old := latest.get(e.digest)) is None or capture_order(old) < capture_order(e):
            latest[e.digest] = e
    return {
        digest: Original(e.url, e.w3c_date, e.filename, e.offset, e.length)
        for digest, e in latest.items()
    }


def capture_order(e: IndexEntry) -> tuple[str, str, int]:
    """Records in the order they were written: time, then file (named by its writer's start
    time), then offset."""
    return e.timestamp, e.filename, e.offset


def _entry(line: str) -> IndexEntry:
    urlkey, timestamp, blob = line.rstrip("\n").split(" ", 2)
    data = json.loads(blob)
    return IndexEntry(
        urlkey=urlkey,
        timestamp=timestamp,
        url=data["url"],
        mime=data.get("mime", ""),
        status=data.get("status"),
        digest=data.get("digest"),
        offset=int(data["offset"]),
        length=int(data["length"]),
        filename=data["filename"],
    )
