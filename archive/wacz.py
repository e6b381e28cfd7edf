"""A WARC export packaged as WACZ (py-wacz): the WARC file, its index, ``pages.jsonl`` (the
post pages it holds, titled) and ``datapackage.json`` with every file's hash.

The pages are the view pages of the board's posts the export holds a capture of, each at the
time of its capture, so a replay tool (ReplayWeb.page, pywb) lists them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from archive.warcexport import ExportResult

PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}


class WaczError(Exception):
    """py-wacz could not package the export."""


def pages_jsonl(result: ExportResult, titles: Mapping[str, str]) -> str:
    """``pages.jsonl`` of the captures in ``result`` whose URL is a post's page (``titles``:
    post URL -> title)."""
    lines = [json.dumps(PAGES_HEADER)]
    for n, e in enumerate(result.exported):
        if e.url in titles and e.status is not None:
            page = {"id": f"p{n}", "url": e.url, "ts": e.w3c_date, "title": titles[e.url]}
            lines.append(json.dumps(page, ensure_ascii=False))
    for n, (url, date) in enumerate(result.resources):  # pages archived before WARC recording
        if url in titles:
            page = {"id": f"r{n}", "url": url, "ts": date, "title": titles[url]}
            lines.append(json.dumps(page, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def write_wacz(
    result: ExportResult, titles: Mapping[str, str], out: Path, *, title: str, url: str
) -> int:
    """Package ``result``'s WARC file as the WACZ ``out``; the number of pages listed."""
    text = pages_jsonl(result, titles)
    with tempfile.TemporaryDirectory(prefix="board-archive-wacz-") as tmp:
        pages = Path(tmp) / "pages.jsonl"
        pages.write_text(text, encoding="utf-8")
        command = [sys.executable, "-m", "wacz", "create", "-o", str(out), "-p", str(pages)]
        command += ["--title", title, "--url", url, str(result.path)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not out.exists():
        tail = (done.stdout + done.stderr).strip().splitlines()[-3:]
        raise WaczError(f"py-wacz could not package {result.path}: {' / '.join(tail)}")
    return text.count("\n") - 1
