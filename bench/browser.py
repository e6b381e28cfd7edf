"""Memory of browser crawls: a ``render = "browser"`` crawl keeps its peak memory bounded.

    .venv/bin/python bench/browser.py [--posts 2000] [--concurrency 8] [--seed 7]

Serves ``generate_board(--posts)`` with ``DemoServer(js_list=True)`` (its list pages built by
JavaScript from ``/bbs/list.json``) and runs two full crawls, each into a fresh SQLite database
in a temp dir:

1. ``render = "browser"``: every list page through headless Chromium, view pages plain;
2. for reference, the same board with its list served as HTML (``js_list`` off), plain HTTP.

While a crawl runs, its process tree (the Scrapy process, Playwright's driver, Chromium's
processes) is sampled from ``/proc`` every 0.2 s: the sum of PSS (proportional set size, so
pages Chromium's processes share are counted once), the sum of RSS, and the number of
processes. Per crawl it prints the run's status and requests, the pages the browser opened,
seconds, the Scrapy process's own peak RSS (its ``VmHWM``: ``bench/_peak.py``), the tree's peak
PSS and RSS, the tree's peak PSS in each quarter of the run (quarters that keep growing would
mean memory grows with the pages rendered), and the most processes at once.

No goal is asserted (figures on a shared machine are noisy); exit 1 only when a crawl failed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# this tree's packages first (also when run from a copy of the tree)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.config import load_config
from archive.db import make_engine, upgrade
from bench._harness import Measured, crawl_env
from board_archive.crawl import crawl_command, latest_run
from board_archive.demoboard import DemoServer, generate_board

MB = 1024 * 1024


@dataclass
class Sample:
    at: float
    pss: int
    rss: int
    processes: int


@dataclass
class TreeSampler:
    """Samples the memory of a process and its descendants until stopped."""

    root: int
    interval: float = 0.2
    samples: list[Sample] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> TreeSampler:
        threading.Thread(target=self._run, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = tree(self.root)
            pss = sum(_kb(pid, "smaps_rollup", "Pss:") for pid in pids) * 1024
            rss = sum(_kb(pid, "status", "VmRSS:") for pid in pids) * 1024
            self.samples.append(Sample(time.monotonic(), pss, rss, len(pids)))
            self._stop.wait(self.interval)


def tree(root: int) -> list[int]:
    """``root`` and its descendants, from ``/proc/*/stat``."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _kb(pid: int, name: str, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


@dataclass
class Result:
    render: str
    exit: int
    status: str
    requests: int
    browser_pages: int
    seconds: float
    own_rss: int  # the Scrapy process's peak RSS
    tree_pss: int
    tree_rss: int
    quarters: list[int]  # the tree's peak PSS in each quarter of the run
    processes: int


def crawl(tmp: Path, list_url: str, render: str, concurrency: int) -> Result:
    """One full crawl in a child process, sampled; its figures."""
    tmp.mkdir()
    db_url = f"sqlite:///{tmp / 'archive.sqlite3'}"
    engine = make_engine(db_url)
    upgrade(engine)
    toml = tmp / "boards.toml"
    toml.write_text(
        f'[boards.press]\nurl = "{list_url}"\ndelay = 0\nconcurrency = {concurrency}\n'
        f'render = "{render}"\n',
        encoding="utf-8",
    )
    cfg = load_config(toml, env={"DATABASE_URL": db_url})
    env = crawl_env(toml, db_url)
    args = crawl_command(cfg.board("press"), False, "full", {"LOG_LEVEL": "WARNING"})
    child = Measured(args, env)
    t = child.started
    sampler = TreeSampler(child.pid).start()
    try:
        done = child.wait()
    finally:
        sampler.stop()
    seconds = done.seconds
    run = latest_run(engine, "press")
    engine.dispose()
    samples = sampler.samples or [Sample(t, 0, 0, 0)]
    quarters = [0, 0, 0, 0]
    for s in samples:
        k = min(int((s.at - t) / max(seconds, 1e-9) * 4), 3)
        quarters[k] = max(quarters[k], s.pss)
    stats: dict[str, Any] = (run.stats if run is not None else None) or {}
    return Result(
        render=render,
        exit=done.exit_code,
        status=run.status.value if run is not None else "no run",
        requests=int(stats.get("downloader/request_count", 0)),
        browser_pages=int(stats.get("playwright/page_count", 0)),
        seconds=seconds,
        own_rss=done.peak_rss,
        tree_pss=max(s.pss for s in samples),
        tree_rss=max(s.rss for s in samples),
        quarters=quarters,
        processes=max(s.processes for s in samples),
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--posts", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    board = generate_board(args.posts, seed=args.seed)
    results = []
    with (
        tempfile.TemporaryDirectory(prefix="ba_bench_browser_") as tmp,
        DemoServer(board, js_list=True, count_views=False) as srv,
    ):
        pages = board.total_pages(srv.page_rows)
        print(f"board: {board.total} posts, {pages} list pages; concurrency {args.concurrency}")
        results.append(crawl(Path(tmp, "browser"), srv.list_url, "browser", args.concurrency))
        srv.js_list = False
        results.append(crawl(Path(tmp, "http"), srv.list_url, "http", args.concurrency))
    print(
        f"\n{'render':<8} {'status':<9} {'requests':>8} {'browser pages':>13} {'seconds':>7} "
        f"{'own RSS':>8} {'tree PSS':>8} {'tree RSS':>8} {'procs':>5}  tree PSS per quarter"
    )
    for r in results:
        quarters = " ".join(f"{q / MB:.0f}" for q in r.quarters)
        print(
            f"{r.render:<8} {r.status:<9} {r.requests:>8} {r.browser_pages:>13} "
            f"{r.seconds:>7.1f} {r.own_rss / MB:>6.0f}MB {r.tree_pss / MB:>6.0f}MB "
            f"{r.tree_rss / MB:>6.0f}MB {r.processes:>5}  {quarters} MB"
        )
    return 0 if all(r.exit == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
