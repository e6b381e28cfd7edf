"""PHP-like sessions and request counters for the demo server."""

from __future__ import annotations

import secrets
import threading
from collections import Counter, OrderedDict

_SID_ALPHABET = "0123456789abcdefghijklmnopqrstuv"  # PHP's 5-bits-per-character session ids


class SessionStore:
    """Session id -> set of flags (``ss_view_press_54``...), least recently used dropped first."""

    def __init__(self, limit: int = 100_000) -> None:
        self._data: OrderedDict[str, set[str]] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def new_id(self) -> str:
        return "".join(secrets.choice(_SID_ALPHABET) for _ in range(26))

    def has(self, sid: str, flag: str) -> bool:
        with self._lock:
            flags = self._data.get(sid)
            if flags is None:
                return False
            self._data.move_to_end(sid)
            return flag in flags

    def set(self, sid: str, flag: str) -> bool:
        """Set ``flag``; returns whether it was newly set."""
        with self._lock:
            flags = self._data.get(sid)
            if flags is None:
                flags = self._data[sid] = set()
                while len(self._data) > self._limit:
                    self._data.popitem(last=False)
            self._data.move_to_end(sid)
            if flag in flags:
                return False
            flags.add(flag)
            return True

    def known(self, sid: str) -> bool:
        with self._lock:
            return sid in self._data

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)


class RequestCounter:
    """Requests per kind (``list``, ``view``, ``download``...) and per request target."""

    KINDS = (
        "list",
        "view",
        "download",
        "password",
        "login",  # login.php and login_check.php
        "rss",
        "robots",
        "admin",
        "static",  # files served as they are: body images, the theme logo
        "list_json",  # js_list boards: the rows of a list page (board_archive.demoboard.jslist)
        "script",  # js_list boards: the script that builds the list
        "other",
    )

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kinds: Counter[str] = Counter()
        self._browser: Counter[str] = Counter()  # kinds of the requests a browser made
        self._targets: Counter[str] = Counter()

    def add(self, kind: str, target: str, *, browser: bool = False) -> None:
        with self._lock:
            self._kinds[kind] += 1
            self._browser[kind] += browser
            self._targets[target] += 1

    def kinds(self) -> dict[str, int]:
        with self._lock:
            return {k: self._kinds.get(k, 0) for k in self.KINDS}

    def browser_kinds(self) -> dict[str, int]:
        """Like ``kinds``, of the requests a browser made (a Scrapy request is none of them)."""
        with self._lock:
            return {k: self._browser.get(k, 0) for k in self.KINDS}

    def targets(self) -> Counter[str]:
        """Request targets (path and query as sent) and how often each was requested."""
        with self._lock:
            return Counter(self._targets)

    def reset(self) -> None:
        with self._lock:
            self._kinds.clear()
            self._browser.clear()
            self._targets.clear()
