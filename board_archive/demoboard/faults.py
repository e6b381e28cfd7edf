"""Fault injection for the demo board (and the test proxy in front of it): what goes wrong on
real sites, switched on per request or for a share of requests.

A ``Faults`` holds ``Rule``s; each request's target (path and query) is checked against them in
order and the first rule that matches (its ``match`` is in the target, or ends it when written
with a trailing ``$``; for a ``share`` below 1 it wins its draw; it has ``times`` left) decides
its fault. ``/_admin`` requests are never faulted. Kinds:

- ``"500"``, ``"502"``, ``"503"``: that status with a short error page;
- ``"429"``: Too Many Requests with ``Retry-After: retry_after`` (seconds);
- ``"reset"``: the connection is closed with a TCP reset, no answer;
- ``"hang"``: no answer for ``seconds`` (or until the server stops), then the connection closes;
- ``"truncate"``: the board's real answer, cut after half its body (``Content-Length`` still
  promises all of it), then the connection closes;
- ``"empty"``: HTTP 200 with an empty body;
- ``"maintenance"``, ``"login"``: HTTP 200 with a maintenance page / GnuBoard's login form;
- ``"redirect-loop"``: a 302 to the URL itself; ``"redirect-away"``: a 302 to ``target``
  (default an address no crawl of the board may fetch: the cloud metadata endpoint);
- ``"huge"``: HTTP 200 with an HTML page of ``size`` bytes (default 50 MB), streamed in chunks
  (never whole in memory), with its ``Content-Length`` unless ``declare_length`` is False;
- ``"charset-wrong"``: the real page with a ``Content-Type`` header claiming ``charset``
  (default: the other of UTF-8 and EUC-KR); ``"charset-missing"``: no charset in the header
  nor in the ``<meta>`` tag;
- ``"layout"``: the real page with the list's markup renamed (a new skin or theme): ``bo_list``,
  ``fboardlist``, ``tbl_head01`` and the row cells' classes get other names.

Faults that answer instead of the board are ``REPLACING``; the others transform the board's
answer (``transform``). ``send`` writes an ``Answer`` to a ``BaseHTTPRequestHandler``'s socket.
"""

from __future__ import annotations

import random
import re
import socket
import struct
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler
from io import BytesIO
from typing import Literal, get_args

Kind = Literal[
    "500",
    "502",
    "503",
    "429",
    "reset",
    "hang",
    "truncate",
    "empty",
    "maintenance",
    "login",
    "redirect-loop",
    "redirect-away",
    "huge",
    "charset-wrong",
    "charset-missing",
    "layout",
]
KINDS: tuple[Kind, ...] = get_args(Kind)
REPLACING = frozenset(KINDS) - {"truncate", "charset-wrong", "charset-missing", "layout"}
METADATA_URL = "http://169.254.169.254/latest/meta-data/"
MAINTENANCE_HTML = (
    '<!doctype html>\n<html lang="ko"><head><meta charset="utf-8"><title>점검 중</title></head>'
    '<body><div class="maintenance"><h1>서비스 점검 중입니다</h1>'
    "<p>보다 나은 서비스를 위해 시스템 점검을 진행하고 있습니다.</p></div></body></html>\n"
)
LOGIN_HTML = (
    '<!doctype html>\n<html lang="ko"><head><meta charset="utf-8"><title>로그인 | 게시판</title>'
    '</head><body><div id="mb_login" class="mbskin"><h1>로그인</h1>'
    '<form name="flogin" action="/bbs/login_check.php" method="post">'
    '<input type="hidden" name="url" value="/bbs/board.php">'
    '<label for="login_id" class="sound_only">회원아이디</label>'
    '<input type="text" name="mb_id" id="login_id" required>'
    '<input type="password" name="mb_password" id="login_pw" required>'
    '<button type="submit" class="btn_submit">로그인</button></form></div></body></html>\n'
)
# A new skin: what the list's markup is renamed to (the view pages keep theirs).
LAYOUT_RENAMES = {
    'id="bo_list"': 'id="board-list"',
    'id="fboardlist"': 'id="board-list-form"',
    "tbl_head01": "board-table",
    "td_subject": "col-title",
    "bo_tit": "title",
    "td_num2": "col-no",
    "td_datetime": "col-date",
    "td_name": "col-writer",
    "empty_table": "no-posts",
}
_CHUNK = 64 * 1024


@dataclass
class Rule:
    """One fault and the requests it applies to."""

    kind: Kind
    match: str = ""  # a substring of the request target ("" matches every request; "…$": its end)
    share: float = 1.0  # the fraction of matching requests it takes (drawn per request)
    times: int | None = None  # at most this many requests (None: no limit)
    retry_after: int = 1  # 429: seconds in Retry-After
    seconds: float = 60.0  # hang: how long
    target: str = METADATA_URL  # redirect-away: where to
    size: int = 50 * 1024 * 1024  # huge: bytes
    declare_length: bool = True  # huge: send Content-Length
    charset: str | None = None  # charset-wrong: the charset claimed
    hits: int = 0  # requests this rule took

    def matches(self, target: str) -> bool:
        """``match`` is a substring of ``target``; a trailing ``$`` anchors it at the end
        (``"wr_id=1$"`` is post 1, not 12)."""
        if self.match.endswith("$"):
            return target.endswith(self.match[:-1])
        return self.match in target

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; known: {', '.join(KINDS)}")
        if not 0.0 <= self.share <= 1.0:
            raise ValueError(f"share must be within 0..1, got {self.share}")


class Faults:
    """The rules of one server; thread-safe. ``seed`` makes the ``share`` draws repeatable."""

    def __init__(self, seed: int = 0) -> None:
        self.rules: list[Rule] = []
        self.hits: Counter[Kind] = Counter()
        #: (time.monotonic(), target, fault or None) of the latest requests, to see retries
        self.seen: deque[tuple[float, str, Kind | None]] = deque(maxlen=10_000)
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.released = threading.Event()  # set when the server stops: hanging answers end

    def add(self, kind: Kind, match: str = "", **options: object) -> Rule:
        """Add a rule (``Rule``'s fields as keywords) after the others; returns it."""
        rule = Rule(kind, match, **options)  # type: ignore[arg-type]
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()

    def pick(self, target: str) -> Rule | None:
        """The rule that takes this request, counted as a hit; None: answer normally."""
        if target.startswith("/_admin"):
            return None
        with self._lock:
            rule = self._first(target)
            self.seen.append((time.monotonic(), target, rule.kind if rule else None))
            return rule

    def _first(self, target: str) -> Rule | None:
        for rule in self.rules:
            if not rule.matches(target) or (rule.times is not None and rule.times <= 0):
                continue
            if rule.share < 1.0 and self._random.random() >= rule.share:
                continue
            if rule.times is not None:
                rule.times -= 1
            rule.hits += 1
            self.hits[rule.kind] += 1
            return rule
        return None


@dataclass
class Answer:
    """An HTTP answer to write, or the way not to answer (``action``)."""

    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    stream: Callable[[], Iterator[bytes]] | None = None  # instead of body (huge pages)
    cut_at: int | None = None  # send only this many bytes of body, then close
    action: Literal["reset", "hang"] | None = None
    hang_seconds: float = 0.0

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def replacement(rule: Rule, target: str) -> Answer:
    """The answer of a ``REPLACING`` fault to a request for ``target``."""
    kind = rule.kind
    if kind in ("reset", "hang"):
        return Answer(action=kind, hang_seconds=rule.seconds)
    if kind in ("500", "502", "503", "429"):
        status = int(kind)
        page = f"<html><body><h1>{status}</h1></body></html>\n".encode()
        answer = _html(status, page)
        if kind == "429":
            answer.headers.append(("Retry-After", str(rule.retry_after)))
        return answer
    if kind == "empty":
        return _html(200, b"")
    if kind == "maintenance":
        return _html(200, MAINTENANCE_HTML.encode())
    if kind == "login":
        return _html(200, LOGIN_HTML.encode())
    if kind in ("redirect-loop", "redirect-away"):
        answer = _html(302, b"")
        answer.headers.append(("Location", target if kind == "redirect-loop" else rule.target))
        return answer
    if kind == "huge":
        answer = Answer(200, [("Content-Type", "text/html; charset=utf-8")])
        answer.stream = lambda: huge_page(rule.size)
        if not rule.declare_length:
            return answer
        answer.headers.append(("Content-Length", str(rule.size)))
        return answer
    raise ValueError(f"{kind!r} transforms the board's answer; see transform()")


def transform(rule: Rule, answer: Answer) -> Answer:
    """The board's ``answer`` as the fault ``rule`` alters it."""
    kind = rule.kind
    headers = [(k, v) for k, v in answer.headers if k.lower() != "content-length"]
    body = answer.body
    if kind == "truncate":
        return replace(answer, cut_at=len(body) // 2)
    if kind == "layout":
        text = body.decode("latin-1")  # byte-preserving: the names are ASCII
        if 'id="bo_list"' in text or 'id="fboardlist"' in text:
            for old, new in LAYOUT_RENAMES.items():
                text = text.replace(old, new)
        body = text.encode("latin-1")
    elif kind in ("charset-wrong", "charset-missing"):
        ctype = answer.header("Content-Type") or "text/html"
        media, _, params = ctype.partition(";")
        if kind == "charset-missing":
            ctype = media.strip()
            body = re.sub(
                rb"<meta\s+charset=[\"']?[\w-]+[\"']?\s*/?>", b"", body, count=1, flags=re.I
            )
        else:
            current = params.partition("charset=")[2].strip().lower()
            claimed = rule.charset or ("utf-8" if current in ("euc-kr", "cp949") else "euc-kr")
            ctype = f"{media.strip()}; charset={claimed}"
        headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
        headers.append(("Content-Type", ctype))
    headers.append(("Content-Length", str(len(body))))
    return replace(answer, headers=headers, body=body)


def huge_page(size: int) -> Iterator[bytes]:
    """``size`` bytes of an HTML page (a list that never ends), in chunks."""
    head = b'<!doctype html>\n<html lang="ko"><head><meta charset="utf-8"></head><body>\n'
    line = "<p>아주 긴 페이지입니다. 이 줄은 계속 반복됩니다.</p>\n".encode()
    filler = line * (_CHUNK // len(line))
    sent = 0
    for piece in _pieces(head, filler):
        if sent >= size:
            return
        piece = piece[: size - sent]
        sent += len(piece)
        yield piece


def _pieces(head: bytes, filler: bytes) -> Iterator[bytes]:
    yield head
    while True:
        yield filler


def parse_raw(raw: bytes) -> Answer:
    """An answer as a handler wrote it (status line, headers, body): what ``transform`` takes."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 200
    headers = [tuple(x.strip() for x in ln.split(":", 1)) for ln in lines[1:] if ":" in ln]
    return Answer(status, [(k, v) for k, v in headers], body)


def serve(handler: BaseHTTPRequestHandler, faults: Faults, respond: Callable[[], None]) -> None:
    """Answer the request ``handler`` holds: normally (``respond()``), or as the rule that takes
    it says. A transforming fault runs ``respond()`` into a buffer, alters it and sends it."""
    rule = faults.pick(handler.path)
    if rule is None:
        respond()
        return
    if rule.kind in REPLACING:
        send(handler, replacement(rule, handler.path), faults.released)
        return
    real_out = handler.wfile
    buffer = BytesIO()
    handler.wfile = buffer
    try:
        respond()
    finally:
        handler.wfile = real_out
    send(handler, transform(rule, parse_raw(buffer.getvalue())), faults.released)


def send(handler: BaseHTTPRequestHandler, answer: Answer, released: threading.Event) -> None:
    """Write ``answer`` on the handler's connection, which is closed afterwards."""
    handler.close_connection = True
    if answer.action == "reset":
        # SO_LINGER with a zero timeout: close() sends RST instead of FIN
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
        return
    if answer.action == "hang":
        released.wait(answer.hang_seconds)
        return
    out = handler.wfile
    head = [f"HTTP/1.1 {answer.status} {_reason(answer.status)}"]
    head += [f"{k}: {v}" for k, v in answer.headers if k.lower() != "connection"]
    head.append("Connection: close")
    try:
        out.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        if handler.command == "HEAD":
            return
        if answer.stream is not None:
            for chunk in answer.stream():
                out.write(chunk)
        else:
            body = answer.body if answer.cut_at is None else answer.body[: answer.cut_at]
            out.write(body)
        out.flush()
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client stopped reading (a size limit, a time-out)


def _html(status: int, body: bytes) -> Answer:
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
    return Answer(status, headers, body)


def _reason(status: int) -> str:
    return BaseHTTPRequestHandler.responses.get(status, ("",))[0]
