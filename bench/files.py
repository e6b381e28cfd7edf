"""Files over quiet nights: no-change nights add 0 blob bytes and make 0 downloads.

    .venv/bin/python bench/files.py [--posts 1000] [--nights 30] [--full-every 7] [--seed 3]
        [--database-url URL]

A ``SettableClock`` drives the demo board and ``$BOARD_ARCHIVE_FAKE_NOW`` the crawler, together.
The board is ``generate_board(--posts)`` of ``board_archive.demoboard`` (its attachments, and
the theme logo every body shows) plus one post in 20 with two editor images of its own under
``/data/editor/``.

Night 0 (02:30 Asia/Seoul) is a full crawl into a fresh database (SQLite in a temp dir, or a
fresh database on the PostgreSQL server of ``--database-url``) and a fresh blob store. Then
``--nights`` nights in which nothing on the board changes but the view counters (each view
fetch raises one, as GnuBoard does): an incremental run each night, and a full run, which
re-checks every post, every ``--full-every`` nights. A last control night replaces one
attachment (same name, new bytes), adds one to another post, and runs a full crawl.

Per night it prints: the run's mode, status and requests; the view pages fetched; the files
those pages show (what an archiver re-downloading on every visit would fetch); the downloads
the board served (attachments and images, counted by the server); blob files and bytes added to
the store; post versions added; and the download counter of the board's attachments (GnuBoard
raises it on each download, so a re-download is visible to the board's owner).

Exit 0 when the quiet nights made 0 downloads, added 0 blob bytes and 0 versions, and the
control night downloaded exactly the 2 new files; 1 otherwise or when a crawl failed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

# this tree's packages first (also when run from a copy of the tree)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from archive.config import Config, load_config
from archive.db import make_engine
from archive.models import CrawlRun, PostVersion
from bench._harness import Database
from board_archive.crawl import run_crawl
from board_archive.demoboard import DemoServer, SettableClock, generate_board
from board_archive.demoboard.content import Board

SEOUL = ZoneInfo("Asia/Seoul")
START = datetime(2026, 3, 2, 2, 30, tzinfo=SEOUL)
DAY = timedelta(days=1)


@dataclass
class Night:
    night: int
    mode: str
    status: str
    requests: int
    views: int
    files_shown: int
    downloads: int
    blob_files: int
    blob_bytes: int
    versions: int
    counter: int
    seconds: float


def add_images(board: Board, server: DemoServer, every: int) -> int:
    """Two editor images (on the board's own host) in one post of ``every``; how many."""
    posts = [p for p in board.posts() if not p.secret][::every]
    for p in posts:
        urls = [
            server.put_file(f"/data/editor/{p.wr_id}_{k}.png", f"PNG {p.wr_id}/{k}".encode())
            for k in (1, 2)
        ]
        body = p.body_html + "".join(f'<p><img src="{u}" alt="그림"></p>' for u in urls)
        board.edit_post(p.wr_id, body_html=body)
    return len(posts)


def files_shown(board: Board, wr_ids: list[int]) -> int:
    """Attachments and images of these posts' view pages (each image once per post)."""
    n = 0
    for wr_id in wr_ids:
        post = board.live(wr_id)
        if post is not None and not post.secret:
            n += len(post.attachments) + len(set(_images(post.body_html)))
    return n


def _images(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('src="')[1:]]


def store_size(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")]
    return len(files), sum(p.stat().st_size for p in files)


def download_counter(board: Board) -> int:
    return sum(a.downloads for p in board.posts() for a in p.attachments)


def versions(engine: Engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(PostVersion)) or 0


def night(
    n: int,
    mode: str,
    cfg: Config,
    engine: Engine,
    board: Board,
    clock: SettableClock,
    server: DemoServer,
    store: Path,
) -> Night:
    when = START + n * DAY
    clock.set(when)
    os.environ["BOARD_ARCHIVE_FAKE_NOW"] = when.isoformat()
    before_files, before_bytes = store_size(store)
    before_versions, before_counter = versions(engine), download_counter(board)
    server.reset_counts()
    t = time.monotonic()
    result = run_crawl(cfg, cfg.board("press"), engine, mode=mode, log_level="WARNING")
    seconds = time.monotonic() - t
    run: CrawlRun | None = result.run
    counts, targets = server.counts, server.target_counts
    viewed = [
        int(t.rsplit("wr_id=", 1)[1].split("&")[0])
        for t in targets
        if "board.php?" in t and "wr_id=" in t
    ]
    after_files, after_bytes = store_size(store)
    return Night(
        night=n,
        mode=mode,
        status=run.status.value if run else f"exit {result.exit_code}",
        requests=run.requests if run else 0,
        views=counts.get("view", 0),
        files_shown=files_shown(board, viewed),
        downloads=counts.get("download", 0) + counts.get("static", 0),
        blob_files=after_files - before_files,
        blob_bytes=after_bytes - before_bytes,
        versions=versions(engine) - before_versions,
        counter=download_counter(board) - before_counter,
        seconds=seconds,
    )


HEADER = (
    f"{'night':>5} {'mode':<11} {'status':<9} {'requests':>8} {'views':>6} {'files shown':>11} "
    f"{'downloads':>9} {'blobs +':>7} {'blob bytes +':>12} {'versions +':>10} "
    f"{'counter +':>9} {'s':>6}"
)


def row(r: Night, label: str | None = None) -> str:
    return (
        f"{label or r.night:>5} {r.mode:<11} {r.status:<9} {r.requests:>8} {r.views:>6} "
        f"{r.files_shown:>11} {r.downloads:>9} {r.blob_files:>7} {r.blob_bytes:>12,} "
        f"{r.versions:>10} {r.counter:>9} {r.seconds:>6.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--nights", type=int, default=30)
    ap.add_argument("--full-every", type=int, default=7, help="a full run every N nights")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--database-url", help="PostgreSQL server to create a fresh database on")
    args = ap.parse_args(argv)
    if args.posts < 20 or args.nights < 1 or args.full_every < 1:
        ap.error("--posts >= 20, --nights >= 1 and --full-every >= 1")

    clock = SettableClock(START)
    board = generate_board(args.posts, seed=args.seed, clock=clock)
    with (
        tempfile.TemporaryDirectory(prefix="bench-files-") as tmp,
        DemoServer(board) as server,
        Database(args.database_url, Path(tmp), prefix="ba_bench_files") as url,
    ):
        images = add_images(board, server, 20)
        attachments = sum(len(p.attachments) for p in board.posts() if not p.secret)
        store = Path(tmp) / "blobs"
        toml = Path(tmp) / "boards.toml"
        toml.write_text(
            f'[archive]\nblob_dir = "{store}"\n[defaults]\ndelay = 0\n'
            f'concurrency = {args.concurrency}\n[boards.press]\nurl = "{server.list_url}"\n',
            encoding="utf-8",
        )
        cfg = load_config(toml, env={"DATABASE_URL": url})
        engine = make_engine(url)
        print(
            f"demo board: {len(board.live_ids())} posts, {attachments} attachments, "
            f"{images} posts with 2 editor images, the theme logo in every body; "
            f"database {engine.url.get_backend_name()}; nights at 02:30 Asia/Seoul from "
            f"{START:%F}, a full run every {args.full_every} nights",
            flush=True,
        )
        print(HEADER, flush=True)
        first = night(0, "full", cfg, engine, board, clock, server, store)
        print(row(first), flush=True)
        quiet: list[Night] = []
        for n in range(1, args.nights + 1):
            mode = "full" if n % args.full_every == 0 else "incremental"
            quiet.append(night(n, mode, cfg, engine, board, clock, server, store))
            print(row(quiet[-1]), flush=True)

        with_files = [p for p in board.posts() if p.attachments and not p.secret]
        first_file = with_files[0].attachments[0]
        board.replace_attachment(with_files[0].wr_id, first_file.no, content=b"v2")
        board.add_attachment(with_files[1].wr_id, "추가 공고문.pdf", b"%PDF added")
        control = night(args.nights + 1, "full", cfg, engine, board, clock, server, store)
        print(row(control, "ctrl"), flush=True)
        engine.dispose()

    failed = [r for r in [first, *quiet, control] if r.status != "succeeded"]
    total = Night(0, "", "", 0, 0, 0, 0, 0, 0, 0, 0, 0.0)
    for f in FIELDS:
        setattr(total, f, sum(getattr(r, f) for r in quiet))
    print(
        f"\n{args.nights} no-change nights: {total.requests:,} requests, {total.views:,} view "
        f"pages showing {total.files_shown:,} files; {total.downloads} downloads, "
        f"{total.blob_bytes} blob bytes and {total.versions} versions added; the board's "
        f"download counters rose by {total.counter}. Night 0 stored {first.blob_files} blobs "
        f"({first.blob_bytes:,} bytes) from {first.downloads} downloads. Control night: "
        f"{control.downloads} downloads, {control.blob_files} blobs "
        f"({control.blob_bytes:,} bytes), {control.versions} versions."
    )
    ok = (
        not failed
        and (total.downloads, total.blob_bytes, total.versions, total.counter) == (0, 0, 0, 0)
        and (control.downloads, control.blob_files, control.versions) == (2, 2, 2)
    )
    print("goal (0 downloads and 0 blob bytes on no-change nights):", "met" if ok else "NOT met")
    return 0 if ok else 1


FIELDS = [
    "requests",
    "views",
    "files_shown",
    "downloads",
    "blob_files",
    "blob_bytes",
    "versions",
    "counter",
]


if __name__ == "__main__":
    sys.exit(main())
