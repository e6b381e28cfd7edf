"""The list pages' view-count signal (archive/revisit_signals.py)."""

from __future__ import annotations

import math

import pytest

from archive.revisit_signals import (
    AgeCurve,
    SignalModel,
    ViewHistory,
    age_bucket,
    extra_list_pages,
    jump,
    merge_checks,
    nb_tail,
    pooled,
    seen_again,
)


def test_nb_tail_is_poisson_for_a_large_shape_and_geometric_for_shape_one() -> None:
    poisson = 1 - math.exp(-0.5) * (1 + 0.5)  # P(X >= 2), mean 0.5
    assert nb_tail(2, 0.5, 1e6) == pytest.approx(poisson, rel=1e-4)
    q = 2.0 / 3.0  # shape 1, mean 2: P(X >= k) = (mean / (1 + mean)) ** k
    assert nb_tail(3, 2.0, 1.0) == pytest.approx(q**3)
    assert nb_tail(0, 5.0, 1.0) == 1.0
    assert nb_tail(1, 0.0, 1.0) == 0.0


def test_the_age_curve_pools_views_by_age_and_scales_between_buckets() -> None:
    curve = AgeCurve()
    assert curve.rate(100) is None  # nothing trusted yet
    for _ in range(40):  # 40 posts ~100 days old, one day each, 4 views in all
        curve.add(100, 0.1, 1.0)
    assert curve.rate(100) == pytest.approx(0.1)
    assert age_bucket(100) == age_bucket(110)
    older = curve.rate(400)  # two buckets older: about a quarter
    assert older == pytest.approx(0.1 / 4)
    curve.add(1, -3, 1.0)  # a count that fell (a deleted comment's points…) counts as none
    assert curve.views[age_bucket(1)] == 0.0


def _quiet_board() -> AgeCurve:
    """A board whose posts of every age were read 0.01 times a day."""
    curve = AgeCurve()
    for age in (0, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        curve.add(age, 50.0, 5000.0)
    return curve


def test_an_old_posts_overnight_view_is_a_jump_a_busy_posts_is_not() -> None:
    curve = _quiet_board()
    old = ViewHistory(views=120, at_days=10.0)
    j = jump(old, 121, 11.0, 300.0, curve)
    assert j is not None and j.gained == 1
    assert j.p < 0.02  # one view where 0.01 were expected
    busy = ViewHistory(views=120, at_days=10.0, seen_views=200.0, expected_views=2.0)
    b = jump(busy, 121, 11.0, 300.0, curve)  # it is read 100 times as often as its age's
    assert b is not None and b.p > 0.1
    assert jump(old, 121, 10.0, 300.0, curve) is None  # no time passed
    assert jump(old, 121, 11.0, 300.0, AgeCurve()) is None  # nothing to compare with


def test_the_crawlers_own_view_is_not_a_jump() -> None:
    curve = _quiet_board()
    fetched = ViewHistory(views=120, at_days=10.0, own=1)  # its page was fetched after reading
    j = jump(fetched, 121, 11.0, 300.0, curve)
    assert j is not None and j.gained == 0 and j.p == 1.0


def test_seen_again_learns_the_posts_own_factor() -> None:
    curve = _quiet_board()
    h = ViewHistory(views=10, at_days=0.0)
    for day in range(1, 31):  # read 5 times a day, where its age's posts are read 0.01
        h = seen_again(h, 10 + 5 * day, float(day), 300.0 + day, curve)
    assert h.views == 160 and h.at_days == 30.0
    assert h.seen_views == 150
    assert h.expected_views == pytest.approx(0.3, rel=0.3)
    j = jump(h, 166, 31.0, 331.0, curve)  # six views overnight: its usual
    assert j is not None and j.p > 0.05  # not a jump (alpha 0.01)


def test_pooled_reads_a_list_walks_rows() -> None:
    rows = [(ViewHistory(views=5, at_days=1.0), 5 + (i % 2), 2.0, 400.0) for i in range(40)]
    curve = pooled(rows)
    assert curve.rate(400) == pytest.approx(0.5)


def test_the_signal_is_tried_then_kept_where_jumps_find_changes() -> None:
    model = SignalModel(trials=10)
    assert model.worth() == 0.5  # learning: checked
    for k in range(20):  # 1 in 4 jump checks found a change
        model.add(0.005, changed=k % 4 == 0)
    for k in range(200):  # 1 in 100 of the other old posts' checks
        model.add(None, changed=k % 100 == 0, background=True)
    worth = model.worth(0.005)
    assert worth is not None and 0.2 < worth < 0.3


def test_a_board_whose_jumps_tell_nothing_falls_back_to_the_policy() -> None:
    model = SignalModel(trials=10)
    for k in range(40):  # as often as any old post: nothing
        model.add(0.005, changed=k % 20 == 0)
    for k in range(400):
        model.add(None, changed=k % 20 == 0, background=True)
    assert model.worth() is None
    assert merge_checks([("1", True, 0.1)], {"2": 0.001}, model, room=5) == ["1"]


def test_strong_jumps_are_judged_apart_once_tried() -> None:
    model = SignalModel(trials=10)
    for k in range(30):
        model.add(0.0001, changed=k % 2 == 0)  # strong: half found a change
        model.add(0.005, changed=False)  # weak: none
    for k in range(100):  # 2 in 100 of the other old posts' checks
        model.add(None, changed=k % 50 == 0, background=True)
    strong = model.worth(0.0001)
    assert strong is not None and strong > 0.4
    assert model.worth(0.005) is None


def test_merge_puts_scheduled_checks_then_jumps_then_exploration() -> None:
    model = SignalModel()  # learning: jumps are checked
    picks = [("10", False, 0.9), ("11", True, 0.05), ("12", True, 0.2)]
    jumps = {"20": 0.004, "21": 0.0001, "12": 0.001}
    assert merge_checks(picks, jumps, model, room=10) == ["12", "11", "21", "20", "10"]
    assert merge_checks(picks, jumps, model, room=3) == ["12", "11", "21"]
    assert merge_checks(picks, jumps, model, room=0) == []


def test_extra_list_pages_come_out_of_the_budget() -> None:
    assert extra_list_pages(900, 660, scheduled=200, jumps=30) == 660
    assert extra_list_pages(900, 1000, scheduled=100, jumps=30) == 675  # share 0.75
    assert extra_list_pages(900, 660, scheduled=850, jumps=30) == 20
    assert extra_list_pages(900, 660, scheduled=900, jumps=30) == 0


def test_a_jump_does_not_hide_in_a_small_pool_of_its_own() -> None:
    """Ten quiet posts of an age, one gains a view: the pool's rate without it is nil."""
    rows = [(ViewHistory(views=50, at_days=0.0), 50, 2.0, 30.0) for _ in range(9)]
    rows.append((ViewHistory(views=70, at_days=0.0), 71, 2.0, 30.0))
    curve = pooled(rows)
    assert curve.rate(29.0) == pytest.approx(1.0 / 20.0)  # the jump is in the pool
    j = jump(rows[-1][0], 71, 2.0, 30.0, curve)
    assert j is not None and j.gained == 1 and j.p < 1e-4


def test_the_model_is_stored_and_loaded() -> None:
    model = SignalModel()
    model.add(0.0001, changed=True)
    model.add(None, changed=False, background=True)
    stored = model.dump()
    assert stored["jump_checks"] == [1, 0]
    again = SignalModel.load(stored)
    assert again.dump() == stored
    assert SignalModel.load(None).dump() == SignalModel().dump()
