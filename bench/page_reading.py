"""CPU of reading GnuBoard pages, with the page's text index and without it, side by side.

    .venv/bin/python bench/page_reading.py [--repeat 5]

The readers of an unknown skin ask for the text of nearly every element of a page; the page's
text index (``crawler.pages.page_text``) walks the page once and answers each from it, where
``markup.text`` walked the element's subtree every time. This reads the same pages both ways in
one process, alternating, and prints the CPU milliseconds a page (``time.process_time``) and
their ratio, per kind of page:

- list and view pages of the demo board (150 posts, seed 3) in each of its skins (views of the
  basic and legacy skins: the others keep no ``#bo_v_con`` and need a found body container);
- every saved page under ``tests/pages/samples`` (real installs, captured and rendered
  third-party skins, Rhymix), read as a list and as a view (either may refuse the page: the
  refusal costs the same work both ways).

Both ways must give the same items, page by page (else exit 1). "Without" runs the readers with
the index switched off (``page_text.reading`` replaced by a no-op for that half).

``--baseline DIR`` also reads the same pages with another checkout of this repository (``git
worktree add /tmp/base REV``) against this one, each in a process of its own with its tree
first on the path (twice each, alternating; a warm-up pass, then ``--repeat`` timed), and
prints the CPU milliseconds a page of both and their ratio.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from unittest import mock

# this tree's packages first (also when run from a copy of the tree)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from board_archive.demoboard.generate import generate_board
from board_archive.demoboard.render import ListRequest, Renderer, ViewRequest
from crawler.pages import page_text
from crawler.pages.gnuboard5 import parse_list, parse_view

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "pages" / "samples"
BASE = "http://127.0.0.1:8056"
TODAY = date(2026, 12, 7)

Read = Callable[[], object]


def demo_pages() -> dict[str, list[Read]]:
    board = generate_board(150, seed=3, now=datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    url = f"{BASE}/bbs/board.php?bo_table={board.bo_table}"
    kinds: dict[str, list[Read]] = {}
    for skin in ("basic", "legacy", "webzine", "cards"):
        render = Renderer(board, BASE, skin)
        for page in (1, 2, 3):
            html = render.list_page(ListRequest(page))
            kinds.setdefault(f"demo list ({skin})", []).append(_list(html, f"{url}&page={page}"))
        if skin in ("basic", "legacy"):
            for wr_id in board.live_ids()[:20]:
                html = render.view_page(ViewRequest(wr_id))
                kinds.setdefault(f"demo view ({skin})", []).append(
                    _view(html, f"{url}&wr_id={wr_id}")
                )
    return kinds


def saved_pages() -> list[Read]:
    reads: list[Read] = []
    for page in sorted(SAMPLES.rglob("*.html")):
        html = page.read_bytes().decode("utf-8", "replace")
        table = m.group(1) if (m := re.search(r"bo_table=(\w+)", html)) else "press"
        wr_id = m.group(1) if (m := re.search(r"wr_id=(\d+)", page.name + html)) else "1"
        url = f"{BASE}/bbs/board.php?bo_table={table}"
        reads += [_list(html, url), _view(html, f"{url}&wr_id={wr_id}")]
    return reads


class _Page:
    """One page to read: ``kind`` "list" or "view", its markup and URL; calling it reads it."""

    def __init__(self, kind: str, html: str, url: str) -> None:
        self.kind, self.html, self.url = kind, html, url

    def __call__(self) -> str:
        if self.kind == "list":
            return _outcome(lambda: parse_list(self.html, self.url, today=TODAY))
        return _outcome(lambda: parse_view(self.html, self.url))


def _list(html: str, url: str) -> Read:
    return _Page("list", html, url)


def _view(html: str, url: str) -> Read:
    return _Page("view", html, url)


def _raw(kinds: dict[str, list[Read]]) -> dict[str, list[tuple[str, str, str]]]:
    return {
        name: [(r.kind, r.html, r.url) for r in reads if isinstance(r, _Page)]
        for name, reads in kinds.items()
    }


def _outcome(read: Callable[[], object]) -> str:
    try:
        return repr(read())
    except Exception as exc:  # a refusal is an outcome to compare too
        return f"{type(exc).__name__}: {exc}"


@contextlib.contextmanager
def index_off() -> Iterator[None]:
    with mock.patch.object(page_text, "reading", lambda root: contextlib.nullcontext()):
        yield


def measure(reads: list[Read], repeat: int) -> tuple[float, float]:
    """CPU ms a page with the index and without it, and whether both read the same."""
    with_ms = without_ms = 0.0
    for _ in range(repeat):
        start = time.process_time()
        got = [r() for r in reads]
        with_ms += time.process_time() - start
        with index_off():
            start = time.process_time()
            plain = [r() for r in reads]
            without_ms += time.process_time() - start
        if got != plain:
            raise SystemExit("the index changed what a page reads as")
    per = 1000 / (repeat * len(reads))
    return with_ms * per, without_ms * per


#: run in a checkout's own process: the CPU ms a page of each kind of the pages file
_TIMING = """
import json, sys, time
from datetime import date
from crawler.pages.gnuboard5 import parse_list, parse_view
pages, repeat = json.load(open(sys.argv[1])), int(sys.argv[2])
def read(kind, html, url):
    try:
        parse_list(html, url, today=date(2026, 12, 7)) if kind == "list" else parse_view(html, url)
    except Exception:
        pass
out = {}
for name, group in pages.items():
    for kind, html, url in group:  # warm: imports, compiled patterns
        read(kind, html, url)
    start = time.process_time()
    for _ in range(repeat):
        for kind, html, url in group:
            read(kind, html, url)
    out[name] = (time.process_time() - start) * 1000 / repeat / len(group)
print(json.dumps(out))
"""


def against(baseline: Path, pages: dict[str, list[tuple[str, str, str]]], repeat: int) -> None:
    """Print the CPU ms a page of this tree and of the ``baseline`` checkout, side by side."""
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "pages.json"
        listing.write_text(json.dumps(pages))
        totals: dict[Path, dict[str, float]] = {ROOT: {}, baseline: {}}
        for _ in range(2):  # alternating, so that both see the same machine
            for tree, sums in totals.items():
                env = {**os.environ, "PYTHONPATH": str(tree)}
                run = [sys.executable, "-c", _TIMING, str(listing), str(repeat)]
                done = subprocess.run(run, env=env, cwd=tmp, capture_output=True, check=True)
                for name, ms in json.loads(done.stdout).items():
                    sums[name] = sums.get(name, 0.0) + ms / 2
    print(f"\n{'pages':<36} {'this tree':>10} {'baseline':>9} {'ratio':>6}  ({baseline})")
    for name, ms in totals[ROOT].items():
        base = totals[baseline][name]
        print(f"{name:<36} {ms:>7.1f} ms {base:>6.1f} ms {base / ms:>5.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    args = parser.parse_args()
    kinds = {**demo_pages(), "saved pages (as list and as view)": saved_pages()}
    if args.baseline is not None:
        against(args.baseline.resolve(), _raw(kinds), args.repeat)
        return 0
    print(f"{'pages':<36} {'n':>4} {'with index':>11} {'without':>9} {'ratio':>6}")
    for kind, reads in kinds.items():
        with_ms, without_ms = measure(reads, args.repeat)
        print(
            f"{kind:<36} {len(reads):>4} {with_ms:>8.1f} ms {without_ms:>6.1f} ms "
            f"{without_ms / with_ms:>5.2f}x"
        )
    print("both ways read every page the same")
    return 0


if __name__ == "__main__":
    sys.exit(main())
