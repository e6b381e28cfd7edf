"""A fleet of workers through the real scheduler: 1 worker against 3, and 3 with one killed
(issue 14, the fleet part of its benchmark).

    .venv/bin/python bench/fleet_workers.py [--boards 60] [--posts 20] [--delay 1.0]
        [--concurrency 5] [--database-url postgresql://postgres@127.0.0.1:5432/postgres]
        [--broker amqp://guest:guest@127.0.0.1:5672//] [--only 1,3,kill]

``--boards`` demo boards of ``--posts`` posts, each on its own loopback address (its own
site), served by a few child processes that log when each request reached each site. Three
scenarios, each on a fresh PostgreSQL database and a fresh RabbitMQ queue: ``board-archive
schedule --fleet`` (the real scheduler, its boards' full run on a cron that falls due at the
next whole minute, no jitter) enqueues every board's full run, and 1 or 3 ``board-archive
worker --concurrency C`` processes (separate processes, as separate machines would be) crawl
them at ``--delay`` seconds between requests to a site; the sites are the limit (C boards at
once per worker, each at the pace of its delay), not the CPU. In the third, one of 3 workers is
killed with SIGKILL once a third of the boards are done.

Reports per scenario: seconds from the cron's time until the last run ended, boards per hour,
requests per second, the CPU seconds (sampled from ``/proc``, every process that was in the
tree) and peak RSS of the workers' trees and the scheduler, politeness (the gaps
between requests to one site, from the sites' own logs); the throughput ratio of 3 workers to 1
(goal >= 2.5x); and for the kill: which boards the killed worker was crawling, which worker
re-ran each, and the archive's checks (every run ended, every live post archived, no duplicate
version, no false deletion, no lock left). A failed check: exit 1.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

# this tree's packages first (also when run from a copy of the tree)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kombu import Connection

from archive.db import make_engine
from bench._fleet_common import (
    ArchiveCheck,
    RunRow,
    Sites,
    check_archive,
    cron_at,
    politeness,
    runs_of,
    span,
    wait_until_done,
    write_config,
)
from bench._harness import ROOT, BenchError, create_pg, drop_pg
from bench._process_tree import MB, TreeSampler

START = re.compile(r"start: board=(\S+) mode=(\S+)")
END = re.compile(r"end: board=(\S+) mode=(\S+) run=(\d+) status=(\S+)")


@dataclass
class Outcome:
    name: str
    workers: int
    boards: int
    seconds: float
    requests: int
    cpu: float
    peak: int
    notes: list[str]
    check: ArchiveCheck


def cli(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "board_archive.cli", *args],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def cpu_of(proc: subprocess.Popen[bytes], timeout: float = 120) -> float:
    """Wait for ``proc``; its CPU seconds and its reaped children's (``wait4``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        except ChildProcessError:  # reaped already (it ended by itself)
            return 0.0
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return float(usage.ru_utime + usage.ru_stime)
        time.sleep(0.2)
    proc.kill()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return float(usage.ru_utime + usage.ru_stime)


def boards_of(log: Path) -> tuple[set[str], set[str], dict[str, str]]:
    """From a worker's log: boards started, boards ended, and each ended board's status."""
    text = log.read_text(encoding="utf-8", errors="replace")
    started = {m.group(1) for m in START.finditer(text)}
    ended = {m.group(1): m.group(4) for m in END.finditer(text)}
    return started, set(ended), ended


def scenario(
    label: str, workers: int, kill: bool, sites: Sites, opts: argparse.Namespace
) -> Outcome:
    names = [s.name for s in sites.sites]
    with tempfile.TemporaryDirectory(prefix=f"bench-fleet-{label}-") as tmp:
        folder = Path(tmp)
        db = f"ba_fleet_{label}_{os.getpid()}"
        url = create_pg(opts.database_url, db)
        queue = f"ba_bench_{uuid.uuid4().hex[:10]}"
        engine = make_engine(url)
        procs: list[subprocess.Popen[bytes]] = []
        try:
            cron, fire = cron_at()
            config = write_config(
                folder / "boards.toml",
                sites.sites,
                delay=opts.delay,
                full_schedule=cron,
                extra=f'[fleet]\nbroker_url = "{opts.broker}"\nqueue = "{queue}"\n',
            )
            env = {k: v for k, v in os.environ.items() if k != "BOARD_ARCHIVE_BROKER_URL"}
            env["DATABASE_URL"] = url
            logs = [folder / f"worker{w}.log" for w in range(workers)]
            for w in range(workers):
                args = ["worker", "-c", str(config), "--concurrency", str(opts.concurrency)]
                procs.append(cli(args, env, logs[w]))
            sampler = TreeSampler([p.pid for p in procs]).start()
            sched = cli(["schedule", "--fleet", "-c", str(config)], env, folder / "sched.log")
            sampler.roots.append(sched.pid)
            print(
                f"  {label}: {workers} worker(s), the full runs fall due at {fire:%H:%M:%S} UTC",
                file=sys.stderr,
                flush=True,
            )
            notes: list[str] = []
            killed: list[int] = []

            def maybe_kill(rows: object) -> None:
                if not kill or killed:
                    return
                assert isinstance(rows, list)
                done = {r.board for r in rows if r.status == "succeeded"}
                if len(done) >= len(names) // 3:
                    victim = procs[0]
                    victim.kill()  # SIGKILL: no goodbye to the broker
                    killed.append(victim.pid)
                    notes.append(f"worker 0 (pid {victim.pid}) SIGKILLed after {len(done)} boards")

            try:
                rows = wait_until_done(
                    engine, names, "full", timeout=opts.timeout, on_poll=maybe_kill
                )
            finally:
                sampler.stop()
                sched.send_signal(signal.SIGTERM)
                cpu_of(sched)
            for p in procs:
                if p.poll() is None or p.pid not in killed:
                    p.send_signal(signal.SIGTERM)
                cpu_of(p)
            # sampled from /proc: a worker's crawl processes are not all reaped into its own
            # rusage (its pool's children end after it), nor is a killed worker's tree
            cpu = sampler.cpu_seconds
            seconds = span(rows, fire)
            times = sites.request_times()
            polite = politeness(times, opts.delay, fire.timestamp(), time.time())
            notes.append(polite.line(opts.delay))
            if polite.worst:
                notes.append("closest: " + ", ".join(f"{h} {g:.3f} s" for h, g in polite.worst))
            check = check_archive(engine, sites.sites)
            if kill:
                notes += kill_report(logs, runs_of(engine, "full"))
            requests = sum(r.requests for r in rows)
            return Outcome(
                label, workers, len(names), seconds, requests, cpu, sampler.peak_sum, notes, check
            )
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
                    p.wait()
            if opts.keep_logs:
                kept = Path(opts.keep_logs) / label
                kept.mkdir(parents=True, exist_ok=True)
                for log in folder.glob("*.log"):
                    shutil.copy(log, kept / log.name)
            engine.dispose()
            drop_pg(opts.database_url, db)
            with Connection(opts.broker) as conn:
                conn.SimpleQueue(queue).queue.delete()


def kill_report(logs: list[Path], rows: list[RunRow]) -> list[str]:
    """Which boards the killed worker (``logs[0]``) left, and who ran them again."""
    started, ended, _ = boards_of(logs[0])
    left = sorted(started - ended)
    lines = [f"the killed worker had {len(left)} board(s) running: {', '.join(left) or '-'}"]
    by_board: dict[str, list[str]] = {}
    for r in rows:
        by_board.setdefault(r.board, []).append(f"{r.run_id}:{r.status}")
    bad = []
    for board in left:
        rerun_by = []
        for w, log in enumerate(logs[1:], start=1):
            _, _, statuses = boards_of(log)
            if statuses.get(board) == "succeeded":
                rerun_by.append(f"worker {w}")
        lines.append(f"  {board}: runs {by_board.get(board)}; re-run by {rerun_by or 'NONE'}")
        if not rerun_by:
            bad.append(board)
    if bad or not left:
        lines.append(f"KILL CHECK FAILED: not re-run by another worker: {bad or 'nothing left'}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--boards", type=int, default=60)
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--delay", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, default=5, help="boards at once per worker")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--broker", default="amqp://guest:guest@127.0.0.1:5672//")
    parser.add_argument("--only", default="1,3,kill", help="scenarios: 1, 3, kill")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per scenario")
    parser.add_argument("--keep-logs", help="a folder to copy the scheduler's and workers' logs to")
    opts = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # clean up (sites, databases) first
    wanted = opts.only.split(",")
    started = time.monotonic()
    out: list[Outcome] = []
    failed = False
    with Sites(opts.boards, opts.posts) as sites:
        live = sum(len(s.live) for s in sites.sites)
        plan = [("1", 1, False), ("3", 3, False), ("kill", 3, True)]
        for label, workers, kill in plan:
            if label not in wanted:
                continue
            try:
                out.append(scenario(label, workers, kill, sites, opts))
            except BenchError as exc:
                print(f"{label}: check failed: {exc}", file=sys.stderr)
                failed = True
    print(
        f"{opts.boards} boards of {opts.posts} posts ({live} live), full runs, delay "
        f"{opts.delay} s, worker --concurrency {opts.concurrency}, PostgreSQL, RabbitMQ; "
        f"demo sites in {sites.processes} processes ({sites.cpu_seconds:.0f} CPU s)"
    )
    print("scenario  workers  wall s  boards/h  requests  req/s  CPU s  peak tree RSS MB")
    for o in out:
        print(
            f"{o.name:<8}  {o.workers:>7}  {o.seconds:>6.1f}  {o.boards / o.seconds * 3600:>8.0f}"
            f"  {o.requests:>8}  {o.requests / o.seconds:>5.1f}  {o.cpu:>5.1f}"
            f"  {o.peak / MB:>16.0f}"
        )
        for note in o.notes:
            print(f"    {note}")
        print(f"    {o.check.line()}")
        failed = failed or not o.check.ok or any("FAILED" in n for n in o.notes)
    rates = {o.name: o.boards / o.seconds for o in out}
    if "1" in rates and "3" in rates:
        ratio = rates["3"] / rates["1"]
        print(f"3 workers / 1 worker throughput: {ratio:.2f}x (goal >= 2.5x)")
    print(f"took {time.monotonic() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
