"""WARC files of fetches (``archive.warcfiles``): records warcio reads back and checks, revisit
records for identical payloads, record references that point at their records, rotation, and
a file cut short by a kill readable up to its last complete record."""

from __future__ import annotations

import dataclasses
import gzip
import io
import os
import random
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.warcfiles import IDENTICAL_PAYLOAD, Exchange, Original, WarcFiles

WHEN = datetime(2026, 12, 5, 9, 30, 15, 250000, tzinfo=UTC)
HTML = "<html><title>보도자료</title><p>본문</p></html>".encode()


def exchange(url: str, body: bytes = HTML, status: int = 200) -> Exchange:
    return Exchange(
        url=url,
        fetched_at=WHEN,
        status=status,
        reason="OK",
        response_headers=[("Content-Type", "text/html; charset=utf-8")],
        body=body,
        request_headers=[("User-Agent", "board-archive (test)"), ("Host", "127.0.0.1")],
    )


def records(path: Path) -> list[tuple[str, str | None, bytes]]:
    with path.open("rb") as fh:
        return [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
            for r in ArchiveIterator(fh)
        ]


def warcio_check(path: Path) -> subprocess.CompletedProcess[str]:
    script = "import sys; from warcio.cli import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", script, "check", "-v", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_fetch_is_a_response_and_its_request(tmp_path: Path) -> None:
    url = "http://127.0.0.1:8080/bbs/board.php?bo_table=press&wr_id=7"
    with WarcFiles(tmp_path, "press") as warc:
        ref = warc.write(exchange(url))
    [path] = tmp_path.glob("press-*.warc.gz")
    assert (ref.file, ref.revisit) == (path.name, False)
    assert [(t, u) for t, u, _ in records(path)] == [
        ("warcinfo", None),
        ("response", url),
        ("request", url),
    ]
    assert records(path)[1][2] == HTML
    with path.open("rb") as fh:
        response, request = list(ArchiveIterator(fh))[1:]
    assert response.rec_headers.get_header("WARC-Date") == "2026-12-05T09:30:15.250000Z"
    assert response.rec_headers.get_header("WARC-Payload-Digest") == ref.payload_digest
    assert response.http_headers.get_statuscode() == "200"
    concurrent = request.rec_headers.get_header("WARC-Concurrent-To")
    assert concurrent == response.rec_headers.get_header("WARC-Record-ID")
    assert request.http_headers.protocol == "GET"
    # a GET has no payload: no digest of nothing, the block (its headers) digested
    assert request.rec_headers.get_header("WARC-Payload-Digest") is None
    assert request.rec_headers.get_header("WARC-Block-Digest").startswith("sha1:")
    assert request.http_headers.statusline.startswith("/bbs/board.php?bo_table=press&wr_id=7")
    result = warcio_check(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "digest pass" in result.stdout


def test_an_identical_payload_is_a_revisit_of_the_first(tmp_path: Path) -> None:
    first, again = "http://127.0.0.1/a", "http://127.0.0.1/b"
    page = HTML + random.Random(1).randbytes(2000)
    with WarcFiles(tmp_path, "press") as warc:
        one = warc.write(exchange(first, body=page))
        two = warc.write(exchange(again, body=page))
        other = warc.write(exchange(first, body=b"changed"))
    assert (one.revisit, two.revisit, other.revisit) == (False, True, False)
    assert one.payload_digest == two.payload_digest != other.payload_digest
    [path] = tmp_path.glob("*.warc.gz")
    with path.open("rb") as fh:
        revisit = [r for r in ArchiveIterator(fh) if r.rec_type == "revisit"]
        assert len(revisit) == 1
        headers = revisit[0].rec_headers
        assert headers.get_header("WARC-Profile") == IDENTICAL_PAYLOAD
        assert headers.get_header("WARC-Refers-To-Target-URI") == first
        assert headers.get_header("WARC-Refers-To-Date") == "2026-12-05T09:30:15.250000Z"
        assert revisit[0].http_headers.get_statuscode() == "200"
    assert two.length < 600 < one.length  # the payload is left out
    assert warcio_check(path).returncode == 0


def test_a_request_with_a_body_keeps_its_payload_digest(tmp_path: Path) -> None:
    form = dataclasses.replace(exchange("http://127.0.0.1/bbs/password.php"), method="POST")
    with WarcFiles(tmp_path, "press") as warc:
        warc.write(dataclasses.replace(form, request_body=b"w=s&wr_password=x"))
    [path] = tmp_path.glob("*.warc.gz")
    with path.open("rb") as fh:
        [request] = [r for r in ArchiveIterator(fh) if r.rec_type == "request"]
    assert request.rec_headers.get_header("WARC-Payload-Digest").startswith("sha1:")
    check = warcio_check(path)
    assert check.returncode == 0 and "digest pass" in check.stdout, check.stdout


def test_a_payload_known_from_before_is_a_revisit(tmp_path: Path) -> None:
    seen: dict[str, Original] = {}
    with WarcFiles(tmp_path / "night1", "press") as warc:
        ref = warc.write(exchange("http://127.0.0.1/a"))
        seen[ref.payload_digest] = Original("http://127.0.0.1/a", "2026-12-04T17:30:00.000000Z")
    with WarcFiles(tmp_path / "night2", "press", known=seen.get) as warc:
        assert warc.write(exchange("http://127.0.0.1/a")).revisit


def test_a_record_reference_points_at_its_record(tmp_path: Path) -> None:
    urls = [f"http://127.0.0.1/view?wr_id={i}" for i in range(5)]
    with WarcFiles(tmp_path, "press") as warc:
        refs = [warc.write(exchange(u, body=f"post {u}".encode())) for u in urls]
    for url, ref in zip(urls, refs, strict=True):
        with (tmp_path / ref.file).open("rb") as fh:
            fh.seek(ref.offset)
            member = fh.read(ref.length)
        read = [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
            for r in ArchiveIterator(io.BytesIO(gzip.decompress(member)))
        ]
        assert read == [("response", url, f"post {url}".encode())]


def test_files_rotate_past_their_size(tmp_path: Path) -> None:
    with WarcFiles(tmp_path, "press", max_bytes=2000) as warc:
        refs = [
            warc.write(exchange(f"http://127.0.0.1/{i}", body=random.Random(i).randbytes(3000)))
            for i in range(3)
        ]
    paths = sorted(tmp_path.glob("*.warc.gz"))
    assert len(paths) == 3 == len({r.file for r in refs})
    for path in paths:
        assert [t for t, _, _ in records(path)] == ["warcinfo", "response", "request"]
        assert warcio_check(path).returncode == 0


def test_a_file_cut_short_reads_up_to_its_last_complete_record(tmp_path: Path) -> None:
    with WarcFiles(tmp_path, "press") as warc:
        refs = [
            warc.write(exchange(f"http://127.0.0.1/{i}", body=bytes([i]) * 500)) for i in range(3)
        ]
    [path] = tmp_path.glob("*.warc.gz")
    path.write_bytes(path.read_bytes()[: refs[2].offset + refs[2].length // 2])  # a kill
    # the records before the cut read whole; the one cut short is not taken for a record
    assert [(t, u, len(c)) for t, u, c in records(path)] == [
        ("warcinfo", None, len(records(path)[0][2])),
        ("response", "http://127.0.0.1/0", 500),
        ("request", "http://127.0.0.1/0", 0),
        ("response", "http://127.0.0.1/1", 500),
        ("request", "http://127.0.0.1/1", 0),
    ]
    with WarcFiles(tmp_path, "press") as warc:  # a new writer never appends to it
        later = warc.write(exchange("http://127.0.0.1/later"))
    assert later.file != path.name


def test_a_naive_time_is_refused(tmp_path: Path) -> None:
    naive = Exchange("http://127.0.0.1/", datetime(2026, 12, 5), 200, [], b"")
    with WarcFiles(tmp_path, "press") as warc, pytest.raises(ValueError, match="aware"):
        warc.write(naive)


def test_flush_hands_the_records_to_the_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the pipeline calls before each batch's commit: the records written so far are in
    the file (not a buffer of the process) and fsync'd."""
    synced: list[int] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.fstat(fd).st_size)  # what the file held when it was fsync'd
        real(fd)

    with WarcFiles(tmp_path, "press") as warc:
        ref = warc.write(exchange("http://127.0.0.1/1", body=random.Random(2).randbytes(5000)))
        [path] = tmp_path.glob("*.warc.gz")
        monkeypatch.setattr(os, "fsync", fsync)
        warc.flush()
        monkeypatch.undo()
        assert synced and synced[-1] == path.stat().st_size > ref.offset + ref.length
        # the response and its request read whole from the disk, the writer still open
        assert [t for t, _, _ in records(path)] == ["warcinfo", "response", "request"]
