"""Screenshots of the web UI's main pages for the README (``docs/web-*.png``).

    .venv/bin/python docs/make_screenshots.py [--out docs]

Seeds a small archive (the web tests' ``tests/web/seed.py``: two boards, an edited post, files,
runs) in a temporary SQLite database and blob store, serves it with uvicorn on 127.0.0.1 (a port
the OS picks) and takes each page with Debian's Chromium driven by Playwright (headless, no
sandbox; Korean text needs a Korean font: ``apt-get install chromium fonts-noto-cjk``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

# this tree's packages first
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from archive.db import make_engine, upgrade
from archive.web.app import serving
from tests.web.seed import seed_archive

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# name, path, what to wait for (a selector on the page)
PAGES = [
    ("boards", "/", "svg.spark"),
    ("posts", "/boards/press", "table.posts"),
    ("post", "/boards/press/posts/101", "aside.timeline"),
    ("post-images", "/boards/press/posts/106", "#post-body img"),
    ("diff", "/boards/press/posts/101/diff?from=1&to=3", "#title-new ins"),
    ("search", "/search?q=채용 공고", "li.hit"),
    ("runs", "/runs", "table"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNGs")
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ba-shots-") as tmp:
        engine = make_engine(f"sqlite:///{tmp}/archive.sqlite3")
        upgrade(engine)
        seed_archive(engine, Path(tmp) / "blobs")
        try:
            with serving(engine, Path(tmp) / "blobs") as base, sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
                )
                context = browser.new_context(
                    viewport={"width": args.width, "height": 800},
                    locale="ko-KR",
                    device_scale_factor=1,
                )
                page = context.new_page()
                for name, path, ready in PAGES:
                    page.goto(base + path)
                    page.wait_for_selector(ready)
                    target = args.out / f"web-{name}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(f"{target} ({target.stat().st_size:,} bytes)")
                browser.close()
        finally:
            engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
