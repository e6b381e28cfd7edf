"""Load the stored GnuBoard 5 sample pages (copied from gnuboard5-samples) with their headers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path

from crawler.pages.dates import SEOUL, today_in

SAMPLES = Path(__file__).parent / "samples"
HOSTS = {"v5.6": "http://127.0.0.1:8056", "v5.4": "http://127.0.0.1:8054"}
SEED_URL = "https://www.example.or.kr/bbs/board.php?bo_table=press&wr_id=212"


@dataclass(frozen=True)
class Sample:
    html: str
    raw: bytes
    status: int
    location: str | None
    fetched_on: date | None  # the Date header's day in Asia/Seoul


def load(name: str) -> Sample:
    """``name`` like ``"v5.6/press_list_p1"``; status/Location come from the final response."""
    page = SAMPLES / f"{name}.html"
    raw = page.read_bytes()
    status, location, fetched_on = 200, None, None
    headers = page.with_suffix(".headers.txt")
    if headers.exists():
        blocks = [b for b in re.split(r"\r?\n\r?\n", headers.read_text("utf-8")) if b.strip()]
        final = blocks[-1]  # after a followed redirect, the last response is what was parsed
        status = int(final.split()[1])
        m = re.search(r"^Location:\s*(\S+)", final, re.M | re.I)
        location = m.group(1) if m else None
        d = re.search(r"^Date:\s*(.+)$", final, re.M)
        if d:
            fetched_on = today_in(SEOUL, parsedate_to_datetime(d.group(1).strip()))
    return Sample(raw.decode("utf-8"), raw, status, location, fetched_on)


def board_url(version: str, query: str) -> str:
    return f"{HOSTS[version]}/bbs/board.php?bo_table=press{query}"
