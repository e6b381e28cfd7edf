"""A 50 MB page never takes a crawl's memory past the download size limit (DOWNLOAD_MAXSIZE):
the fetch is cut off, counted as a failed view, and the post keeps its version."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from archive.models import RunStatus
from board_archive.demoboard import DemoServer, generate_board
from crawler.settings import DOWNLOAD_MAXSIZE as DEFAULT_LIMIT
from tests.faults.helpers import crawl, crawl_peak_rss, last_run, posts, stat, version_count

MB = 1024 * 1024
LIMIT = 8 * MB
CANCELLED = "downloader/exception_type_count/scrapy.exceptions.DownloadCancelledError"


@pytest.mark.parametrize("declare_length", [True, False])
def test_a_50_mb_page_is_cut_off_at_the_limit(
    tmp_path: Path, engine: Engine, declare_length: bool
) -> None:
    board = generate_board(20, seed=6)
    victim = max(p.wr_id for p in board.posts() if not p.secret and not p.notice)
    settings = {"DOWNLOAD_MAXSIZE": str(LIMIT), "DOWNLOAD_WARNSIZE": str(LIMIT // 2)}
    with DemoServer(board) as server:
        assert crawl(tmp_path, engine, server.list_url).ok
        count = version_count(engine)
        baseline = crawl_peak_rss(tmp_path, engine, server.list_url, settings)
        server.faults.add("huge", f"wr_id={victim}$", declare_length=declare_length)
        peak = crawl_peak_rss(tmp_path, engine, server.list_url, settings)
        hits = server.faults.hits["huge"]
    run = last_run(engine)
    assert hits == 1, run.stats
    assert run.errors >= 1 and run.new_versions == 0 and version_count(engine) == count
    assert posts(engine)[str(victim)].current_version == 1
    # the page is 50 MB; what the crawl held of it stays around the 8 MB limit
    assert peak - baseline < 3 * LIMIT, (peak // MB, baseline // MB)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_default_limit_holds_too(
    tmp_path: Path, engine: Engine, capfd: pytest.CaptureFixture[str]
) -> None:
    """With no DOWNLOAD_MAXSIZE given, the crawl's default cuts off a 50 MB list page."""
    board = generate_board(5, seed=6)
    with DemoServer(board) as server:
        baseline = crawl_peak_rss(tmp_path, engine, server.list_url, {})
        rule = server.faults.add("huge", "bo_table=press$", declare_length=False)
        capfd.readouterr()
        peak = crawl_peak_rss(tmp_path, engine, server.list_url, {})
    log = capfd.readouterr().err
    assert rule.size > DEFAULT_LIMIT and rule.hits == 1
    run = last_run(engine)
    assert run.status == RunStatus.FAILED and (run.message or "").startswith("list page 1")
    # the fetch was cut off at the default limit (not read whole, then found unparsable) ...
    assert stat(run, CANCELLED) == 1 and stat(run, "downloader/response_bytes") < DEFAULT_LIMIT
    assert f"larger than download max size ({DEFAULT_LIMIT})" in log
    # ... and what the crawl held of the page stayed around the limit
    assert peak - baseline < 3 * DEFAULT_LIMIT, (peak // MB, baseline // MB)
