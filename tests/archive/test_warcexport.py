"""A board's WARC records of a time range exported as one WARC file (``archive.warcexport``):
the range's records with their requests, the first captures its revisits refer to, a file
``warcio check`` passes, and a damaged record named and left out while the rest is exported."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive.warcexport import export_warc
from archive.warcfiles import WarcFiles
from archive.warcindex import index_path, known_payloads, write_index
from tests.archive.test_warcfiles import exchange, records, warcio_check

NIGHT1 = datetime(2026, 12, 1, 17, 30, tzinfo=UTC)
NIGHT2 = NIGHT1 + timedelta(days=1)


def night(folder: Path, when: datetime, pages: dict[str, bytes]) -> None:
    known = known_payloads(folder) if folder.is_dir() else {}
    with WarcFiles(folder, "press", known=known.get, on_closed=write_index) as warc:
        for i, (url, body) in enumerate(pages.items()):
            fetched = when + timedelta(seconds=i)
            warc.write(dataclasses.replace(exchange(url, body=body), fetched_at=fetched))


def test_a_range_exports_its_records_and_the_captures_its_revisits_refer_to(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "warc"
    night(folder, NIGHT1, {"http://b/1": b"one " * 100, "http://b/2": b"two " * 100})
    night(folder, NIGHT2, {"http://b/1": b"one " * 100, "http://b/2": b"two, edited " * 50})
    out = tmp_path / "night2.warc.gz"
    result = export_warc(folder, out, since=NIGHT2, until=NIGHT2 + timedelta(hours=1))
    assert (result.records, result.originals, result.unreadable) == (3, 1, [])
    got = [(kind, url, len(body)) for kind, url, body in records(out)]
    assert got == [
        ("warcinfo", None, got[0][2]),
        ("response", "http://b/1", 400),  # night 1's capture, which the revisit refers to
        ("request", "http://b/1", 0),
        ("revisit", "http://b/1", 0),
        ("request", "http://b/1", 0),
        ("response", "http://b/2", 600),
        ("request", "http://b/2", 0),
    ]
    check = warcio_check(out)
    assert check.returncode == 0, check.stdout + check.stderr
    everything = export_warc(folder, tmp_path / "all.warc.gz")
    assert (everything.records, everything.originals) == (4, 0)
    assert (
        export_warc(folder, tmp_path / "none.warc.gz", since=NIGHT2 + timedelta(days=1)).records
        == 0
    )


def test_a_damaged_record_is_named_and_the_rest_exported(tmp_path: Path) -> None:
    folder = tmp_path / "warc"
    night(folder, NIGHT1, {f"http://b/{i}": f"page {i} ".encode() * 80 for i in range(3)})
    [warc] = folder.glob("*.warc.gz")
    data = bytearray(warc.read_bytes())
    [line] = [
        ln
        for ln in (folder / warc.name.replace(".warc.gz", ".cdxj")).read_text().splitlines()
        if "http://b/1" in ln
    ]
    offset = int(line.split('"offset": "')[1].split('"')[0])
    data[offset + 40 : offset + 60] = b"\x00" * 20  # damaged on disk
    warc.write_bytes(bytes(data))
    result = export_warc(folder, tmp_path / "out.warc.gz")
    assert result.records == 2
    assert result.unreadable == [f"{warc} at offset {offset}: the record is cut short or damaged"]
    urls = [url for kind, url, _ in records(tmp_path / "out.warc.gz") if kind == "response"]
    assert urls == ["http://b/0", "http://b/2"]


def test_a_payload_whose_first_capture_is_damaged_is_written_again_and_referred_to(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "warc"
    page = b"unchanged page " * 60
    night(folder, NIGHT1, {"http://b/1": page})
    [first] = folder.glob("*.warc.gz")
    [line] = [ln for ln in index_path(first).read_text().splitlines() if "http://b/1" in ln]
    offset = int(line.split('"offset": "')[1].split('"')[0])
    data = bytearray(first.read_bytes())
    data[offset + 200 : offset + 210] = bytes(10)  # damaged on disk, inside its payload
    first.write_bytes(bytes(data))
    # the next night does not refer to a copy that cannot be read: it writes the payload again
    night(folder, NIGHT2, {"http://b/1": page})
    night(folder, NIGHT2 + timedelta(days=1), {"http://b/1": page})
    second, third = sorted(set(folder.glob("*.warc.gz")) - {first})
    assert [kind for kind, _, _ in records(second)][1:] == ["response", "request"]
    assert [kind for kind, _, _ in records(third)][1:] == ["revisit", "request"]
    with third.open("rb") as fh:
        [revisit] = [r for r in ArchiveIterator(fh) if r.rec_type == "revisit"]
    refers = revisit.rec_headers.get_header("WARC-Refers-To-Date")
    assert refers == _date(NIGHT2)  # the second night's capture, to the microsecond
    # the third night's export brings the capture it refers to along, not the damaged one
    out = tmp_path / "night3.warc.gz"
    result = export_warc(folder, out, since=NIGHT2 + timedelta(hours=12))
    assert (result.records, result.originals, result.unreadable) == (2, 1, [])
    assert [kind for kind, _, body in records(out)][1:] == [
        "response",
        "request",
        "revisit",
        "request",
    ]
    assert records(out)[1][2] == page
    assert warcio_check(out).returncode == 0


def _date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_a_closed_file_truncated_on_disk_is_named_the_rest_exported_and_crawled_anew(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "warc"
    pages = {f"http://b/{i}": f"page {i} ".encode() * 80 for i in range(3)}
    night(folder, NIGHT1, pages)
    [warc] = folder.glob("*.warc.gz")
    [line] = [ln for ln in index_path(warc).read_text().splitlines() if "http://b/2" in ln]
    offset = int(line.split('"offset": "')[1].split('"')[0])
    warc.write_bytes(warc.read_bytes()[: offset + 30])  # its index says more than it holds
    result = export_warc(folder, tmp_path / "out.warc.gz")
    assert result.unreadable == [f"{warc} at offset {offset}: the record is cut short or damaged"]
    urls = [url for kind, url, _ in records(tmp_path / "out.warc.gz") if kind == "response"]
    assert urls == ["http://b/0", "http://b/1"]
    # the next crawl writes in a file of its own; the lost payload whole, the others revisits
    night(folder, NIGHT2, pages)
    [later] = set(folder.glob("*.warc.gz")) - {warc}
    kinds = {url: kind for kind, url, _ in records(later) if kind in ("response", "revisit")}
    assert kinds == {"http://b/0": "revisit", "http://b/1": "revisit", "http://b/2": "response"}
    assert warcio_check(later).returncode == 0
