"""WARC/1.1 files of a crawl's fetches (ISO 28500), written with warcio.

Each fetch is a ``response`` record (its payload digest, ``WARC-Payload-Digest``, computed by
warcio) followed by its ``request`` record (``WARC-Concurrent-To`` the response). A response
whose payload is byte-identical to one already written (in this writer, or known from before
through ``known``) is written as a ``revisit`` record of the identical-payload-digest profile,
its HTTP headers kept and its payload left out: a night with no change adds small records only.

Files rotate at ``max_bytes`` (``on_closed`` is called with each file closed: its index). A
writer never appends to a file it did not create, so the tail of a file cut short by a kill is
never extended (a new writer starts a new file). Every record is its own gzip member; ``flush``
writes what is buffered and fsyncs it, so a caller that flushes before committing the rows that
point at records (``RecordRef``) never has a row point at a record that is not on disk.
"""

from __future__ import annotations

import dataclasses
import io
import os
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
MAX_BYTES = 1_000_000_000  # a file is closed and the next begun past this size
SOFTWARE = "board-archive"
READ = 1 << 16

Headers = Sequence[tuple[str, str]]


def board_folder(data_dir: Path, board: str) -> Path:
    """Where a board's WARC files are (unless the crawl's ``WARC_DIR`` says otherwise)."""
    return data_dir / "warc" / board


@dataclass(frozen=True, slots=True)
class Exchange:
    """One fetch: the request sent and the response received, its body as received."""

    url: str
    fetched_at: datetime  # aware
    status: int
    response_headers: Headers
    body: bytes
    method: str = "GET"
    request_headers: Headers = ()
    request_body: bytes = b""
    reason: str = ""
    protocol: str = "HTTP/1.1"


@dataclass(frozen=True, slots=True)
class Original:
    """Where a payload was first written: what a revisit record refers to."""

    url: str
    date: str  # the original's WARC-Date (to the second where only its index was read)
    file: str | None = None  # its file in the writer's folder, offset and length, where known:
    offset: int | None = None  # its record is read from there (``exact``)
    length: int | None = None


@dataclass(frozen=True, slots=True)
class RecordRef:
    """Where the response (or revisit) record of a fetch is: file name, offset and length of
    its gzip member, and its payload digest."""

    file: str
    offset: int
    length: int
    payload_digest: str
    revisit: bool


class WarcFiles:
    """Rotating WARC files ``PREFIX-YYYYMMDDHHMMSSffffff-NNNNN.warc.gz`` in ``folder``."""

    def __init__(
        self,
        folder: Path,
        prefix: str,
        *,
        max_bytes: int = MAX_BYTES,
        known: Callable[[str], Original | None] | None = None,
        info: dict[str, str] | None = None,
        on_closed: Callable[[Path], object] | None = None,
    ) -> None:
        self.folder, self.prefix, self.max_bytes = folder, prefix, max_bytes
        self.known: Callable[[str], Original | None] = known or (lambda digest: None)
        self._info = {"software": SOFTWARE, "format": "WARC File Format 1.1", **(info or {})}
        self._on_closed = on_closed  # called with each file closed (its index is written)
        self._seen: dict[str, Original] = {}
        self._serial = 0
        self._stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
        self._file: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self._name = ""
        folder.mkdir(parents=True, exist_ok=True)

    def __enter__(self) -> WarcFiles:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def write(self, exchange: Exchange) -> RecordRef:
        """Write ``exchange``'s records; where its response (or revisit) record is."""
        writer, out = self._current()
        date = _warc_date(exchange.fetched_at)
        response = writer.create_warc_record(
            exchange.url,
            "response",
            payload=io.BytesIO(exchange.body),
            length=len(exchange.body),
            http_headers=_response_headers(exchange),
            warc_headers_dict={"WARC-Date": date},
        )
        digest = response.rec_headers.get_header("WARC-Payload-Digest")
        original = self._seen.get(digest)
        if original is None and (found := self.known(digest)) is not None:
            original = exact(self.folder, found)
            if original is not None:
                self._seen[digest] = original
        record = response
        if original is not None:
            record = writer.create_revisit_record(
                exchange.url,
                digest,
                original.url,
                original.date,
                http_headers=_response_headers(exchange),
                warc_headers_dict={"WARC-Date": date},
            )
            record.rec_headers.replace_header("WARC-Profile", IDENTICAL_PAYLOAD)
        else:
            self._seen[digest] = Original(exchange.url, date)
        offset = out.tell()
        writer.write_record(record)
        length = out.tell() - offset
        request = writer.create_warc_record(
            exchange.url,
            "request",
            payload=io.BytesIO(exchange.request_body),
            length=len(exchange.request_body),
            http_headers=StatusAndHeaders(
                f"{exchange.method} {_path(exchange.url)} {exchange.protocol}",
                list(exchange.request_headers),
                is_http_request=True,
            ),
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": record.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        writer.write_record(request)
        ref = RecordRef(self._name, offset, length, digest, original is not None)
        if out.tell() >= self.max_bytes:
            self.close()
        return ref

    def flush(self) -> None:
        """Write out what is buffered and fsync it: the records written so far are on disk."""
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())

    def close(self) -> None:
        if self._file is not None:
            try:
                self.flush()
            finally:
                self._file.close()
                self._file, self._writer = None, None
            if self._on_closed is not None:
                self._on_closed(self.folder / self._name)

    def _current(self) -> tuple[WARCWriter, BinaryIO]:
        if self._writer is None or self._file is None:
            self._serial += 1
            self._name = f"{self.prefix}-{self._stamp}-{self._serial:05d}.warc.gz"
            self._file = (self.folder / self._name).open("xb")
            self._writer = _Writer(self._file, gzip=True, warc_version="WARC/1.1")
            self._writer.write_record(self._writer.create_warcinfo_record(self._name, self._info))
        return self._writer, self._file


class _Writer(WARCWriter):
    """warcio's writer, less the ``WARC-Payload-Digest`` of a request with no body (the SHA-1
    of nothing: the same 50 bytes on every GET; its ``WARC-Block-Digest`` stays)."""

    def ensure_digest(
        self, record: ArcWarcRecord, block: bool = True, payload: bool = True
    ) -> None:
        if record.rec_type == "request" and not record.payload_length:
            payload = False
        super().ensure_digest(record, block=block, payload=payload)


def exact(folder: Path, original: Original) -> Original | None:
    """``original`` with the exact ``WARC-Date`` of its record (an index has it to the second
    only; a revisit's ``WARC-Refers-To-Date`` is the original's ``WARC-Date``), read from its
    file in ``folder``; None where its record cannot be read whole (damaged on disk: the payload
    is written again rather than referred to); as it is where it says no record."""
    if original.file is None or original.offset is None or original.length is None:
        return original
    try:
        with (folder / original.file).open("rb") as fh:
            fh.seek(original.offset)
            member = fh.read(original.length)
        d = zlib.decompressobj(wbits=31)
        for at in range(0, len(member), READ):  # the whole member, its CRC checked
            d.decompress(member[at : at + READ])
        if len(member) != original.length or not d.eof or d.unused_data:
            return None
        date = next(iter(ArchiveIterator(io.BytesIO(member)))).rec_headers.get_header("WARC-Date")
    except (OSError, zlib.error, StopIteration, ArchiveLoadFailed, ValueError):
        return None
    return dataclasses.replace(original, date=date) if date else None


def _response_headers(exchange: Exchange) -> StatusAndHeaders:
    status = f"{exchange.status} {exchange.reason}".rstrip()
    return StatusAndHeaders(status, list(exchange.response_headers), protocol=exchange.protocol)


def _path(url: str) -> str:
    """The request target of ``url`` (path and query)."""
    rest = url.split("://", 1)[-1]
    slash = rest.find("/")
    return rest[slash:].split("#", 1)[0] if slash >= 0 else "/"


def _warc_date(when: datetime) -> str:
    if when.tzinfo is None:
        raise ValueError("fetched_at must be timezone-aware")
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
