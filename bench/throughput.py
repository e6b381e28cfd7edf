"""End-to-end crawl throughput: archiving into SQLite and PostgreSQL vs a bare Scrapy crawl.

    .venv/bin/python bench/throughput.py [--posts N] [--repeat N] [--skip-postgres]

What it does, in one invocation:

1. Generates a demo board (``--posts``, default 10,000, fixed seed), pre-renders every list and
   view page into a temp dir (``board_archive.demoboard.prerender``) and serves it with nginx
   on 127.0.0.1 at a free port, with its own config, pid, log and temp files in the temp dir
   (``daemon off``, in its own session, stopped at the end, also on Ctrl-C or an error). nginx
   serves static files far faster than Scrapy can parse them, so the server is not the bottleneck.
2. Checks the static site before timing anything: robots.txt, list page 1 and the last page
   parsed with the crawler's own page objects (rows, "Total", last page), a view page, the 302
   of a secret post, the not-found page, and that the view files plus secret posts are as many
   as the board's live posts. A broken mapping cannot give a fast but empty benchmark.
3. Runs crawl processes with identical settings (delay 0, AutoThrottle
   off, ``--concurrency`` requests in flight, LOG_LEVEL=INFO to a log file): ``bare``
   (``ARCHIVE_ENABLED=False``: fetches and parses the same pages, stores nothing), ``sqlite``
   (a fresh SQLite file) and ``postgres`` (a fresh database, dropped afterwards); ``--repeat N``
   runs the three N times, interleaved, and reports medians.
4. After each run checks the count: archived posts (and for the bare run the posts + secret
   posts the spider parsed) must equal the board's live posts, with no errors and no failed or
   refused file download.

Files: the benchmark is about list and view pages, not downloads. The board's
``max_file_size`` is 100 bytes: every attachment (the generated ones are 200 bytes and more, and
their size is shown) is recorded as skipped without a request; the one body image the generated
posts show (the theme logo, 70 bytes, served here as a static file) is downloaded once per run.
Both the bare and the archiving runs make that request; the archiving runs also write each
version's file rows and the logo's blob (the blob store is in the temp dir). ``bench/files.py``
measures downloads.

Timing: ``seconds`` is Scrapy's own ``elapsed_time_seconds`` (CoreStats: spider opened to
spider closed, so it includes the final batch flush but not interpreter start-up), read from the
stats dump Scrapy logs at close -- the same number the archive keeps in ``crawl_runs.stats``,
and available for the bare run too. ``wall`` is the child process from spawn to exit; ``CPU s``
its user + system CPU time (from ``os.wait4``) and peak RSS its own ``VmHWM``
(``bench/_peak.py``); CPU time is the figure least disturbed by other load on the machine,
but leaves out PostgreSQL's own work).
posts/s = live posts / seconds; ratio = posts/s of the run / posts/s of the bare run. Exit 0 when
every run verified (the 0.7 goal is reported, not enforced), 1 when a check failed, 2 on bad
usage or a missing nginx. The packages of the tree this file is in are used (put first on the
path), so a copy of the tree (``git archive HEAD``) benchmarks a fixed version of the code.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

# this tree's packages first (also when run from a copy of the tree), before the editable install
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from archive import items as it
from archive.db import make_engine
from archive.runstats import RunStats, Stat
from bench._harness import (
    BenchError,
    crawl_env,
    create_pg,
    drop_pg,
    free_port,
    init_schema,
    run_measured,
)
from bench._nginx import start_nginx, stop
from board_archive.demoboard import Board, generate_board, prerender
from board_archive.demoboard.handler import LOGO_PATH, LOGO_PNG
from crawler.pages import gnuboard5

ROOT = Path(__file__).resolve().parent.parent
BOARD = "bench"
GOAL = 0.7
_STAT = re.compile(r"'([\w/]+)': (\d+(?:\.\d+)?)")
FILE_FAILURES = (Stat.FILES_FAILED.key, Stat.FILES_REFUSED.key)


@dataclass(frozen=True, slots=True)
class Run:
    kind: str
    posts: int
    pages: int
    seconds: float  # Scrapy's elapsed_time_seconds
    wall: float  # child process spawn to exit
    cpu: float  # the child's user + system CPU seconds
    rss_mb: float

    @property
    def rate(self) -> float:
        return self.posts / self.seconds


def fetch(port: int, path: str) -> tuple[int, str | None, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.getheader("Location"), resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def verify_site(port: int, board: Board, base: str, pages: int, views: int) -> None:
    def check(ok: bool, what: str) -> None:
        if not ok:
            raise BenchError(f"static site: {what}")

    table, live = board.bo_table, board.posts()
    status, _, body = fetch(port, "/robots.txt")
    check(status == 200 and "User-agent" in body, "robots.txt not served")
    for page in (1, pages):
        path = f"/bbs/board.php?bo_table={table}" + (f"&page={page}" if page > 1 else "")
        status, _, body = fetch(port, path)
        check(status == 200, f"{path}: HTTP {status}")
        listing = gnuboard5.parse_list(body, base + path, today=date.today())
        rows = board.list_page(page)
        want = [str(p.wr_id) for p in rows.notices + rows.rows]
        got = [r.post_id for r in listing.rows]
        check(got == want, f"{path}: wr_ids {got[:5]}... expected {want[:5]}...")
        check(listing.total == board.total, f"{path}: Total {listing.total} != {board.total}")
        check(listing.last_page == pages, f"{path}: last page {listing.last_page} != {pages}")
    readable = next(p for p in reversed(live) if not p.secret)
    secret = next((p for p in live if p.secret), None)
    gone = max(p.wr_id for p in board.posts(include_deleted=True)) + 1
    for post_id, expect in [(readable.wr_id, it.Post), (gone, it.PostNotFound)] + (
        [(secret.wr_id, it.SecretPost)] if secret else []
    ):
        path = f"/bbs/board.php?bo_table={table}&wr_id={post_id}"
        status, location, body = fetch(port, path)
        outcome = gnuboard5.parse_view(body, base + path, status=status, location=location)
        check(isinstance(outcome, expect), f"{path}: {type(outcome).__name__} (HTTP {status})")
    check(views + len([p for p in live if p.secret]) == len(live), "view pages + secret != live")


def crawl(kind: str, config: Path, log: Path, concurrency: int, db: str | None) -> Run:
    settings = {
        "ARCHIVE_ENABLED": str(db is not None),
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
        "CONCURRENT_REQUESTS": str(concurrency),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency),
        "LOG_LEVEL": "INFO",
        "LOG_FILE": str(log),
    }
    args = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "board",
        "-a",
        f"board={BOARD}",
        "-a",
        "mode=full",
    ]
    for key, value in settings.items():
        args += ["-s", f"{key}={value}"]
    # its own session: Ctrl-C reaches the benchmark only, which stops the crawl itself
    done = run_measured(args, crawl_env(config, db), start_new_session=True)
    proc_code = done.exit_code
    log_text = log.read_text("utf-8", "replace") if log.exists() else ""
    if proc_code != 0:
        raise BenchError(f"{kind} crawl exited with {proc_code}; see {log}")
    dump = log_text.rpartition("Dumping Scrapy stats:")[2]
    stats = {k: float(v) for k, v in _STAT.findall(dump)}
    errors = [
        k
        for k in stats
        if ("error" in k.lower() or "exception" in k or k in FILE_FAILURES) and stats[k]
    ]
    if "elapsed_time_seconds" not in stats or errors or "'finish_reason': 'finished'" not in dump:
        raise BenchError(f"{kind} crawl did not finish cleanly ({errors or 'no stats'}); see {log}")
    parsed = RunStats.of(stats).total((Stat.POSTS, Stat.SECRET_POSTS))
    return Run(
        kind,
        archived_posts(db) if db else parsed,
        int(stats.get("downloader/response_count", 0)),
        stats["elapsed_time_seconds"],
        done.seconds,
        done.cpu_seconds,
        done.peak_rss / 1024 / 1024,
    )


def archived_posts(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            status = conn.scalar(text("SELECT status FROM crawl_runs ORDER BY id DESC LIMIT 1"))
            if status != "succeeded":
                raise BenchError(f"{url}: crawl run status {status!r}")
            query = "SELECT count(*) FROM posts JOIN boards ON boards.id = posts.board_id "
            query += "WHERE boards.name = :n AND posts.state != 'deleted'"
            return int(conn.scalar(text(query), {"n": BOARD}) or 0)
    finally:
        engine.dispose()


def fresh_sqlite(tmp: Path, n: int) -> str:
    url = f"sqlite:///{tmp / f'archive-{n}.sqlite3'}"
    init_schema(url)
    return url


def report(runs: list[Run], repeat: int) -> str:
    rows = []
    for kind in dict.fromkeys(r.kind for r in runs):
        rs = [r for r in runs if r.kind == kind]
        med = [statistics.median(getattr(r, f) for r in rs) for f in ("seconds", "wall", "cpu")]
        rows.append((kind, rs[0].posts, rs[0].pages, *med, max(r.rss_mb for r in rs)))
    bare = rows[0][1] / rows[0][3]
    head = f"{'run':<10}{'posts':>7}{'pages':>7}{'seconds':>9}{'posts/s':>9}{'ratio':>7}"
    head += f"{'wall s':>9}{'wall p/s':>10}{'CPU s':>8}{'peak RSS':>10}"
    lines = [head, "-" * len(head)]
    for kind, posts, pages, secs, wall, cpu, rss in rows:
        rate = posts / secs
        lines.append(
            f"{kind:<10}{posts:>7}{pages:>7}{secs:>9.1f}{rate:>9.1f}{rate / bare:>7.2f}"
            f"{wall:>9.1f}{posts / wall:>10.1f}{cpu:>8.1f}{rss:>7.0f} MB"
        )
    if repeat > 1:
        lines.append(f"(medians of {repeat} runs each; peak RSS: the largest)")
    for kind, posts, _, secs, *_ in rows[1:]:
        ratio = posts / secs / bare
        lines.append(f"goal {kind}/bare >= {GOAL}: {'met' if ratio >= GOAL else 'NOT met'}")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--posts", type=int, default=10_000, help="posts to generate (10000)")
    p.add_argument("--seed", type=int, default=1, help="generator seed (1)")
    p.add_argument("--repeat", type=int, default=1, help="runs of each kind; medians reported")
    p.add_argument("--concurrency", type=int, default=16, help="requests in flight (16)")
    p.add_argument("--skip-postgres", action="store_true", help="bare and SQLite runs only")
    p.add_argument(
        "--postgres",
        default=os.environ.get(
            "BOARD_ARCHIVE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL URL allowed to create databases (throwaway ones are made and dropped)",
    )
    p.add_argument("--nginx", help="the nginx binary (default: nginx on PATH or /usr/sbin)")
    p.add_argument("--keep", action="store_true", help="keep the temp dir (site, logs, SQLite)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.posts < 20 or args.repeat < 1 or not 1 <= args.concurrency <= 32:
        print("--posts must be >= 20, --repeat >= 1, --concurrency 1-32", file=sys.stderr)
        return 2
    binary = args.nginx or shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if not binary or not os.access(binary, os.X_OK):
        print(
            "nginx is not installed; the benchmark needs it to serve the pre-rendered board.\n"
            "Install it with:  apt-get install -y nginx   (or pass --nginx PATH)",
            file=sys.stderr,
        )
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
    tmp.chmod(0o755)  # nginx workers run as nobody when we are root
    nginx: subprocess.Popen[bytes] | None = None
    pg_dbs: list[str] = []
    failed = True
    try:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        t0 = time.perf_counter()
        board = generate_board(args.posts, seed=args.seed)
        site = prerender(board, tmp / "site", base)
        logo = tmp / "site" / LOGO_PATH.lstrip("/")
        logo.parent.mkdir(parents=True, exist_ok=True)
        logo.write_bytes(LOGO_PNG)
        print(
            f"board: {args.posts} posts generated, {board.total} live ({len(site.secret_ids)} "
            f"secret), {site.list_pages} list pages; pre-rendered in "
            f"{time.perf_counter() - t0:.1f} s to {tmp}"
        )
        nginx = start_nginx(binary, tmp, tmp / "site", port)
        verify_site(port, board, base, site.list_pages, site.view_pages)
        print(f"nginx serving {base}: page 1, last page, view, secret, not-found checked")
        config = tmp / "boards.toml"
        config.write_text(  # max_file_size = 100: the logo only (see the module notes)
            f'[archive]\nblob_dir = "{tmp / "blobs"}"\n\n'
            f'[boards.{BOARD}]\nurl = "{base}/bbs/board.php?bo_table={board.bo_table}"\n'
            f"delay = 0\nconcurrency = {args.concurrency}\nmax_file_size = 100\n",
            encoding="utf-8",
        )
        runs: list[Run] = []
        for n in range(1, args.repeat + 1):
            for kind in ("bare", "sqlite", "postgres")[: 2 if args.skip_postgres else 3]:
                db = None  # each database is made just before its run
                if kind == "sqlite":
                    db = fresh_sqlite(tmp, n)
                elif kind == "postgres":
                    pg_dbs.append(f"bench_throughput_{os.getpid()}_{n}")
                    db = create_pg(args.postgres, pg_dbs[-1])
                run = crawl(kind, config, tmp / f"{kind}-{n}.log", args.concurrency, db)
                if run.posts != board.total:
                    raise BenchError(f"{kind}: {run.posts} posts, the board has {board.total}")
                runs.append(run)
                print(
                    f"  [{n}/{args.repeat}] {kind:<9}{run.seconds:7.1f} s {run.rate:7.1f} posts/s"
                )
            for name in pg_dbs:
                drop_pg(args.postgres, name)
            pg_dbs.clear()
        print()
        print(report(runs, args.repeat))
        failed = False
        return 0
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if nginx is not None:
            stop(nginx, signal.SIGQUIT)
        for name in pg_dbs:
            try:
                drop_pg(args.postgres, name)
            except Exception as exc:
                print(f"could not drop database {name}: {exc}", file=sys.stderr)
        if args.keep:
            print(f"kept {tmp}")
        elif failed:  # keep the logs, not the 300 MB site
            shutil.rmtree(tmp / "site", ignore_errors=True)
            print(f"logs kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
