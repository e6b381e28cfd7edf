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
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
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


def _list(html: str, url: str) -> Read:
    return lambda: _outcome(lambda: parse_list(html, url, today=TODAY))


def _view(html: str, url: str) -> Read:
    return lambda: _outcome(lambda: parse_view(html, url))


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    kinds = {**demo_pages(), "saved pages (as list and as view)": saved_pages()}
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
