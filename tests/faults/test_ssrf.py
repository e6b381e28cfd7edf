"""No SSRF: a crawl follows no redirect off the board's host and fetches nothing on loopback,
private or link-local addresses other than the board's own (crawler/middlewares.py HostGuard)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request
from scrapy.settings import Settings
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from twisted.internet.error import DNSLookupError

from archive.config import load_config
from archive.models import FileStatus, RunStatus, VersionFile
from board_archive.crawl import run_crawl
from board_archive.demoboard import DemoServer, generate_board
from crawler.hosts import private_host
from crawler.middlewares import HostGuard
from crawler.resolver import HostGuardResolver, refused
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


def resolver(board: str = BOARD, **settings: object) -> HostGuardResolver:
    crawler = SimpleNamespace(spider=SimpleNamespace(board=SimpleNamespace(url=board)), stats=None)
    process = SimpleNamespace(settings=Settings(settings), crawlers=[crawler])
    return HostGuardResolver(object(), 0, 5.0, process)  # type: ignore[arg-type]


@pytest.fixture
def no_refused_names() -> Iterator[None]:
    yield
    refused.clear()  # the process's record, read by HostGuard


@pytest.mark.usefixtures("no_refused_names")
def test_the_resolver_judges_the_address_a_name_resolves_to() -> None:
    """A name is judged on the answer the connection uses, so an answer that changes between
    two lookups (DNS rebinding) is judged as it is when it counts; HostGuard then drops the
    name's retries with the reason."""
    r = resolver()
    assert r.check("93.184.215.14", "cdn.example.net") == "93.184.215.14"
    assert r.check("127.0.0.1", "127.0.0.1") == "127.0.0.1"  # an address: HostGuard's to judge
    for address in ("127.0.0.1", "10.0.0.8", "169.254.169.254", "0.0.0.0", "::1", "fd00::1"):
        with pytest.raises(DNSLookupError, match=f"cdn.example.net resolves to {address}"):
            r.check(address, "cdn.example.net")
    assert guard().refusal("http://cdn.example.net/a.png", False) == (
        "cdn.example.net resolves to fd00::1, an internal address"
    )
    # the board's own name may resolve to an internal address (an intranet board)
    assert r.check("10.0.0.8", "board.example.org") == "10.0.0.8"
    allowed = resolver(HOSTGUARD_ALLOWED_HOSTS=["files.intra:8080", "cdn.intra"])
    assert allowed.check("10.0.0.9", "files.intra") == "10.0.0.9"
    assert allowed.check("10.0.0.9", "cdn.intra") == "10.0.0.9"
    # the board's name on another port is looked up by HostGuard itself
    intranet = guard("http://localhost.localdomain.invalid/bbs/board.php?bo_table=press")
    assert intranet.refusal("http://localhost.localdomain.invalid:6379/", False) is None


def internal_name() -> str:
    """A name (not an address, not ``localhost``) that this machine resolves to loopback."""
    for name in (socket.gethostname(), "ip6-localhost", "localhost.localdomain"):
        try:
            infos = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
        except OSError:
            continue
        if name != "localhost" and all(ipaddress.ip_address(i[4][0]).is_loopback for i in infos):
            return name
    pytest.fail("no host name of this machine resolves to loopback (see /etc/hosts)")


def test_a_name_resolving_to_an_internal_address_is_not_fetched(
    tmp_path: Path, engine: Engine
) -> None:
    """A post's image on a host name that resolves to loopback: HostGuard lets the name pass
    (it judges no names), the crawl's resolver refuses the address, and nothing reaches it."""
    name = internal_name()
    board = generate_board(4, seed=3)
    with DemoServer(generate_board(3, seed=1)) as other, DemoServer(board) as server:
        image = f"http://{name}:{other.port}/data/editor/map.png"
        wr_id = board.add_post("외부 이미지", f'<p>지도</p><img src="{image}">')
        config = tmp_path / "boards.toml"
        config.write_text(
            f'[archive]\ndata_dir = "{tmp_path / "var"}"\n'
            f'[boards.press]\nurl = "{server.list_url}"\ndelay = 0\nfetch_external_images = true\n',
            encoding="utf-8",
        )
        cfg = load_config(config)
        result = run_crawl(cfg, cfg.board("press"), engine, mode="full", log_level="WARNING")
        assert sum(other.counts.values()) == 0  # the other server was never asked anything
    assert result.ok and result.run is not None
    assert stat(result.run, "hostguard/refused_dns") >= 1
    with Session(engine) as s:
        row = s.scalars(select(VersionFile).where(VersionFile.url == image)).one()
        assert row.status == FileStatus.FAILED
        assert row.reason and f"{name} resolves to 127.0.0.1" in row.reason
    assert posts(engine)[str(wr_id)].current_version == 1  # the post itself is archived
