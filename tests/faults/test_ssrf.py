"""No SSRF: a crawl follows no redirect off the board's host and fetches nothing on loopback,
private or link-local addresses other than the board's own (crawler/middlewares.py HostGuard)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request
from scrapy.settings import Settings
from sqlalchemy import Engine

from archive.models import RunStatus
from crawler.hosts import private_host
from crawler.middlewares import HostGuard
from demoboard import DemoServer, generate_board
from tests.faults.helpers import crawl, last_run, posts, stat

BOARD = "http://board.example.org/bbs/board.php?bo_table=press"


def guard(url: str = BOARD, **settings: object) -> HostGuard:
    crawler = SimpleNamespace(
        settings=Settings(settings),
        spider=SimpleNamespace(board=SimpleNamespace(url=url)),
        stats=None,
    )
    return HostGuard(crawler)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "redirected", "refused"),
    [
        ("http://board.example.org/bbs/board.php?wr_id=1", False, False),
        ("https://board.example.org/bbs/board.php?wr_id=1", True, False),  # http -> https
        ("http://board.example.org:8080/x", True, True),  # another port: another site
        ("http://cdn.example.net/file.pdf", False, False),  # a public host, linked
        ("http://cdn.example.net/file.pdf", True, True),  # ... but not by redirect
        ("http://169.254.169.254/latest/meta-data/", False, True),
        ("http://127.0.0.1:6379/", False, True),
        ("http://localhost/", False, True),
        ("http://10.1.2.3/", False, True),
        ("http://192.168.0.1/", False, True),
        ("http://[::1]:8080/", False, True),
        ("http://[::ffff:127.0.0.1]/", False, True),
        ("http://0.0.0.0/", False, True),
        ("file:///etc/passwd", False, True),
    ],
)
def test_what_may_be_fetched(url: str, redirected: bool, refused: bool) -> None:
    assert (guard().refusal(url, redirected) is not None) == refused


def test_the_board_on_loopback_is_its_own_site_but_other_ports_are_not() -> None:
    g = guard("http://127.0.0.1:8056/bbs/board.php?bo_table=press")
    assert g.refusal("http://127.0.0.1:8056/bbs/download.php?no=0", False) is None
    assert g.refusal("http://127.0.0.1:8057/", False) is not None
    request = Request("http://127.0.0.1:6379/", meta={"redirect_urls": ["x"]})
    with pytest.raises(IgnoreRequest, match="redirect off the board"):
        g.process_request(request)


def test_allowed_hosts_and_switching_off() -> None:
    assert guard(HOSTGUARD_ALLOWED_HOSTS=["10.0.0.5"]).refusal("http://10.0.0.5/", False) is None
    with pytest.raises(NotConfigured):
        guard(HOSTGUARD_ENABLED=False)
    assert private_host("localhost") and not private_host("example.org.invalid")


def test_redirects_off_the_board_are_not_followed(tmp_path: Path, engine: Engine) -> None:
    board = generate_board(30, seed=8)
    newest = max(p.wr_id for p in board.posts() if p.attachments and not p.secret)  # page 1
    with DemoServer(generate_board(3, seed=1)) as other, DemoServer(board) as server:
        # the list's page 2 and every download redirect to another local server
        server.faults.add("redirect-away", "&page=2", target=other.list_url)
        server.faults.add("redirect-away", "download.php", target=other.url + "/data/x.pdf")
        result = crawl(tmp_path, engine, server.list_url)
        downloads = sum(1 for _, t, f in server.faults.seen if f and "download.php" in t)
        assert sum(other.counts.values()) == 0  # the other server was never asked anything
    run = last_run(engine)
    assert result.run is not None and run.status == RunStatus.SUCCEEDED
    assert downloads >= 1
    # list page 2 and the downloads (the same redirect target twice is Scrapy's duplicate)
    assert stat(run, "hostguard/refused") >= 2
    assert posts(engine)[str(newest)].current_version == 1  # the post itself is archived


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_board_whose_list_redirects_to_the_metadata_address_fails_fast(
    tmp_path: Path, engine: Engine
) -> None:
    with DemoServer(generate_board(5, seed=2)) as server:
        server.faults.add("redirect-away", "bo_table=press")  # to 169.254.169.254
        result = crawl(tmp_path, engine, server.list_url, settings={"DOWNLOAD_TIMEOUT": "30"})
    run = last_run(engine)
    assert not result.ok and run.status == RunStatus.FAILED
    assert stat(run, "hostguard/refused") == 1
    assert run.finished_at is not None
    assert (run.finished_at - run.started_at).total_seconds() < 20  # refused, not timed out
