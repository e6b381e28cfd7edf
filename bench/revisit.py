"""Revisit policy benchmark: requests per night and silent edits caught over a simulated month.

    .venv/bin/python bench/revisit.py [--posts 10000] [--nights 30] [--budget B] [--seed 1]
        [--variant age_factor=0.02,growth=0.5,budget=900 ...] [--process old_per_day=3,...]
        [--sim-only] [--quick]

A ``SettableClock`` drives the demo board and ``$BOARD_ARCHIVE_FAKE_NOW`` the crawler, together.
Night 0 (02:30 Asia/Seoul) is a full crawl of a ``--posts`` demo board (real Scrapy child
process, DemoServer on 127.0.0.1, delay 0, concurrency 8, SQLite and blobs in a temp dir; no
downloads: ``max_file_size`` 100 bytes skips every attachment, so a full crawl's requests are
pages, plus the small body image the generated posts show, fetched once); night 1 an
incremental run with nothing changed: (a) its requests and time as a share of the full crawl's
(goal <= 2% of requests). Then, for ``--nights`` nights, the day between two runs is played
event by event (clock set to each event's time): 20 new posts and the seeded edit process of
``EditProcess``, printed at start, of the shape the issue gives (most edits within the first days
after posting, a few on old posts, some posts edited repeatedly). A new post is edited with
``p_first``, Exp(``first_mean_h``) after posting (within ``first_within_d`` days), and again with
``p_second``, Exp(``second_mean_h``) later; with ``p_repeat`` it is amended again and again
(``repeat_rate`` a day, Poisson, for ``repeat_days``); ``old_per_day`` (Poisson) edits hit posts
older than 30 days, uniformly; ``hot_posts`` old posts are edited ``hot_rate`` times a day each
(Poisson). ``--process`` changes any of them (the harsher process of earlier runs:
``--process old_per_day=3,hot_posts=4,p_repeat=0``). Edits change only the body (no date,
nothing on the list, as in GnuBoard) and write a marker ``(수정 NNNNN)`` replacing the last, so
a stored version shows which edit it holds. Kinds: pre-fetch (a new post edited before its
first crawl), early, second, repeat, old, hot. Views (issue 18): readers view each post at
``readers_median`` (log-normal over posts, ``readers_sigma``) times ``(1 + age /
readers_tau_d) ** -readers_decay`` a day, and the author at each edit (``author_views``); the
edits are drawn apart from the views, so ``--process issue3`` (no views at all) has the same
edits. The policy board's server counts views, the crawler's too, as GnuBoard does.

An edit at t is *caught within 24 h* when a version with its content was fetched in [t, t+24h];
an edit overwritten before any fetch saw it is missed by every strategy, so ``vs full`` gives
the catch as a share of what a nightly full crawl catches; ``<=7d`` and ``ever`` allow more.
An edit is *noticed within 24 h* when a version with its content or a later edit's was fetched
in [t, t+24h]: the archive recorded that the post changed, and holds its newest content, though
an edit overwritten within hours is lost to any crawler (a full crawl every night notices all).

``policy`` and ``never`` rows are **measured**: real crawls each night of two boards in one
database (``view_budget`` = ``--budget`` and 0), catches read from ``post_versions``. ``full``,
``round-robin`` (the next ``--budget`` posts in id order each night, plus new posts) and
``--variant`` rows (RevisitPolicy fields, timedeltas in days, and ``budget``) are **simulated**
with the crawler's fetch rules (walked list pages, new posts, ``make_plan``'s due order and
``ingest``'s check history, on ``archive.revisit.RevisitPolicy`` itself); the simulated default
policy + view signals (``bench/_revisit_views.py``: the crawler's list-row view signal,
``archive.revisit_signals``) and never are checked against the measured rows. ``full``
requests/night = the measured full crawl plus posts and list pages added since (``--sim-only``: no
crawls; 1 + list pages + posts, what a full crawl measures). ``--budget`` defaults to 9% of
``--posts`` (900 for 10,000; with new posts and list pages < 10% of a full crawl). Exit 1 when a
crawl fails. Wall times depend on the machine's load; request counts and catches do not. The
scripted board and the simulated strategies are in ``bench/_revisit_sim.py``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import fields, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

# this tree's packages first (also when run from a copy of the tree), before the editable install
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _revisit_sim import DAY, KINDS, ROWS, START, Edit, EditProcess, Result, World, simulate
from _revisit_views import simulate_signals
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.config import Config, load_config
from archive.db import make_engine, upgrade
from archive.models import Board as BoardRow
from archive.models import CrawlRun, Post, PostVersion
from archive.revisit import RevisitPolicy
from archive.runstats import RunStats, Stat
from board_archive.crawl import run_crawl
from board_archive.demoboard import DemoServer

MARK = re.compile(r"\(수정 (\d{5})\)")
ELAPSED = "elapsed_time_seconds"


def crawl(cfg: Config, engine: Engine, name: str, when: datetime, mode: str) -> CrawlRun:
    os.environ["BOARD_ARCHIVE_FAKE_NOW"] = when.isoformat()
    result = run_crawl(cfg, cfg.board(name), engine, mode=mode, log_level="WARNING")
    if not result.ok or result.run is None:
        raise SystemExit(f"crawl of {name} at {when} failed (exit {result.exit_code})")
    return result.run


def stat(run: CrawlRun, key: str) -> float:
    value = (run.stats or {}).get(key, 0)
    return float(value) if isinstance(value, int | float) else 0.0


def seen_in_archive(engine: Engine, name: str) -> dict[int, datetime]:
    """Edit marker -> the first fetch that stored a version with it."""
    seen: dict[int, datetime] = {}
    with Session(engine) as s:
        rows = s.execute(
            select(PostVersion.body_text, PostVersion.fetched_at)
            .join(Post, Post.id == PostVersion.post_id)
            .join(BoardRow, BoardRow.id == Post.board_id)
            .where(BoardRow.name == name)
        )
        for body, fetched in rows:
            if m := MARK.search(body):
                k = int(m.group(1))
                seen[k] = min(seen.get(k, fetched), fetched)
    return seen


def measure(
    w: World, nights: list[datetime], budget: int, concurrency: int
) -> tuple[dict[str, Result], list[tuple[CrawlRun, float]]]:
    """Real crawls of two boards (view_budget ``budget`` and 0) at every night; the policy
    board's full crawl and quiet night with their wall times."""
    measured = {n: Result(n, "measured") for n in ("policy", "never")}
    first: list[tuple[CrawlRun, float]] = []
    with (
        tempfile.TemporaryDirectory(prefix="bench-revisit-") as tmp,
        DemoServer(w.board) as server,  # counts views, the crawler's too, as GnuBoard
        DemoServer(w.board, count_views=False) as quiet,  # the never board's: counts none
    ):
        url = f"sqlite:///{Path(tmp) / 'archive.sqlite3'}"
        toml = Path(tmp) / "boards.toml"
        toml.write_text(  # max_file_size = 100: no downloads but the 70-byte logo, once
            f'[archive]\nblob_dir = "{Path(tmp) / "blobs"}"\n'
            f"[defaults]\ndelay = 0\nconcurrency = {concurrency}\nmax_file_size = 100\n"
            + "".join(
                f'[boards.{n}]\nurl = "{srv.list_url}"\nview_budget = {b}\n'
                for n, b, srv in (("policy", budget, server), ("never", 0, quiet))
            ),
            encoding="utf-8",
        )
        cfg = load_config(toml, env={"DATABASE_URL": url})
        engine = make_engine(url)
        upgrade(engine)
        for name in measured:
            for when, mode in ((nights[0], "full"), (nights[1], "incremental")):
                w.clock.set(when)  # the board's "today" is the crawler's
                t = time.monotonic()
                run = crawl(cfg, engine, name, when, mode)
                if name == "policy":
                    first.append((run, time.monotonic() - t))
        for night in range(2, len(nights)):
            w.play_day(nights[night - 1], nights[night])
            w.clock.set(nights[night])
            for name, res in measured.items():
                run = crawl(cfg, engine, name, nights[night], "incremental")
                res.requests.append(run.requests)
                res.views.append(RunStats.of(run.stats)[Stat.VIEWS_DUE] + run.new_posts)
            print(
                f"night {night - 1:>2}: {len(w.edits):>4} edits so far; requests: policy "
                f"{measured['policy'].requests[-1]}, never {measured['never'].requests[-1]}",
                flush=True,
            )
        for name, res in measured.items():
            res.seen = seen_in_archive(engine, name)
        engine.dispose()
    return measured, first


def parse_variant(text: str, budget: int) -> tuple[str, RevisitPolicy, int]:
    names = {f.name: f for f in fields(RevisitPolicy)}
    changes: dict[str, Any] = {}
    for item in filter(None, text.split(",")):
        key, _, value = item.partition("=")
        if key == "budget":
            budget = int(value)
        elif key in names:
            delta = isinstance(getattr(RevisitPolicy(), key), timedelta)
            changes[key] = timedelta(days=float(value)) if delta else float(value)
        else:
            raise SystemExit(f"--variant: unknown key {key!r} (RevisitPolicy fields or budget)")
    return f"policy {text}", replace(RevisitPolicy(), **changes), budget


ISSUE3 = "readers_median=0,author_views=0"  # issue 3's process: no view counts move


def parse_process(text: str) -> EditProcess:
    names = {f.name: f for f in fields(EditProcess)}
    changes: dict[str, Any] = {}
    for item in filter(None, text.replace("issue3", ISSUE3).split(",")):
        key, _, value = item.partition("=")
        if key not in names:
            raise SystemExit(f"--process: unknown key {key!r} (EditProcess fields)")
        changes[key] = type(getattr(EditProcess(), key))(value)
    return replace(EditProcess(), **changes)


def caught(
    res: Result,
    edits: list[Edit],
    kind: str | None = None,
    within: timedelta = DAY,
    noticed: bool = False,
) -> tuple[int, int]:
    """Edits whose content was archived within ``within``; ``noticed``: whose content or a later
    edit's of the same post was (the change was recorded, though its own content may have been
    overwritten before any fetch)."""
    by_post: dict[int, list[Edit]] = {}
    for e in edits:
        by_post.setdefault(e.wr_id, []).append(e)

    def seen(e: Edit) -> bool:
        shown = [x for x in by_post[e.wr_id] if x.k >= e.k] if noticed else [e]
        return any(x.k in res.seen and res.seen[x.k] - e.at <= within for x in shown)

    chosen = [e for e in edits if kind is None or e.kind == kind]
    return sum(map(seen, chosen)), len(chosen)


def pct(a: float, b: float) -> str:
    return f"{100 * a / b:.1f}%" if b else "-"


def report_quiet(first: list[tuple[CrawlRun, float]], posts: int) -> None:
    print(f"\n(a) a quiet night after the full crawl of {posts} posts (measured, policy board)")
    print(f"{'run':<12} {'requests':>9} {'views':>6} {'wall s':>8} {'scrapy s':>9}")
    for label, (run, wall) in zip(("full", "quiet night"), first, strict=True):
        print(
            f"{label:<12} {run.requests:>9} {run.posts_seen:>6} {wall:>8.1f} "
            f"{stat(run, ELAPSED):>9.1f}"
        )
    (f, f_wall), (q, q_wall) = first
    print(
        f"{'share':<12} {pct(q.requests, f.requests):>9} {'':>6} {pct(q_wall, f_wall):>8} "
        f"{pct(stat(q, ELAPSED), stat(f, ELAPSED)):>9}   (goal: <= 2% of requests)"
    )


def report(results: list[Result], edits: list[Edit], full: int) -> None:
    print(
        f"\n{'strategy':<34} {'rows':<9} {'req/night':>9} {'max':>6} {'of full':>8} {'edits':>6}"
        f" {'caught<=24h':>12} {'%':>6} {'vs full':>8} {'<=7d':>6} {'ever':>6}"
        f" {'noticed<=24h':>13} {'%':>6}"
    )
    nightly_full = next(caught(r, edits)[0] for r in results if r.name == "full")
    for r in results:
        mean = sum(r.requests) / len(r.requests)
        (ok, n), week = caught(r, edits), caught(r, edits, within=7 * DAY)[0]
        ever = caught(r, edits, within=len(r.requests) * DAY)[0]
        noticed = caught(r, edits, noticed=True)[0]
        print(
            f"{r.name:<34} {r.how:<9} {mean:>9.0f} {max(r.requests):>6} {pct(mean, full):>8} "
            f"{n:>6} {ok:>12} {pct(ok, n):>6} {pct(ok, nightly_full):>8} {pct(week, n):>6} "
            f"{pct(ever, n):>6} {noticed:>13} {pct(noticed, n):>6}"
        )
    counts = Counter(e.kind for e in edits)
    for label, noticed in (("caught", False), ("noticed", True)):
        print(f"\n{label} within 24 h, by kind of edit\n{'strategy':<34}", end="")
        print("".join(f" {f'{k} ({counts[k]})':>15}" for k in KINDS))
        for r in results:
            shares = (pct(*caught(r, edits, k, noticed=noticed)) for k in KINDS)
            print(f"{r.name:<34}" + "".join(f" {x:>15}" for x in shares))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--posts", type=int, default=10_000, help="posts on the demo board")
    ap.add_argument("--nights", type=int, default=30, help="simulated nights with changes")
    ap.add_argument("--budget", type=int, help="view_budget (default: 9%% of --posts)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--concurrency", type=int, default=8, help="crawler requests in flight")
    ap.add_argument(
        "--variant", action="append", default=[], help="e.g. age_factor=0.02,budget=600"
    )
    ap.add_argument(
        "--process", default="", help="EditProcess fields to change, e.g. old_per_day=3,hot_posts=8"
    )
    ap.add_argument("--sim-only", action="store_true", help="no crawls: simulated rows only")
    ap.add_argument("--quick", action="store_true", help="smoke run: 600 posts, 5 nights")
    args = ap.parse_args(argv)
    if args.quick:
        args.posts, args.nights = 600, 5
    budget = args.budget if args.budget is not None else int(args.posts * 0.09)
    variants = [parse_variant(v, budget) for v in args.variant]
    process = parse_process(args.process)
    print(f"edit process: {process}\nboard: {args.posts} posts, {args.nights} nights, ", end="")
    print(f"view_budget {budget}, seed {args.seed}, nights at 02:30 Asia/Seoul from {START:%F}")
    world = World(args.posts, args.seed, process)
    nights = [START + n * DAY for n in range(args.nights + 2)]
    measured: dict[str, Result] = {}
    if args.sim_only:
        for night in range(2, len(nights)):
            world.play_day(nights[night - 1], nights[night])
        full = 1 + -(-len(world.initial) // ROWS) + len(world.initial)  # robots, lists, posts
    else:
        measured, first = measure(world, nights, budget, args.concurrency)
        report_quiet(first, args.posts)
        full = first[0][0].requests
    kinds = ("full", "never", "round-robin", "policy")
    sims = [simulate(world, nights, k, budget, RevisitPolicy(), full) for k in kinds]
    sims[2].name = f"round-robin {budget}/night"
    sims[3].name = "policy (sim check)" if measured else "policy"
    signals, model = simulate_signals(world, nights, budget, RevisitPolicy())
    signals.name = "policy + view signals"
    sims.append(signals)
    for label, policy, b in variants:
        sims.append(simulate(world, nights, "policy", b, policy, full))
        sims[-1].name = label
    report([*measured.values(), *sims], world.edits, full)
    quiet = ", ".join(f"{r.name} {pct(r.quiet, full)}" for r in sims[3:])
    print(f"\nquiet night (simulated): {quiet}")
    print(f"view signals learnt: {model}")
    how = "estimated: 1 + list pages + posts" if args.sim_only else "measured"
    print(f"\nfull crawl ({how}): {full} requests; goal: >= 95% caught at <= 10% of it a night")
    print("caught: the edit's own content archived in 24 h; noticed: it or a later edit's")
    for real, sim in zip(measured.values(), (signals, sims[1]), strict=False):
        views = sum(a == b for a, b in zip(real.views, sim.views, strict=True))
        reqs = sum(a == b for a, b in zip(real.requests, sim.requests, strict=True))
        print(
            f"sim check {real.name}: views equal on {views}/{len(real.views)} nights, requests on "
            f"{reqs}; caught {caught(real, edits := world.edits)[0]} measured, "
            f"{caught(sim, edits)[0]} simulated"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
