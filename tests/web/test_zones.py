"""Time zones in the UI and the API, on SQLite and PostgreSQL: a board's pages show its times in
its own zone (``boards.timezone``), pages across boards in the display zone (``[archive]
timezone``), and a ``since`` text means the same instant to the UI and to the CLI.

The seeded archive's ``press`` board is moved to UTC here as its next crawl would move it after
its config changed (``ensure_board``); ``notice`` stays in Asia/Seoul.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from archive import queries
from archive.localtime import parse_since, zone
from archive.store import ensure_board
from archive.web.app import create_app
from archive.web.params import since
from tests.crawl.test_end_to_end import cli
from tests.web.seed import NIGHT, PRESS, T0

UTC_ZONE = ZoneInfo("UTC")


@pytest.fixture
def utc_press(archive: Engine) -> Engine:
    """The seeded archive, press moved to UTC (as the crawl after a config change does)."""
    with Session(archive) as s, s.begin():
        ensure_board(s, PRESS.model_copy(update={"timezone": "UTC"}), T0 + 4 * NIGHT)
    return archive


@pytest.fixture
def tokyo_ui(utc_press: Engine, blob_dir: Path) -> Iterator[TestClient]:
    """The UI with ``[archive] timezone = "Asia/Tokyo"``."""
    with TestClient(create_app(utc_press, blob_dir, "Asia/Tokyo"), cookies={"lang": "en"}) as c:
        yield c


def test_a_boards_pages_show_its_times_in_its_zone(tokyo_ui: TestClient) -> None:
    post = tokyo_ui.get("/boards/press/posts/101").text
    # the edit bounds: 17:31 UTC (02:31 the next day in Seoul, as tests/web/test_pages.py has it)
    assert "between <time>2026-11-21 17:31</time> and <time>2026-11-23 17:31</time>" in post
    assert "<dd>2026-11-17 05:15</dd>" in post  # posted; 14:15 in Seoul
    assert "Times are UTC." in post
    listing = tokyo_ui.get("/boards/press").text
    assert "<td>2026-11-23 17:31</td>" in listing and "Times are UTC." in listing
    diff = tokyo_ui.get("/boards/press/posts/101/diff?from=2&to=3").text
    assert "2026-11-17 05:14" in diff and "2026-11-17 05:15" in diff
    seoul = tokyo_ui.get("/boards/notice/posts/7").text
    assert "<dd>2026-11-17 14:14</dd>" in seoul and "Times are Asia/Seoul (KST)." in seoul


def test_pages_across_boards_use_the_display_zone(tokyo_ui: TestClient) -> None:
    overview = tokyo_ui.get("/").text
    assert "<th>Last run (JST)</th>" in overview and "Times are Asia/Tokyo (JST)." in overview
    assert ">2026-11-24 02:30</a>" in overview  # press's last run, 17:30 UTC
    runs = tokyo_ui.get("/runs").text
    assert "<th>Started (JST)</th>" in runs and "<td>2026-11-24 02:30</td>" in runs
    one = tokyo_ui.get("/runs?board=press").text  # one board: its zone
    assert "<th>Started (UTC)</th>" in one and "<td>2026-11-23 17:30</td>" in one
    hits = tokyo_ui.get("/search?q=채용").text
    assert "posted 2026-11-17 14:15" in hits and "JST" in hits
    assert "posted 2026-11-17 05:15" in tokyo_ui.get("/search?q=채용&board=press").text


def test_the_api_gives_each_boards_zone_and_its_nights_in_it(tokyo_ui: TestClient) -> None:
    boards = {b["name"]: b for b in tokyo_ui.get("/api/boards").json()}
    assert (boards["press"]["timezone"], boards["notice"]["timezone"]) == ("UTC", "Asia/Seoul")
    # press's last run started at 17:30 UTC on the 23rd: that night is the 23rd in UTC
    nights = boards["press"]["nights"]
    assert nights[-1]["day"] == "2026-11-23"
    assert [(n["day"], n["new"]) for n in nights[-4:-2]] == [("2026-11-20", 11), ("2026-11-21", 0)]
    assert boards["notice"]["nights"][-1]["day"] == "2026-11-21"  # 02:35 in Seoul
    diff = tokyo_ui.get("/api/boards/press/posts/101/diff", params={"from": 2, "to": 3}).json()
    changed = {"field": "posted_at", "old": "2026-11-17 05:14", "new": "2026-11-17 05:15"}
    assert diff["timezone"] == "UTC" and changed in diff["changes"]


def new_ids(client: TestClient, **params: Any) -> list[str]:
    body = client.get("/api/boards/press/posts", params=params).json()
    return [p["post_id"] for p in body["posts"]]


def test_a_since_date_is_midnight_in_the_boards_zone(client: TestClient, utc_press: Engine) -> None:
    """Post 106 was first seen at 17:31 UTC on the 23rd: 02:31 on the 24th in Seoul."""
    assert new_ids(client, new_since="2026-11-24") == []  # press is in UTC now
    assert new_ids(client, new_since="2026-11-23") == ["106"]
    assert new_ids(client, new_since="2026-11-23T17:31") == ["106"]
    assert new_ids(client, new_since="2026-11-23T17:32") == []
    assert new_ids(client, new_since="2026-11-24T02:31+09:00") == ["106"]


def cli_since(tmp_path: Path, db_url: str, text: str, *board: str) -> tuple[datetime, str]:
    """The instant ``board-archive changes --since TEXT`` reports, and its table."""
    cfg = tmp_path / "boards.toml"
    cfg.write_text('[archive]\ntimezone = "Asia/Tokyo"\n', encoding="utf-8")
    args = ("changes", "--since", text, *(("--board", *board) if board else ()), "-c", str(cfg))
    result = cli(tmp_path, db_url, *args)
    assert result.returncode == 0, result.stderr
    found = re.search(r"changes since (\S+ \S+) (\S+): \d+", result.stdout)
    assert found, result.stdout
    zones = {"UTC": UTC_ZONE, "KST": ZoneInfo("Asia/Seoul"), "JST": ZoneInfo("Asia/Tokyo")}
    shown = datetime.strptime(found.group(1), "%Y-%m-%d %H:%M")
    return shown.replace(tzinfo=zones[found.group(2)]).astimezone(UTC), result.stdout


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # a reading, not a query
@pytest.mark.parametrize("text", ["2026-11-24", "2026-11-23T17:31", "12h"])
def test_the_cli_and_the_ui_read_since_as_the_same_instant(
    tmp_path: Path, db_url: str, utc_press: Engine, client: TestClient, text: str
) -> None:
    """``changes --since TEXT --board press`` and press's ``?new_since=TEXT``: one instant (in
    press's zone, UTC), the same new posts; without --board the display zone (Asia/Tokyo)."""
    with Session(utc_press) as s:
        press_zone = zone(queries.board_by_name(s, "press").timezone)  # as the UI's route does
    display = ZoneInfo("Asia/Tokyo")
    before = datetime.now(UTC)
    for board, tz in ((("press",), press_zone), ((), display)):
        at_cli, table = cli_since(tmp_path, db_url, text, *board)
        ui = since(text, "new_since", tz)  # the UI's reading (its lists are of one board)
        assert ui is not None
        if text.endswith("h"):  # a span: back from each one's own "now"; the CLI shows minutes
            assert parse_since(text, tz, before).replace(second=0, microsecond=0) <= at_cli <= ui
        else:
            assert at_cli == ui
        if board:
            new = re.findall(r"│ press\s+│ (\d+)\s+│ new ", table)
            assert sorted(new) == sorted(new_ids(client, new_since=text))
