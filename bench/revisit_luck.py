"""How much of a seed's revisit figure is the luck of the exploration sweep's order (issue 18).

    .venv/bin/python bench/revisit_luck.py [--seed 1] [--process issue3] [--orders 20]
        [--variant young_age=14,budget=1020 ...]

After a full crawl every archived post has the same last check, so the policy's exploration
sweep (``archive.revisit``: the posts unchecked for longest, newest first among equals) walks
the board from its newest post down: an old post edited again and again ("hot") is found on
the night the sweep reaches its id, early for a high id, two weeks late for a low one. This
replays ``bench/revisit.py --sim-only``'s simulated policy on the seed's edits with the ties of
that order broken at random instead, ``--orders`` times per variant (the policy's defaults
first, then each ``--variant``, as ``bench/revisit.py`` reads them: RevisitPolicy fields and
``budget``), and prints for each the catches within 24 h as a share of a nightly full crawl's:
mean, least and most over the orders, how many orders reach 95%, the old and hot posts' mean
catches, and the requests a night as a share of a full crawl. The same seed with the usual
order is ``bench/revisit.py --sim-only``'s figure. Only the simulation, a few seconds an order.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from unittest import mock

# this tree's packages first (also when run from a copy of the tree), before the editable install
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _revisit_sim import DAY, ROWS, START, World, simulate
from revisit import caught, parse_process, parse_variant

import archive.revisit
from archive.revisit import RevisitPolicy


def _in_order(rank: dict[str, int]) -> Callable[[str], tuple[int, int]]:
    """The sweep's tie order: ``rank``'s instead of the newest first."""
    return lambda key: (0, rank[key])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--posts", type=int, default=10_000)
    ap.add_argument("--nights", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--process", default="issue3", help="as bench/revisit.py's (default issue3)")
    ap.add_argument("--orders", type=int, default=20, help="random sweep orders per variant")
    ap.add_argument("--variant", action="append", default=[], help="as bench/revisit.py's")
    args = ap.parse_args(argv)
    budget = int(args.posts * 0.09)
    world = World(args.posts, args.seed, parse_process(args.process))
    nights = [START + n * DAY for n in range(args.nights + 2)]
    for night in range(2, len(nights)):
        world.play_day(nights[night - 1], nights[night])
    full_requests = 1 + -(-len(world.initial) // ROWS) + len(world.initial)
    full = simulate(world, nights, "full", budget, RevisitPolicy(), full_requests)
    reference = caught(full, world.edits)[0]
    print(f"seed {args.seed}, process {args.process!r}: a nightly full crawl catches {reference}")
    ids = sorted(str(i) for i in set(world.initial) | set(world.added))
    for text in ["", *args.variant]:
        _, policy, allowed = parse_variant(text, budget)
        shares, old, hot, cost = [], [], [], []
        for order in range(args.orders):
            rank = {key: n for n, key in enumerate(random.Random(order).sample(ids, len(ids)))}
            with mock.patch.object(archive.revisit, "_descending", _in_order(rank)):
                res = simulate(world, nights, "policy", allowed, policy, full_requests)
            shares.append(100 * caught(res, world.edits)[0] / reference)
            old.append(caught(res, world.edits, "old")[0])
            hot.append(caught(res, world.edits, "hot")[0])
            cost.append(100 * statistics.mean(res.requests) / full_requests)
        print(
            f"{text or 'defaults':<44} budget {allowed}: mean {statistics.mean(shares):.1f}% "
            f"(least {min(shares):.1f}, most {max(shares):.1f}), >= 95% in "
            f"{sum(s >= 95 for s in shares)}/{args.orders}; old {statistics.mean(old):.1f}, "
            f"hot {statistics.mean(hot):.1f} caught; {statistics.mean(cost):.1f}% of a full "
            "crawl's requests",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
