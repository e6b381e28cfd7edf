"""Many boards in one crawl process: what each additional board costs (issue 14, first part).

    .venv/bin/python bench/fleet.py [--boards 1,5,20] [--posts 60] [--delay 0.5]
        [--database-url postgresql://postgres@127.0.0.1:5432/postgres]

For each count N of ``--boards``, in one invocation: N demo boards of ``--posts`` posts (fixed
seeds), each served on its own loopback address (127.0.0.11, 127.0.0.12, …: its own site, so
the crawl's per-site throttling treats them as the separate sites they stand for), all crawled
``--full`` at once by ONE crawl process (``python -m board_archive.crawl_start --board b1
--board b2 …``, what ``board-archive crawl b1 b2 …`` starts), at ``--delay`` seconds between
requests to a site, into a fresh archive (SQLite, or a fresh PostgreSQL database). Then checks
that every board's run succeeded with every live post archived (a failed check: exit 1).

Reports per N: wall time from spawn to exit, requests (the runs' own counts), requests per
second, boards per hour at that pace, the crawl process's own peak RSS (``VmHWM``,
``bench/_peak.py``) and CPU seconds; and, side by side, memory per board: the process's peak
RSS divided by N, and the increase per board over the one-board run ((peak(N) - peak(1)) /
(N - 1)), against the one-board process's peak, which is what each board costs when every
board has a process of its own (as the scheduler runs them today).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

# this tree's packages first (also when run from a copy of the tree)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db import make_engine
from archive.models import Board as BoardRow
from archive.models import CrawlRun, Post, RunStatus
from bench._harness import ROOT, BenchError, Database, crawl_env, run_measured
from board_archive.demoboard import DemoServer, generate_board

MB = 1024 * 1024


def one_count(n: int, posts: int, delay: float, server_url: str | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-fleet-") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        boards = [generate_board(posts, seed=100 + i) for i in range(n)]
        servers = [
            stack.enter_context(DemoServer(b, host=f"127.0.0.{11 + i}"))
            for i, b in enumerate(boards)
        ]
        config = folder / "boards.toml"
        config.write_text(
            f'[archive]\ndata_dir = "{folder / "var"}"\n'
            + "".join(
                f'[boards.b{i}]\nurl = "{srv.list_url}"\ndelay = {delay}\n'
                for i, srv in enumerate(servers)
            ),
            encoding="utf-8",
        )
        url = stack.enter_context(Database(server_url, folder, prefix=f"ba_fleet{n}"))
        args = [sys.executable, "-m", "board_archive.crawl_start", "--mode", "full"]
        for i in range(n):
            args += ["--board", f"b{i}"]
        args += ["-s", "LOG_LEVEL=WARNING"]
        with (folder / "crawl.log").open("wb") as log:
            done = run_measured(args, crawl_env(config, url), stdout=log, stderr=log)
        if done.exit_code != 0:
            raise BenchError(f"{n} boards: the crawl process exited {done.exit_code}")
        engine = make_engine(url)
        try:
            with Session(engine) as s:
                runs = s.execute(select(BoardRow.name, CrawlRun).join(CrawlRun.board)).all()
                for name, run in runs:
                    board = boards[int(name[1:])]
                    archived = set(
                        s.scalars(select(Post.source_id).where(Post.board_id == run.board_id))
                    )
                    if run.status != RunStatus.SUCCEEDED or archived != {
                        str(i) for i in board.live_ids()
                    }:
                        raise BenchError(f"{name}: {run.status}, {len(archived)} posts archived")
                requests = sum(run.requests for _, run in runs)
        finally:
            engine.dispose()
        if len(runs) != n:
            raise BenchError(f"{n} boards: {len(runs)} runs recorded")
        return {
            "boards": n,
            "wall": done.seconds,
            "requests": requests,
            "cpu": done.cpu_seconds,
            "peak": done.peak_rss,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--boards", default="1,5,20", help="board counts, comma-separated")
    parser.add_argument("--posts", type=int, default=60, help="posts per board")
    parser.add_argument("--delay", type=float, default=0.5, help="seconds between requests")
    parser.add_argument("--database-url", help="a PostgreSQL server (default: SQLite)")
    opts = parser.parse_args()
    counts = sorted({int(c) for c in opts.boards.split(",")} | {1})
    started = time.monotonic()
    rows = []
    try:
        for n in counts:
            rows.append(one_count(n, opts.posts, opts.delay, opts.database_url))
            print(f"  {n} board(s) crawled", file=sys.stderr, flush=True)
    except BenchError as exc:
        print(f"check failed: {exc}", file=sys.stderr)
        return 1
    one = rows[0]["peak"]
    print(
        f"{opts.posts} posts a board, delay {opts.delay} s, one crawl process, "
        f"{'PostgreSQL' if opts.database_url else 'SQLite'} ({ROOT.name})"
    )
    head = "boards  wall s  requests  req/s  boards/h  CPU s  peak RSS MB  MB/board  +MB/board"
    print(head)
    for r in rows:
        n = r["boards"]
        extra = (r["peak"] - one) / (n - 1) / MB if n > 1 else one / MB
        print(
            f"{n:>6}  {r['wall']:>6.1f}  {r['requests']:>8.0f}  {r['requests'] / r['wall']:>5.1f}"
            f"  {n / r['wall'] * 3600:>8.0f}  {r['cpu']:>5.1f}  {r['peak'] / MB:>11.1f}"
            f"  {r['peak'] / n / MB:>8.1f}  {extra:>9.1f}"
        )
    print(
        f"a process per board: {one / MB:.1f} MB each (the one-board row); "
        f"took {time.monotonic() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
