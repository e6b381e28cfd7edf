"""Web UI latency on a big archive in PostgreSQL: the post, diff and search pages (and the API).

    .venv/bin/python bench/web.py [--posts 100000] [--versions 300000] [--samples 200] [--keep]

1. Creates a fresh database (``ba_bench_web_<pid>``) on ``--admin-url`` (default
   ``$BOARD_ARCHIVE_TEST_POSTGRES`` or ``postgresql://postgres@127.0.0.1:5432/postgres``),
   migrates it to head and fills it with COPY (``bench/web_archive.py``: 4 boards, Korean
   posts with skewed edit counts, attachments and body images with their files, deletions,
   runs), the search index by its triggers as in production. Then ``VACUUM ANALYZE``.
2. Serves the app with uvicorn in a child process (the read-only engine ``serve`` uses, and
   an empty blob store, so stored files are looked up but not found) and
   times sequential HTTP requests with httpx over keep-alive: after a warm-up of 20 requests per
   page kind, ``--samples`` requests per kind on random posts and terms (fixed seed).
3. Prints p50/p95/max per kind in ms and whether the post, diff and search pages stay under
   150 ms p95; drops the database unless ``--keep``. ``--reuse NAME`` times an existing database.

Exit 0 when the three pages meet the goal, 1 when one does not, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

# this tree's packages first (also when run from a copy of the tree)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx2 as httpx  # the dev extra (Starlette's test client uses it too)
import psycopg
from sqlalchemy.engine import make_url

from archive.config import normalise_database_url
from bench._harness import drop_pg, free_port, pg_admin
from bench.web_archive import BOARDS, build

GOAL_MS = 150.0


SERVER = """
import sys, tempfile, uvicorn
sys.path.insert(0, sys.argv[3])
from archive.web.app import create_app, read_only_engine
app = create_app(read_only_engine(sys.argv[1]), tempfile.mkdtemp(prefix="ba-bench-blobs-"))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


def _targets(url: str, rng: random.Random) -> dict[str, Callable[[], str]]:
    """A function per page kind giving the next path to fetch."""
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as conn:
        posts = conn.execute(
            "SELECT b.name, p.source_id, p.current_version FROM posts p "
            "JOIN boards b ON b.id = p.board_id"
        ).fetchall()
        counts = conn.execute(
            "SELECT word, n FROM (SELECT unnest(string_to_array(title, ' ')) AS word, count(*) n "
            "FROM post_search GROUP BY 1) w WHERE length(word) >= 2"
        ).fetchall()
    edited = [p for p in posts if p[2] > 1]
    by_freq = sorted(((n, w) for w, n in counts), reverse=True)
    common3 = [w for n, w in by_freq[:60] if len(w) >= 3]
    common2 = [w for n, w in by_freq[:80] if len(w) == 2]
    mid = [w for n, w in by_freq if 20 <= n <= 2000 and len(w) >= 3][:300]
    rare = [w for n, w in by_freq if n <= 3 and len(w) >= 3][:300]
    rare2 = [w for n, w in by_freq if 3 <= n <= 30 and len(w) == 2][:300]
    syllables = sorted({c for w in common2 for c in w})

    def post() -> str:
        b, s, _ = rng.choice(posts)
        return f"/boards/{b}/posts/{s}"

    def diff() -> str:
        b, s, _ = rng.choice(edited)
        return f"/boards/{b}/posts/{s}/diff"

    def diff_any() -> str:
        b, s, n = rng.choice(edited)
        return f"/boards/{b}/posts/{s}/diff?from=1&to={n}"

    def q(words: list[str]) -> Callable[[], str]:
        return lambda: "/search?q=" + rng.choice(words)

    kinds: dict[str, Callable[[], str]] = {
        "post": post,
        "diff (latest)": diff,
        "diff (v1→last)": diff_any,
        "search 3+ chars, common": q(common3),
        "search 3+ chars, in 20-2,000 titles": q(mid),
        "search 3+ chars, rare": q(rare),
        "search 2 chars, common": q(common2),
        "search 2 chars, in 3-30 titles": q(rare2),
        "search 1 char": q(syllables),
        "search two terms": lambda: "/search?q=" + rng.choice(common2) + "+" + rng.choice(mid),
        "board list, page 1": lambda: f"/boards/{rng.choice(BOARDS)}",
        "board list, deep page": lambda: f"/boards/{rng.choice(BOARDS)}?page={rng.randint(2, 400)}",
        "board list, filtered": lambda: f"/boards/{rng.choice(BOARDS)}?attachments=1&sort=changed",
        "boards overview": lambda: "/",
        "runs": lambda: "/runs",
        "api post": lambda: "/api" + post(),
        "api diff": lambda: "/api" + diff(),
        "api search": lambda: "/api/search?q=" + rng.choice(mid),
    }
    pools = {
        "search 3+ chars, common": common3,
        "search 3+ chars, in 20-2,000 titles": mid,
        "search 3+ chars, rare": rare,
        "search 2 chars, common": common2,
        "search 2 chars, in 3-30 titles": rare2,
        "search two terms": mid and common2,
        "api search": mid,
    }
    return {k: f for k, f in kinds.items() if pools.get(k, True)}


def measure(
    base: str, targets: dict[str, Callable[[], str]], samples: int
) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        for kind, next_path in targets.items():
            for _ in range(20):
                client.get(next_path()).raise_for_status()
            times = []
            for _ in range(samples):
                path = next_path()
                t0 = time.perf_counter()
                r = client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
                r.raise_for_status()
            out[kind] = times
            print(
                f"  {kind:36} p50 {statistics.median(times):7.1f}  "
                f"p95 {_p95(times):7.1f}  max {max(times):7.1f} ms",
                flush=True,
            )
    return out


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--admin-url",
        default=os.environ.get(
            "BOARD_ARCHIVE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--versions", type=int, default=300_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", metavar="NAME", help="time an existing database")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up (finally) when stopped
    if args.versions < args.posts:
        parser.error("--versions must be at least --posts")
    admin_url = normalise_database_url(args.admin_url)
    admin = make_url(admin_url)
    name = args.reuse or f"ba_bench_web_{os.getpid()}"
    url = admin.set(database=name).render_as_string(hide_password=False)
    if not args.reuse:
        pg_admin(admin_url, f'CREATE DATABASE "{name}"')
    server = None
    try:
        if not args.reuse:
            t0 = time.monotonic()
            print(f"building {name}", flush=True)
            build(url, args.posts, args.versions, args.seed)
            print(f"  built in {time.monotonic() - t0:.0f}s", flush=True)
        port = free_port()
        root = str(Path(__file__).resolve().parent.parent)
        server = subprocess.Popen([sys.executable, "-c", SERVER, url, str(port), root])
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                httpx.get(base + "/static/style.css", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        print(f"timing {args.samples} sequential requests per kind (after 20 warm-up)")
        results = measure(base, _targets(url, random.Random(args.seed)), args.samples)
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        if not (args.keep or args.reuse):
            drop_pg(admin_url, name)
    goal = {k: _p95(v) for k, v in results.items() if k.startswith(("post", "diff", "search"))}
    slow = {k: v for k, v in goal.items() if v >= GOAL_MS}
    print(
        f"goal: post, diff and search pages p95 < {GOAL_MS:.0f} ms: "
        + ("met" if not slow else "NOT met by " + ", ".join(sorted(slow)))
    )
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
