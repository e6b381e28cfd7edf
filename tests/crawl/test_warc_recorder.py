"""The crawl's WARC recorder (``crawler/warc.py``) when a record cannot be written: the fetch is
counted (``warc_errors``, which fails the run), no version can point at it, and the next fetch
is written to a new file."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from archive.runstats import Stat
from archive.warcfiles import WarcFiles
from crawler.warc import WarcRecorder
from tests.archive.test_warcfiles import warcio_check

BASE = "http://127.0.0.1:8080/bbs/board.php?bo_table=press"


def fetch(recorder: WarcRecorder, url: str, body: bytes) -> None:
    request = Request(url, headers={"User-Agent": "board-archive (test)"})
    response = Response(url, status=200, body=body, headers={"Content-Type": "text/html"})
    recorder.response_downloaded(response, request)


def test_a_record_that_cannot_be_written_is_counted_and_the_next_goes_to_a_new_file(
    tmp_path: Path,
) -> None:
    crawler = get_crawler()
    crawler._apply_settings()  # its stats
    assert crawler.stats is not None
    folder = tmp_path / "warc"
    recorder = WarcRecorder(crawler, WarcFiles(folder, "press"))
    shutil.rmtree(folder)
    folder.write_bytes(b"")  # no folder to write in: the file cannot be made
    fetch(recorder, f"{BASE}&wr_id=1", b"<p>one</p>")
    asyncio.run(recorder.flush())
    assert crawler.stats.get_value(Stat.WARC_ERRORS.key) == 1
    assert recorder.record_of(f"{BASE}&wr_id=1") is None  # nothing to point a version at

    folder.unlink()
    folder.mkdir()
    fetch(recorder, f"{BASE}&wr_id=2", b"<p>two</p>")
    asyncio.run(recorder.flush())
    where = recorder.record_of(f"{BASE}&wr_id=2")
    asyncio.run(recorder.spider_closed())
    assert where is not None and where[0].endswith("-00002.warc.gz")  # a file of its own
    assert crawler.stats.get_value(Stat.WARC_RECORDS.key) == 1
    [path] = folder.glob("*.warc.gz")
    assert warcio_check(path).returncode == 0
    with path.open("rb") as fh:
        kinds = [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r in ArchiveIterator(fh)
        ]
    assert kinds[1:] == [("response", f"{BASE}&wr_id=2"), ("request", f"{BASE}&wr_id=2")]
