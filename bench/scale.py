"""Scale: a 100,000-post board archived in one full run, then 30 incremental no-change nights.

    .venv/bin/python bench/scale.py [--posts 100000] [--nights 30] [--seed 5] [--concurrency 8]
        [--database-url URL]

A ``SettableClock`` drives the demo board and ``$BOARD_ARCHIVE_FAKE_NOW`` the crawler, together
(as ``bench/files.py`` does): night 0 (02:30 Asia/Seoul) is a full crawl into a fresh database
(SQLite in a temp dir, or a fresh database on the PostgreSQL server of ``--database-url``), then
``--nights`` incremental nights in which nothing on the board changes but the view counters.

Each crawl is the crawl process ``board_archive.crawl.run_crawl`` would start; its peak RSS
is its own ``VmHWM`` (``bench/_peak.py``: ``ru_maxrss`` would include this benchmark's own peak,
and the demo board it serves is most of that).
Per night it prints the run's status, requests, seconds, peak RSS, the rows added to each table
and the database's growth in bytes (SQLite: page count × page size; PostgreSQL:
``pg_database_size``).

Goals: peak RSS of every crawl ≤ 250 MB; a no-change night adds rows only to the counter tables
(``crawl_runs``: the night's run; ``observations``: the views and comment counts it saw). Exit 0
when both are met and every run succeeded, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, MetaData, func, select, text

from archive.config import load_config
from archive.db import make_engine
from bench._harness import Database, crawl_env, run_measured
from board_archive.crawl import crawl_command, latest_run
from board_archive.demoboard import DemoServer, SettableClock, generate_board

SEOUL = ZoneInfo("Asia/Seoul")
START = datetime(2026, 3, 2, 2, 30, tzinfo=SEOUL)
MB = 1024 * 1024
RSS_GOAL = 250 * MB
COUNTER_TABLES = {"crawl_runs", "observations"}


def row_counts(engine: Engine) -> dict[str, int]:
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as c:
        return {
            name: c.scalar(select(func.count()).select_from(table)) or 0
            for name, table in sorted(meta.tables.items())
            if not name.startswith("post_search")  # the search index's own tables
        }


def db_bytes(engine: Engine) -> int:
    if engine.dialect.name == "postgresql":
        with engine.connect() as c:
            return int(c.scalar(text("SELECT pg_database_size(current_database())")) or 0)
    with engine.connect() as c:  # its logical size, pages still in the WAL included
        pages = c.exec_driver_sql("PRAGMA page_count").scalar() or 0
        return int(pages) * int(c.exec_driver_sql("PRAGMA page_size").scalar() or 0)


def crawl(toml: Path, url: str, mode: str, when: datetime) -> tuple[int, int, float]:
    """One crawl's child process: (exit code, peak RSS in bytes, seconds)."""
    cfg = load_config(toml, env={"DATABASE_URL": url})
    env = crawl_env(toml, url, BOARD_ARCHIVE_FAKE_NOW=when.isoformat())
    args = crawl_command(cfg.board("press"), False, mode, {"LOG_LEVEL": "WARNING"})
    done = run_measured(args, env)
    return done.exit_code, done.peak_rss, done.seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--posts", type=int, default=100_000)
    ap.add_argument("--nights", type=int, default=30)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--database-url", help="PostgreSQL server to create a fresh database on")
    args = ap.parse_args(argv)
    if args.posts < 20 or args.nights < 1:
        ap.error("--posts >= 20 and --nights >= 1")

    clock = SettableClock(START)
    t = time.monotonic()
    board = generate_board(args.posts, seed=args.seed, clock=clock)
    print(f"demo board: {len(board.live_ids()):,} posts ({time.monotonic() - t:.0f} s)")
    failed, peaks, extra = 0, [], []
    with (
        tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp,
        DemoServer(board) as server,
        Database(args.database_url, Path(tmp), prefix="ba_bench_scale") as url,
    ):
        toml = Path(tmp) / "boards.toml"
        toml.write_text(
            f'[archive]\nblob_dir = "{Path(tmp) / "blobs"}"\n[defaults]\ndelay = 0\n'
            f'concurrency = {args.concurrency}\n[boards.press]\nurl = "{server.list_url}"\n',
            encoding="utf-8",
        )
        engine = make_engine(url)
        print(f"database {engine.dialect.name}; nights at 02:30 Asia/Seoul from {START:%F}")
        print(f"{'night':>5} {'mode':<11} {'status':<10} {'requests':>8} {'s':>7} "
              f"{'peak RSS':>9} {'db +bytes':>12}  rows added")  # fmt: skip
        rows, size = row_counts(engine), db_bytes(engine)
        for n in range(args.nights + 1):
            when = START + timedelta(days=n)
            clock.set(when)
            mode = "full" if n == 0 else "incremental"
            code, peak, seconds = crawl(toml, url, mode, when)
            run = latest_run(engine, "press")
            status = run.status.value if run else f"exit {code}"
            after, after_size = row_counts(engine), db_bytes(engine)
            added = {k: after[k] - rows.get(k, 0) for k in after if after[k] != rows.get(k, 0)}
            grown = after_size - size
            rows, size = after, after_size
            peaks.append(peak)
            failed += status != "succeeded"
            if n:
                extra += [k for k in added if k not in COUNTER_TABLES]
            shown = ", ".join(f"{k} +{v:,}" for k, v in added.items()) or "none"
            print(
                f"{n:>5} {mode:<11} {status:<10} {run.requests if run else 0:>8,} "
                f"{seconds:>7.1f} {peak / MB:>7.0f}MB {grown:>12,}  {shown}",
                flush=True,
            )
            if n == 0:
                quiet_start = size
        engine.dispose()

    per_night = (size - quiet_start) / args.nights
    print(
        f"\npeak RSS: {max(peaks) / MB:.0f} MB (full run {peaks[0] / MB:.0f} MB, incremental "
        f"nights up to {max(peaks[1:]) / MB:.0f} MB); database growth per no-change night: "
        f"{per_night:,.0f} bytes on average; tables other than the counters that grew on a "
        f"no-change night: {', '.join(sorted(set(extra))) or 'none'}"
    )
    ok = not failed and max(peaks) <= RSS_GOAL and not extra
    print("goals (peak RSS <= 250 MB; counters only):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
