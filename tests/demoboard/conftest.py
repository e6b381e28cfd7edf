"""Fixtures for the demo board tests: a fixed clock, a generated board, a running server and a
small urllib client that does not follow redirects and can keep a session cookie."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from pathlib import Path

import pytest

from board_archive.demoboard import SEOUL, Board, DemoServer, SettableClock, generate_board

# The samples were fetched at 2026-11-24 23:24 KST; the demo board's "now" in these tests.
NOW = datetime(2026, 11, 24, 23, 25, tzinfo=SEOUL)
SAMPLES = Path(__file__).resolve().parents[1] / "pages" / "samples"


def sample_path(name: str) -> Path:
    """A sample page (``"v5.6/press_list_p1.html"``), from the copies kept with the tests."""
    path = SAMPLES / name
    assert path.exists(), f"sample page {name} missing from {SAMPLES}"
    return path


def sample_text(name: str) -> str:
    return sample_path(name).read_bytes().decode("utf-8")


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    def cookies(self) -> list[str]:
        return self.headers.get_all("Set-Cookie") or []


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class Client:
    """GETs without following redirects; with ``keep_session`` it sends back the PHPSESSID."""

    keep_session: bool = False
    session: str | None = None
    history: list[str] = field(default_factory=list)

    def get(self, url: str, *, method: str = "GET") -> Response:
        req = urllib.request.Request(url, method=method)
        if self.keep_session and self.session:
            req.add_header("Cookie", f"PHPSESSID={self.session}")
        opener = urllib.request.build_opener(_NoRedirect)
        self.history.append(url)
        try:
            with opener.open(req, timeout=10) as resp:
                out = Response(resp.status, resp.headers, resp.read())
        except urllib.error.HTTPError as exc:
            with exc:
                out = Response(exc.code, exc.headers, exc.read())
        for cookie in out.cookies():
            if cookie.startswith("PHPSESSID=") and self.keep_session:
                self.session = cookie.split(";", 1)[0].split("=", 1)[1]
        return out


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(NOW)


@pytest.fixture
def board(clock: SettableClock) -> Board:
    return generate_board(120, seed=1, clock=clock)


@pytest.fixture
def server(board: Board) -> Iterator[DemoServer]:
    with DemoServer(board, admin=True) as srv:
        yield srv


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def session_client() -> Client:
    return Client(keep_session=True)
