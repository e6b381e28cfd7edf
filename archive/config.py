"""Configuration: one TOML file (``boards.toml``), read once and validated; secrets from the env.

The file is found at ``--config``, else ``$BOARD_ARCHIVE_CONFIG``, else ``./boards.toml``; a
missing default file means "no named boards" (ad-hoc ``--url`` crawls still work). The database
comes from ``$DATABASE_URL``, else ``[archive] database_url``, else a SQLite file under ``./var/``.

A bad file raises :class:`ConfigError` with one message naming the key, e.g.
``boards.toml: boards.press.delay: expected a number >= 0, got 'fast'``.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from archive.selectors import Selectors

ENGINES = ("gnuboard5",)
DEFAULT_CONFIG = Path("boards.toml")
DEFAULT_DATA_DIR = Path("var")
DEFAULT_CONTACT = "https://github.com/board-archive/board-archive"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


class ConfigError(ValueError):
    """The configuration is invalid; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class BoardConfig:
    name: str
    url: str
    engine: str = "gnuboard5"
    title: str | None = None
    delay: float = 1.0  # seconds between requests to this site (AutoThrottle's floor)
    concurrency: int = 2  # requests in flight to this site at most
    max_pages: int | None = None  # stop walking the list after this many pages
    timezone: str = "Asia/Seoul"
    selectors: Mapping[str, str] = field(default_factory=dict)

    def parsed_selectors(self) -> Selectors:
        return Selectors.with_overrides(self.selectors)


@dataclass(frozen=True, slots=True)
class Config:
    database_url: str
    data_dir: Path
    contact_url: str
    boards: Mapping[str, BoardConfig]
    source: Path | None = None

    def board(self, name: str) -> BoardConfig:
        try:
            return self.boards[name]
        except KeyError:
            known = ", ".join(sorted(self.boards)) or "none"
            where = self.source or DEFAULT_CONFIG
            raise ConfigError(f"unknown board {name!r} (boards in {where}: {known})") from None


def load_config(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Read and validate the configuration file; ``env`` defaults to ``os.environ``."""
    env = os.environ if env is None else env
    explicit = path or env.get("BOARD_ARCHIVE_CONFIG")
    file = Path(explicit) if explicit else DEFAULT_CONFIG
    data: dict[str, Any] = {}
    if file.exists():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file}: not valid TOML: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file}: cannot read: {exc}") from None
    elif explicit:
        raise ConfigError(f"{file}: no such configuration file")
    return _validate(data, file if file.exists() else None, env)


def _validate(data: dict[str, Any], source: Path | None, env: Mapping[str, str]) -> Config:
    where = str(source or DEFAULT_CONFIG)
    _only(data, {"archive", "defaults", "boards"}, "", where)
    archive = _table(data, "archive", where)
    _only(archive, {"database_url", "data_dir", "contact_url"}, "archive.", where)
    data_dir = Path(_str(archive, "data_dir", "archive.", where) or DEFAULT_DATA_DIR)
    db_url = (
        env.get("DATABASE_URL")
        or _str(archive, "database_url", "archive.", where)
        or f"sqlite:///{data_dir / 'archive.sqlite3'}"
    )
    contact = _str(archive, "contact_url", "archive.", where) or DEFAULT_CONTACT
    if not contact.startswith(("http://", "https://", "mailto:")):
        raise ConfigError(f"{where}: archive.contact_url: expected an http(s) or mailto URL")
    defaults = _table(data, "defaults", where)
    board_keys = {f.name for f in dataclasses.fields(BoardConfig)} - {"name"}
    _only(defaults, board_keys - {"url", "title"}, "defaults.", where)
    boards: dict[str, BoardConfig] = {}
    for name, raw in _table(data, "boards", where).items():
        prefix = f"boards.{name}."
        if not _NAME.match(name):
            raise ConfigError(f"{where}: boards.{name}: a board name is letters, digits, _.-")
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: boards.{name}: expected a table")
        _only(raw, board_keys, prefix, where)
        boards[name] = board_from_values(name, {**defaults, **raw}, prefix, where)
    return Config(
        database_url=normalise_database_url(db_url),
        data_dir=data_dir,
        contact_url=contact,
        boards=boards,
        source=source,
    )


def board_from_values(
    name: str, values: Mapping[str, Any], prefix: str = "", where: str = "--url"
) -> BoardConfig:
    url = _str(values, "url", prefix, where)
    if not url:
        raise ConfigError(f"{where}: {prefix}url: required")
    check_board_url(url, f"{where}: {prefix}url")
    engine = _str(values, "engine", prefix, where) or "gnuboard5"
    if engine not in ENGINES:
        raise ConfigError(f"{where}: {prefix}engine: expected one of {', '.join(ENGINES)}")
    delay = values.get("delay", 1.0)
    if isinstance(delay, bool) or not isinstance(delay, int | float) or delay < 0:
        raise ConfigError(f"{where}: {prefix}delay: expected a number >= 0, got {delay!r}")
    conc = values.get("concurrency", 2)
    if isinstance(conc, bool) or not isinstance(conc, int) or not 1 <= conc <= 32:
        raise ConfigError(f"{where}: {prefix}concurrency: expected an integer 1-32, got {conc!r}")
    max_pages = values.get("max_pages")
    if max_pages is not None and (
        isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1
    ):
        raise ConfigError(f"{where}: {prefix}max_pages: expected an integer >= 1")
    tz = _str(values, "timezone", prefix, where) or "Asia/Seoul"
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(tz)
    except Exception:
        raise ConfigError(f"{where}: {prefix}timezone: unknown time zone {tz!r}") from None
    selectors = values.get("selectors", {})
    if not isinstance(selectors, dict) or not all(
        isinstance(v, str) and v.strip() for v in selectors.values()
    ):
        raise ConfigError(f"{where}: {prefix}selectors: expected a table of non-empty strings")
    try:
        Selectors.with_overrides(selectors)
    except ValueError as exc:
        raise ConfigError(f"{where}: {prefix}selectors: {exc}") from None
    return BoardConfig(
        name=name,
        url=url,
        engine=engine,
        title=_str(values, "title", prefix, where),
        delay=float(delay),
        concurrency=conc,
        max_pages=max_pages,
        timezone=tz,
        selectors=dict(selectors),
    )


def check_board_url(url: str, what: str = "url") -> None:
    """A GnuBoard list URL: http(s), a host, and ``bo_table`` in the query."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{what}: expected an http(s) URL, got {url!r}")
    if not parse_qs(parts.query).get("bo_table"):
        raise ConfigError(f"{what}: a GnuBoard list URL needs bo_table=…, got {url!r}")


def adhoc_board(url: str) -> BoardConfig:
    """A board for ``crawl --url``: named after the host and bo_table, default politeness."""
    check_board_url(url)
    parts = urlsplit(url)
    table = parse_qs(parts.query)["bo_table"][0]
    host = (parts.hostname or "").replace(":", "_")
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{host}-{table}")[:100]
    return board_from_values(name, {"url": url})


def normalise_database_url(url: str) -> str:
    """``postgres://``/``postgresql://`` use psycopg 3; anything else is passed through."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _only(table: Mapping[str, Any], allowed: set[str], prefix: str, where: str) -> None:
    for key in table:
        if key not in allowed:
            raise ConfigError(f"{where}: {prefix}{key}: unknown key")


def _table(data: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {key}: expected a table")
    return value


def _str(table: Mapping[str, Any], key: str, prefix: str, where: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {prefix}{key}: expected a string, got {value!r}")
    return value
