"""The CDXJ index of each WARC file (``archive.warcindex``): written when a file is closed, made
when a file cut short by a kill is next read (its cut record left out), and the payloads a
board's files hold, for the revisits of later runs."""

from __future__ import annotations

from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive.warcfiles import RecordRef, WarcFiles
from archive.warcindex import entries, index_path, known_payloads, write_index
from tests.archive.test_warcfiles import exchange


def write(folder: Path, n: int, *, killed: bool = False) -> list[RecordRef]:
    """``n`` fetches and one payload again; ``killed``: the file ends with no index."""
    warc = WarcFiles(folder, "press", on_closed=None if killed else write_index)
    refs = [warc.write(exchange(f"http://127.0.0.1/{i}", body=bytes([i]) * 400)) for i in range(n)]
    refs.append(warc.write(exchange("http://127.0.0.1/again", body=bytes([0]) * 400)))
    warc.close()
    return refs


def test_a_closed_file_has_its_index(tmp_path: Path) -> None:
    refs = write(tmp_path, 3)
    [warc] = tmp_path.glob("*.warc.gz")
    assert index_path(warc).exists()
    got = sorted((e.url, e.offset, e.length, e.digest, e.revisit) for e in entries(tmp_path))
    want = sorted(
        (
            f"http://127.0.0.1/{i}" if i < 3 else "http://127.0.0.1/again",
            r.offset,
            r.length,
            r.payload_digest,
            r.revisit,
        )
        for i, r in enumerate(refs)
    )
    assert got == want
    assert all(e.timestamp == "20261205093015" for e in entries(tmp_path))


def test_a_file_cut_short_is_indexed_without_its_cut_record(tmp_path: Path) -> None:
    refs = write(tmp_path, 3, killed=True)
    [warc] = tmp_path.glob("*.warc.gz")
    assert not index_path(warc).exists()
    last = refs[2]
    warc.write_bytes(warc.read_bytes()[: last.offset + last.length - 10])
    urls = [e.url for e in entries(tmp_path)]
    assert sorted(urls) == ["http://127.0.0.1/0", "http://127.0.0.1/1"]
    assert index_path(warc).exists()


def test_known_payloads_are_the_first_responses(tmp_path: Path) -> None:
    refs = write(tmp_path, 2)
    known = known_payloads(tmp_path)
    assert set(known) == {r.payload_digest for r in refs}
    first = known[refs[0].payload_digest]
    assert (first.url, first.date) == ("http://127.0.0.1/0", "2026-12-05T09:30:15Z")
    assert known_payloads(tmp_path / "none") == {}
    later = WarcFiles(tmp_path, "press", known=known.get)
    again = later.write(exchange("http://127.0.0.1/1", body=bytes([1]) * 400))
    later.close()
    assert again.revisit
    # the revisit refers to its original's WARC-Date exactly, not the index's second
    with (tmp_path / again.file).open("rb") as fh:
        fh.seek(again.offset)
        revisit = next(iter(ArchiveIterator(fh))).rec_headers
    assert revisit.get_header("WARC-Refers-To-Target-URI") == "http://127.0.0.1/1"
    assert revisit.get_header("WARC-Refers-To-Date") == "2026-12-05T09:30:15.250000Z"
