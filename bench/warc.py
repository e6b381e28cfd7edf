"""WARC storage: a full crawl against the bytes it downloaded, then quiet nights.

    .venv/bin/python bench/warc.py [--posts 300] [--nights 30] [--seed 5] [--concurrency 8]
        [--database-url URL]

Two copies of one demo board (``generate_board(--posts, --seed)``), side by side in one
database: ``counter``, served as GnuBoard serves it (each view of a post raises its view
counter, shown on its view page and on the list), and ``frozen``, served with
``DemoServer(count_views=False)`` (``python -m board_archive.demoboard --no-count-views``): the
same board whose pages never change. Both boards' clocks stay fixed; nothing is edited.

Night 0 is a full crawl of each (delay 0); then ``--nights`` nightly incremental runs of each
(``$BOARD_ARCHIVE_FAKE_NOW`` a day later each night), as the scheduler runs them. Each run is
the real crawl process (``run_crawl``), WARC recording on (the default), into a temp dir.

Measured: bytes downloaded = Scrapy's ``downloader/response_bytes`` of the run (status line,
headers and body of every response as received, counted before any decompression: the demo
board sends no ``Content-Encoding``, so this is the HTTP message less its framing); WARC bytes
= the size on disk of the ``.warc.gz`` files the run wrote (every run writes files of its own;
their ``.cdxj`` indexes are counted apart). A night's records are read back with warcio and
their gzip members' bytes split by type: ``revisit`` (a payload written before: headers only),
``response`` (a new payload), ``request`` (every fetch's request) and ``warcinfo``. The view
pages re-checked are reported in two rows, each page's record counted with its request (the
request record ``WARC-Concurrent-To`` it): unchanged (a payload byte-identical to one stored: a
``revisit``) and changed (a payload not stored before: a ``response``; on GnuBoard the view
counter, raised by the crawler's own visit the night before, and the download links' nonce,
new on every render); then all the nights' bytes over the pages re-checked.

Goals (issue 15): a full run's WARC <= 1.2x the bytes downloaded; <= 2 KB of WARC per unchanged
re-checked page (the revisit and its request), 0 for pages not fetched (every record is a fetch:
records = requests). A changed page is a new capture whatever its size: never a revisit.
Exit 1 when a crawl fails (at once), records and requests differ, or an unchanged page costs
more than 2,048 bytes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

# this tree's packages first (also when run from a copy of the tree)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine
from warcio.archiveiterator import ArchiveIterator

from archive.config import Config, load_config
from archive.db import make_engine
from archive.warcfiles import board_folder
from bench._harness import Database
from board_archive.crawl import run_crawl
from board_archive.demoboard import Board, DemoServer, SettableClock, generate_board

SEOUL = ZoneInfo("Asia/Seoul")
START = datetime(2026, 3, 2, 2, 30, tzinfo=SEOUL)
DAY = timedelta(days=1)
VARIANTS = (("counter", True), ("frozen", False))
KINDS = ("revisit", "response", "request", "warcinfo")
GOAL = 2048  # bytes of WARC per unchanged re-checked page (issue 15)


@dataclass
class Night:
    variant: str
    night: int
    mode: str
    status: str
    requests: int
    views: int  # view pages the board served
    downloaded: int  # downloader/response_bytes
    warc: int  # .warc.gz bytes written
    index: int  # .cdxj bytes written
    seconds: float
    records: Counter[str] = field(default_factory=Counter)  # by type
    sizes: Counter[str] = field(default_factory=Counter)  # gzip member bytes by type
    view_records: Counter[str] = field(default_factory=Counter)  # of view pages, by type
    view_bytes: Counter[str] = field(default_factory=Counter)
    new_views: list[int] = field(default_factory=list)  # wr_id of view pages with a new payload

    @property
    def fetches(self) -> int:
        return self.records["response"] + self.records["revisit"]

    def per_view(self, n: int | None = None) -> float:
        return (self.warc if n is None else n) / self.views if self.views else 0.0


def read_night(night: Night, files: list[Path]) -> None:
    """Each record of ``files``: its type, and its gzip member's bytes; a view page's request
    record counted with the record it is concurrent to (``request/revisit``,
    ``request/response``)."""
    of: dict[str, str] = {}  # WARC-Record-ID of a view page's response or revisit -> its type
    for path in files:
        with path.open("rb") as fh:
            it = ArchiveIterator(fh)
            for r in it:
                r.content_stream().read()
                kind = r.rec_type
                uri = r.rec_headers.get_header("WARC-Target-URI") or ""
                size = it.get_record_length() or 0
                night.records[kind] += 1
                night.sizes[kind] += size
                if "wr_id=" in uri and "board.php" in uri:
                    if kind == "request":
                        kind += "/" + of.pop(r.rec_headers.get_header("WARC-Concurrent-To"), "?")
                    else:
                        of[r.rec_headers.get_header("WARC-Record-ID")] = kind
                    night.view_records[kind] += 1
                    night.view_bytes[kind] += size
                    if kind == "response":
                        night.new_views.append(int(uri.rsplit("wr_id=", 1)[1].split("&")[0]))


def crawl(
    n: int, variant: str, cfg: Config, engine: Engine, server: DemoServer, mode: str
) -> Night:
    when = START + n * DAY
    os.environ["BOARD_ARCHIVE_FAKE_NOW"] = when.isoformat()
    folder = board_folder(cfg.data_dir, variant)
    before = set(folder.glob("*")) if folder.is_dir() else set()
    server.reset_counts()
    t = time.monotonic()
    result = run_crawl(cfg, cfg.board(variant), engine, mode=mode, log_level="WARNING")
    seconds = time.monotonic() - t
    run = result.run
    new = sorted(set(folder.glob("*")) - before)
    warcs = [p for p in new if p.name.endswith(".warc.gz")]
    stats = (run.stats or {}) if run else {}
    night = Night(
        variant=variant,
        night=n,
        mode=mode,
        status=run.status.value if run else f"exit {result.exit_code}",
        requests=run.requests if run else 0,
        views=server.counts.get("view", 0),
        downloaded=_int(stats.get("downloader/response_bytes")),
        warc=sum(p.stat().st_size for p in warcs),
        index=sum(p.stat().st_size for p in new if p.name.endswith(".cdxj")),
        seconds=seconds,
    )
    read_night(night, warcs)
    return night


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float | str) else 0


HEADER = (
    f"{'night':>5} {'board':<8} {'mode':<11} {'req':>4} {'views':>5} {'WARC +':>9} "
    f"{'revisits':>14} {'new payloads':>17} {'requests':>12} {'per view':>9} "
    f"{'view pages: revisit / new':>27} {'s':>5}"
)


def row(r: Night) -> str:
    rev = f"{r.records['revisit']} / {r.sizes['revisit']:,}"
    new = f"{r.records['response']} / {r.sizes['response']:,}"
    req = f"{r.records['request']} / {r.sizes['request']:,}"
    views = f"{r.view_records['revisit']} / {r.view_records['response']}"
    return (
        f"{r.night:>5} {r.variant:<8} {r.mode:<11} {r.requests:>4} {r.views:>5} {r.warc:>9,} "
        f"{rev:>14} {new:>17} {req:>12} {r.per_view():>9,.0f} {views:>27} {r.seconds:>5.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--posts", type=int, default=300)
    ap.add_argument("--nights", type=int, default=30)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--database-url", help="PostgreSQL server to create a fresh database on")
    args = ap.parse_args(argv)
    if args.posts < 20 or args.nights < 1:
        ap.error("--posts >= 20 and --nights >= 1")

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-warc-") as tmp:
        boards = {
            v: generate_board(args.posts, args.seed, clock=SettableClock(START))
            for v, _ in VARIANTS
        }
        with (
            DemoServer(boards["counter"], count_views=True) as counting,
            DemoServer(boards["frozen"], count_views=False) as frozen,
            Database(args.database_url, Path(tmp), prefix="ba_bench_warc") as url,
        ):
            servers = {"counter": counting, "frozen": frozen}
            toml = Path(tmp) / "boards.toml"
            toml.write_text(
                f'[archive]\ndata_dir = "{Path(tmp) / "var"}"\n[defaults]\ndelay = 0\n'
                f"concurrency = {args.concurrency}\n"
                + "".join(f'[boards.{v}]\nurl = "{s.list_url}"\n' for v, s in servers.items()),
                encoding="utf-8",
            )
            cfg = load_config(toml, env={"DATABASE_URL": url})
            engine = make_engine(url)
            live = len(boards["counter"].live_ids())
            print(
                f"demo board: {live} live posts (--posts {args.posts}, seed {args.seed}) twice: "
                "'counter' counts views as GnuBoard does, 'frozen' does not "
                f"(DemoServer count_views=False); boards' clocks fixed at {START:%F %H:%M} "
                f"Seoul, no edits; database {engine.url.get_backend_name()}",
                flush=True,
            )
            print(HEADER, flush=True)
            nights: list[Night] = []
            for n in range(args.nights + 1):
                for variant, server in servers.items():
                    mode = "full" if n == 0 else "incremental"
                    nights.append(crawl(n, variant, cfg, engine, server, mode))
                    print(row(nights[-1]), flush=True)
                    if nights[-1].status != "succeeded":
                        raise SystemExit(f"the crawl of {variant} failed: {nights[-1].status}")
            engine.dispose()
    return report(nights, boards, args.nights, time.monotonic() - started)


def mean(total: int, n: int) -> str:
    return f"{total / n:,.0f}" if n else "-"


def report(nights: list[Night], boards: dict[str, Board], count: int, seconds: float) -> int:
    ok = True
    print()
    for variant, _ in VARIANTS:
        mine = [r for r in nights if r.variant == variant]
        full, quiet = mine[0], mine[1:]
        ratio = full.warc / full.downloaded if full.downloaded else 0.0
        print(
            f"{variant}: full crawl {full.requests} requests, {full.downloaded:,} bytes downloaded"
            f" (downloader/response_bytes), WARC {full.warc:,} bytes ({ratio:.2f}x; goal <= 1.2x"
            f"), index {full.index:,} bytes; {full.records['revisit']} revisits"
        )
        views = sum(r.views for r in quiet)
        warc = sum(r.warc for r in quiet)
        sizes = sum((r.sizes for r in quiet), Counter[str]())
        pages = sum((r.view_records for r in quiet), Counter[str]())
        page_bytes = sum((r.view_bytes for r in quiet), Counter[str]())
        board = boards[variant]
        with_files = sum(
            bool((post := board.live(w)) and post.attachments) for r in quiet for w in r.new_views
        )
        print(
            f"  {count} no-change nights: {sum(r.requests for r in quiet):,} requests, {views:,} "
            f"view pages re-checked, WARC {warc:,} bytes (index {sum(r.index for r in quiet):,})"
            f": revisit records {sizes['revisit']:,}, new payloads {sizes['response']:,}, "
            f"requests {sizes['request']:,}, warcinfo {sizes['warcinfo']:,}"
        )
        for kind, what in (
            ("revisit", "unchanged page (payload byte-identical to one stored: revisit + request)"),
            ("response", "changed page (a payload not stored before: response + request)"),
        ):
            n, rec, req = pages[kind], page_bytes[kind], page_bytes[f"request/{kind}"]
            line = f"  per {what}: {n:,} pages, {mean(rec + req, n)} bytes ({mean(rec, n)} + "
            line += f"{mean(req, n)})"
            if kind == "revisit" and n:
                met = (rec + req) / n <= GOAL
                ok = ok and met
                line += f"; goal <= {GOAL:,}: {'met' if met else 'NOT MET'}"
            if kind == "response":
                line += (
                    f": {with_files:,} of posts with attachments (GnuBoard's download links "
                    f"carry a nonce, new on every visit), {n - with_files:,} others (the view "
                    "counter the page shows)"
                )
            print(line)
        print(
            f"  all the nights' WARC per re-checked page: {mean(warc, views)} bytes (list pages, "
            "robots.txt, files and warcinfo records included)"
        )
        for r in mine:
            if r.status != "succeeded" or r.fetches != r.requests:
                ok = False
                print(
                    f"  night {r.night}: {r.status}, {r.fetches} response/revisit records for "
                    f"{r.requests} requests"
                )
    print(f"\nevery record a fetch (records = requests, every run succeeded), goal met: {ok}")
    print(f"took {seconds:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
