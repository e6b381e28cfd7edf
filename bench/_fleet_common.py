"""What ``bench/fleet_schedule.py`` and ``bench/fleet_workers.py`` share: many demo sites served
from a few child processes, each site logging when each request reached it (politeness is
checked on those times); the configuration of many boards
with a cron that falls due a minute ahead; waiting for the runs in the database; the archive's
checks (every run ended, every live post archived, no duplicate version, no false deletion).
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from multiprocessing.connection import Connection
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from archive.models import Board, BoardLock, CrawlRun, Post, PostState, PostVersion
from bench._harness import BenchError
from bench._nightly import Changes, change_board
from board_archive.demoboard import DemoServer, generate_board
from board_archive.demoboard.sessions import RequestCounter

NEVER = "0 0 1 1 *"  # a cron that does not fall due tonight (and no catch-up looks back to it)


def host_of(i: int) -> str:
    """Board ``i``'s own loopback address, 127.0.10.1 upwards: its own site."""
    return f"127.0.{10 + i // 200}.{1 + i % 200}"


class TimedCounter(RequestCounter):
    """The demo server's request counter, also keeping when each request reached the site."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def add(self, kind: str, target: str, *, browser: bool = False) -> None:
        self.times.append(time.time())  # list.append is atomic: handler threads share it
        super().add(kind, target, browser=browser)


@dataclass(frozen=True)
class Site:
    name: str  # the board's name in boards.toml: b0, b1, ...
    host: str
    list_url: str
    live: frozenset[str]  # its live posts' ids


def _serve(conn: Connection, specs: list[tuple[int, str]], posts: int, seed0: int) -> None:
    servers: list[DemoServer] = []
    counters: dict[str, TimedCounter] = {}
    shown = []
    for i, host in specs:
        board = generate_board(posts, seed=seed0 + i)
        srv = DemoServer(board, host=host)
        srv.counter = counters[host] = TimedCounter()
        # a slower poll than DemoServer.start's (it only delays shutdown): hundreds of idle
        # servers polling 20 times a second would cost a core
        thread = threading.Thread(
            target=srv._httpd.serve_forever, kwargs={"poll_interval": 2.0}, daemon=True
        )
        thread.start()
        srv._thread = thread
        servers.append(srv)
        shown.append((i, host, srv.list_url, sorted(str(p) for p in board.live_ids())))
    conn.send(shown)
    while True:
        cmd = conn.recv()
        if cmd == "times":
            conn.send({host: list(c.times) for host, c in counters.items()})
        elif isinstance(cmd, tuple) and cmd[0] == "night":  # a day of editors and readers
            done = []
            for srv, (i, _host) in zip(servers, specs, strict=True):
                changes = change_board(f"b{i}", srv.board, cmd[1] * 100_000 + i)
                done.append((i, changes, sorted(str(p) for p in srv.board.live_ids())))
            conn.send(done)
        elif cmd == "stop":  # the servers end with this process (stopping each would wait
            # for its poll, seconds each)
            usage = resource.getrusage(resource.RUSAGE_SELF)
            conn.send(usage.ru_utime + usage.ru_stime)
            return


class Sites:
    """``n`` demo boards of ``posts`` posts (seeds ``seed0 + i``), board ``i`` on its own
    address ``host_of(i)``, served by ``processes`` child processes (one Python process would
    be the bottleneck: every page is rendered under its GIL)."""

    def __init__(self, n: int, posts: int, processes: int = 4, seed0: int = 100) -> None:
        self.n, self.posts, self.seed0 = n, posts, seed0
        self.processes = max(1, min(processes, n))
        self.sites: list[Site] = []
        self._children: list[tuple[mp.process.BaseProcess, Connection]] = []
        self.cpu_seconds = 0.0  # the demo servers' own CPU, known when they stop

    def __enter__(self) -> Sites:
        ctx = mp.get_context("fork")
        shares: list[list[tuple[int, str]]] = [[] for _ in range(self.processes)]
        for i in range(self.n):
            shares[i % self.processes].append((i, host_of(i)))
        for share in shares:
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=_serve, args=(theirs, share, self.posts, self.seed0))
            proc.daemon = True
            proc.start()
            self._children.append((proc, mine))
        found = {}
        for _, conn in self._children:
            for i, host, url, live in conn.recv():
                found[i] = Site(f"b{i}", host, url, frozenset(live))
        self.sites = [found[i] for i in range(self.n)]
        return self

    def request_times(self) -> dict[str, list[float]]:
        """Every site's request times (``time.time()``) so far, by host."""
        times: dict[str, list[float]] = {}
        for _, conn in self._children:
            conn.send("times")
            times.update(conn.recv())
        return times

    def nightly(self, seed: int) -> list[Changes]:
        """A day of every board's editors and readers (``bench/_nightly.py``); the live sets
        follow."""
        out: list[Changes] = []
        for _, conn in self._children:
            conn.send(("night", seed))
            for i, changes, live in conn.recv():
                self.sites[i] = replace(self.sites[i], live=frozenset(live))
                out.append(changes)
        return out

    def __exit__(self, *exc: object) -> None:
        for proc, conn in self._children:
            try:
                conn.send("stop")
                self.cpu_seconds += float(conn.recv())
            except (OSError, EOFError):
                pass
            proc.join(10)
            if proc.is_alive():
                proc.kill()
                proc.join()


@dataclass
class Politeness:
    requests: int = 0
    min_gap: float = float("inf")
    closer: int = 0  # gaps below the delay
    much_closer: int = 0  # gaps below 0.9 x the delay
    worst: list[tuple[str, float]] = field(default_factory=list)

    def line(self, delay: float) -> str:
        # the sites see a request when their handler thread reads it: under a busy CPU that is
        # late by up to some hundredths of a second, so a gap just under the delay is the
        # sites' lag; below 0.9x the delay it is counted as broken
        held = "held" if self.much_closer == 0 else "NOT held"
        return (
            f"politeness {held}: {self.requests} requests seen by the sites, smallest gap "
            f"between two requests to one site {self.min_gap:.3f} s (delay {delay} s); "
            f"{self.closer} gaps below the delay, {self.much_closer} below 0.9x the delay"
        )


def politeness(
    times: dict[str, list[float]], delay: float, since: float, until: float
) -> Politeness:
    """Gaps between consecutive requests to one site, within ``since``..``until``."""
    out = Politeness()
    for host, stamps in times.items():
        mine = sorted(t for t in stamps if since <= t <= until)
        out.requests += len(mine)
        for a, b in pairwise(mine):
            gap = b - a
            out.min_gap = min(out.min_gap, gap)
            if gap < delay:
                out.closer += 1
                out.worst.append((host, gap))
            if gap < 0.9 * delay:
                out.much_closer += 1
    out.worst = sorted(out.worst, key=lambda hg: hg[1])[:5]
    return out


# -- configuration and runs -------------------------------------------------------------------


def cron_at(margin: float = 25.0) -> tuple[str, datetime]:
    """A cron (UTC) of the first whole minute at least ``margin`` seconds ahead, and its time."""
    at = (datetime.now(UTC) + timedelta(seconds=margin)).replace(second=0, microsecond=0)
    at += timedelta(minutes=1)
    return f"{at.minute} {at.hour} {at.day} {at.month} *", at


def write_config(
    path: Path,
    sites: list[Site],
    *,
    delay: float,
    schedule: str = NEVER,
    full_schedule: str = NEVER,
    extra: str = "",
) -> Path:
    """boards.toml of ``sites``: no jitter, crons in UTC, ``extra`` (e.g. a ``[fleet]``
    table) added."""
    path.write_text(
        f'[archive]\ndata_dir = "{path.parent / "var"}"\n'
        f"{extra}"
        f'[defaults]\ndelay = {delay}\njitter = 0\ntimezone = "UTC"\n'
        f'schedule = "{schedule}"\nfull_schedule = "{full_schedule}"\n'
        + "".join(f'[boards.{s.name}]\nurl = "{s.list_url}"\n' for s in sites),
        encoding="utf-8",
    )
    return path


@dataclass(frozen=True)
class RunRow:
    board: str
    run_id: int
    mode: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    requests: int


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def runs_of(engine: Engine, mode: str | None = None) -> list[RunRow]:

    query = (
        select(
            Board.name,
            CrawlRun.id,
            CrawlRun.mode,
            CrawlRun.status,
            CrawlRun.started_at,
            CrawlRun.finished_at,
            CrawlRun.requests,
        )
        .join(CrawlRun.board)
        .order_by(CrawlRun.id)
    )
    with Session(engine) as s:
        rows = s.execute(query).all()
    out = [
        RunRow(
            name,
            rid,
            m.value,
            st.value,
            _utc(sa),
            _utc(fa) if fa else None,
            req or 0,
        )
        for name, rid, m, st, sa, fa, req in rows
    ]
    return [r for r in out if mode is None or r.mode == mode]


def wait_until_done(
    engine: Engine, names: list[str], mode: str, timeout: float, on_poll: object = None
) -> list[RunRow]:
    """Poll until every board has a succeeded run of ``mode`` and no run of any board is still
    running; the runs. ``BenchError`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    want = set(names)
    while True:
        rows = runs_of(engine)
        done = {r.board for r in rows if r.mode == mode and r.status == "succeeded"}
        ended_badly = {
            r.board for r in rows if r.mode == mode and r.status in ("failed",) and r.finished_at
        }
        running = [r for r in rows if r.status == "running"]
        if callable(on_poll):
            on_poll(rows)
        if want <= done and not running:
            return [r for r in rows if r.mode == mode]
        if time.monotonic() > deadline:
            raise BenchError(
                f"after {timeout:.0f} s: {len(want & done)} of {len(want)} boards succeeded, "
                f"{len(running)} runs running, failed: {sorted(ended_badly)[:10]}"
            )
        time.sleep(3)


@dataclass
class ArchiveCheck:
    runs: int = 0
    runs_not_ended: int = 0
    boards_incomplete: list[str] = field(default_factory=list)  # a live post not archived
    duplicate_versions: int = 0  # two consecutive versions of one post with one content hash
    false_deletions: int = 0  # a post marked deleted that is live on its board
    locks_left: int = 0
    versions: int = 0

    @property
    def ok(self) -> bool:
        return not (
            self.runs_not_ended
            or self.boards_incomplete
            or self.duplicate_versions
            or self.false_deletions
            or self.locks_left
        )

    def line(self) -> str:
        return (
            f"archive check {'passed' if self.ok else 'FAILED'}: {self.runs} runs, "
            f"{self.runs_not_ended} not ended; boards missing a live post: "
            f"{len(self.boards_incomplete)} {self.boards_incomplete[:5]}; duplicate versions "
            f"{self.duplicate_versions} (of {self.versions}); false deletions "
            f"{self.false_deletions}; board locks left {self.locks_left}"
        )


def check_archive(engine: Engine, sites: list[Site]) -> ArchiveCheck:

    out = ArchiveCheck()
    by_name = {s.name: s for s in sites}
    with Session(engine) as s:
        out.runs = s.scalar(select(func.count()).select_from(CrawlRun)) or 0
        out.runs_not_ended = (
            s.scalar(
                select(func.count()).select_from(CrawlRun).where(CrawlRun.finished_at.is_(None))
            )
            or 0
        )
        archived: dict[str, set[str]] = defaultdict(set)
        deleted: dict[str, set[str]] = defaultdict(set)
        rows = s.execute(select(Board.name, Post.source_id, Post.state).join(Post.board)).all()
        for name, source_id, state in rows:
            archived[name].add(source_id)
            if state == PostState.DELETED:
                deleted[name].add(source_id)
        for name, site in by_name.items():
            if not site.live <= archived[name]:
                out.boards_incomplete.append(name)
            out.false_deletions += len(deleted[name] & site.live)
        versions = s.execute(
            select(PostVersion.post_id, PostVersion.number, PostVersion.content_hash).order_by(
                PostVersion.post_id, PostVersion.number
            )
        ).all()
        out.versions = len(versions)
        for (p1, _, h1), (p2, _, h2) in pairwise(versions):
            if p1 == p2 and h1 == h2:
                out.duplicate_versions += 1
        out.locks_left = s.scalar(select(func.count()).select_from(BoardLock)) or 0
    return out


def span(rows: list[RunRow], since: datetime) -> float:
    """Seconds from ``since`` (the cron's time) until the last of ``rows`` ended."""
    ends = [r.finished_at for r in rows if r.finished_at is not None]
    if not ends:
        return 0.0
    return (max(ends) - since).total_seconds()
