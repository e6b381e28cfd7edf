"""The cross-board change report (``board-archive changes``, the UI's changes page) on the real
databases: posts of one batch (the same time) are listed in the board's id order, numerically."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from archive.reports import changes_since
from tests.archive.test_store import T0, make_post, run


def test_posts_of_one_time_are_in_numeric_id_order(engine: Engine) -> None:
    ids = ["9", "79", "78", "5", "49", "100", "10"]
    run(engine, [make_post(i) for i in ids])
    with Session(engine) as s:
        listed = [c.post_id for c in changes_since(s, T0 - timedelta(days=1))]
    assert listed == ["100", "79", "78", "49", "10", "9", "5"]  # newest first, as ids grow
