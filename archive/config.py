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
from zoneinfo import ZoneInfo

from archive.config_values import ConfigError
from archive.config_values import Values as _Values
from archive.config_values import str_value as _str
from archive.localtime import DEFAULT_TIMEZONE
from archive.selectors import Selectors

ENGINES = ("gnuboard5", "rhymix", "generic")
RENDERS = ("http", "browser")  # how list pages are fetched (crawler/spiders/render.py)
# a generic board's [profile]: URL rules, date formats, markers (crawler.pages.profiles)
PROFILE_KEYS = {"view_url", "id_params", "id_path", "page_param", "date_formats", "not_found"}
PROFILE_KEYS.add("secret")
# [boards.NAME.revisit]: the revisit policy's periods, in days (archive/revisit.py)
REVISIT_KEYS = {"young", "burst", "explore_after", "max_interval"}
GENERIC_LIST = ("list_container", "list_rows", "row_link")
GENERIC_REQUIRED = (*GENERIC_LIST, "view_container", "view_title", "view_body")
DEFAULT_SCHEDULE = "30 2 * * *"
DEFAULT_FULL_SCHEDULE = "0 4 * * 0"
DEFAULT_CONFIG = Path("boards.toml")
DEFAULT_DATA_DIR = Path("var")
DEFAULT_CONTACT = "https://github.com/board-archive/board-archive"
DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024
DEFAULT_MAX_RUN_BYTES = 1024**3
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


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
    # Unattended operation (scheduler.py): crons in the board's time zone.
    schedule: str = DEFAULT_SCHEDULE  # the nightly incremental run
    full_schedule: str = DEFAULT_FULL_SCHEDULE  # weekly full run: every list page and post
    jitter: int = 600  # seconds of random delay added to each scheduled start
    time_limit: int = 3 * 3600  # seconds a crawl may take before it is stopped
    view_budget: int = 300  # view pages the revisit policy may fetch per incremental run
    list_pages_min: int = 2  # list pages an incremental run always walks
    notify: tuple[str, ...] = ()  # Apprise URLs for this board, besides [notify] urls
    # Files (attachments and body images): limits per file and per run, in bytes; images on
    # other hosts are only recorded unless fetch_external_images is on.
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_run_bytes: int = DEFAULT_MAX_RUN_BYTES
    fetch_external_images: bool = False
    # Members-only boards: the names of the environment variables holding the member id and
    # password the crawl logs in with (the values are never in the file, the database or logs).
    login_user_env: str | None = None
    login_password_env: str | None = None
    profile: Mapping[str, Any] = field(default_factory=dict)  # engine = "generic" only
    # Boards whose list is built by JavaScript: "browser" fetches list pages with headless
    # Chromium (scrapy-playwright); render_views sends the view pages through it too.
    render: str = "http"
    render_views: bool = False
    render_wait: float = 15.0  # seconds a rendered page may take to show its rows
    # The revisit policy's periods in days, where the board sets them (REVISIT_KEYS): see
    # archive.revisit.RevisitPolicy.with_days.
    revisit: Mapping[str, float] = field(default_factory=dict)

    def parsed_selectors(self) -> Selectors:
        return Selectors.with_overrides(self.selectors)


@dataclass(frozen=True, slots=True)
class SchedulerConfig:
    misfire_grace: int = 6 * 3600  # a start missed by less than this still runs (machine was off)
    lock_stale_after: int = 900  # seconds without a heartbeat before a board lock is taken over


@dataclass(frozen=True, slots=True)
class Config:
    database_url: str
    data_dir: Path
    contact_url: str
    boards: Mapping[str, BoardConfig]
    source: Path | None = None
    scheduler: SchedulerConfig = field(default_factory=SchedulerConfig)
    notify: tuple[str, ...] = ()  # Apprise URLs for every board ([notify] urls + env)
    blob_dir: Path = DEFAULT_DATA_DIR / "blobs"  # the blob store of archived files
    timezone: str = DEFAULT_TIMEZONE  # [archive] timezone: times across boards are shown in it

    def notify_urls(self, board: BoardConfig) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.notify + board.notify))

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
    _only(data, {"archive", "defaults", "boards", "scheduler", "notify"}, "", where)
    archive = _table(data, "archive", where)
    _only(
        archive,
        {"database_url", "data_dir", "contact_url", "blob_dir", "timezone"},
        "archive.",
        where,
    )
    data_dir = Path(_str(archive, "data_dir", "archive.", where) or DEFAULT_DATA_DIR)
    blob_dir = Path(_str(archive, "blob_dir", "archive.", where) or data_dir / "blobs")
    db_url = (
        env.get("DATABASE_URL")
        or _str(archive, "database_url", "archive.", where)
        or f"sqlite:///{data_dir / 'archive.sqlite3'}"
    )
    contact = _str(archive, "contact_url", "archive.", where) or DEFAULT_CONTACT
    if not contact.startswith(("http://", "https://", "mailto:")):
        raise ConfigError(f"{where}: archive.contact_url: expected an http(s) or mailto URL")
    display_tz = _str(archive, "timezone", "archive.", where) or DEFAULT_TIMEZONE
    try:
        ZoneInfo(display_tz)
    except Exception:
        raise ConfigError(f"{where}: archive.timezone: unknown time zone {display_tz!r}") from None
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
    sched = _table(data, "scheduler", where)
    _only(sched, {"misfire_grace", "lock_stale_after"}, "scheduler.", where)
    sv = _Values(sched, "scheduler.", where)
    notify = _table(data, "notify", where)
    _only(notify, {"urls"}, "notify.", where)
    env_urls = tuple(env.get("BOARD_ARCHIVE_NOTIFY_URLS", "").split())
    return Config(
        database_url=normalise_database_url(db_url),
        data_dir=data_dir,
        contact_url=contact,
        boards=boards,
        source=source,
        scheduler=SchedulerConfig(
            misfire_grace=sv.integer("misfire_grace", 6 * 3600, 1),
            lock_stale_after=sv.integer("lock_stale_after", 900, 30),
        ),
        notify=_Values(notify, "notify.", where).url_list("urls") + env_urls,
        blob_dir=blob_dir,
        timezone=display_tz,
    )


def board_from_values(
    name: str, values: Mapping[str, Any], prefix: str = "", where: str = "--url"
) -> BoardConfig:
    v = _Values(values, prefix, where)
    url = v.text("url")
    if not url:
        raise ConfigError(f"{where}: {prefix}url: required")
    engine = v.text("engine") or "gnuboard5"
    if engine not in ENGINES:
        raise ConfigError(f"{where}: {prefix}engine: expected one of {', '.join(ENGINES)}")
    check_board_url(url, f"{where}: {prefix}url", engine)
    tz = v.text("timezone") or "Asia/Seoul"
    try:
        ZoneInfo(tz)
    except Exception:
        raise ConfigError(f"{where}: {prefix}timezone: unknown time zone {tz!r}") from None
    selectors = values.get("selectors", {})
    if not isinstance(selectors, dict) or not all(
        isinstance(x, str) and x.strip() for x in selectors.values()
    ):
        raise ConfigError(f"{where}: {prefix}selectors: expected a table of non-empty strings")
    try:
        Selectors.with_overrides(selectors)
    except ValueError as exc:
        raise ConfigError(f"{where}: {prefix}selectors: {exc}") from None
    profile = _profile(values, engine, selectors, prefix, where)
    if values.get("login_user_env") is not None and engine != "gnuboard5":
        raise ConfigError(
            f'{where}: {prefix}login_user_env: login is only for engine = "gnuboard5"'
        )
    render = v.text("render") or "http"
    if render not in RENDERS:
        raise v.error("render", f"one of {', '.join(RENDERS)}")
    if v.boolean("render_views", False) and render != "browser":
        raise ConfigError(f'{where}: {prefix}render_views: only with render = "browser"')
    return BoardConfig(
        name=name,
        url=url,
        engine=engine,
        title=v.text("title"),
        delay=v.number("delay", 1.0, 0),
        concurrency=v.integer("concurrency", 2, 1, 32),
        max_pages=v.integer("max_pages", None, 1),
        timezone=tz,
        selectors=dict(selectors),
        schedule=v.cron("schedule", DEFAULT_SCHEDULE, tz),
        full_schedule=v.cron("full_schedule", DEFAULT_FULL_SCHEDULE, tz),
        jitter=v.integer("jitter", 600, 0),
        time_limit=v.integer("time_limit", 3 * 3600, 60),
        view_budget=v.integer("view_budget", 300, 0),
        list_pages_min=v.integer("list_pages_min", 2, 1),
        notify=v.url_list("notify"),
        max_file_size=v.size("max_file_size", DEFAULT_MAX_FILE_SIZE),
        max_run_bytes=v.size("max_run_bytes", DEFAULT_MAX_RUN_BYTES),
        fetch_external_images=v.boolean("fetch_external_images", False),
        login_user_env=v.env_name("login_user_env"),
        login_password_env=v.env_name("login_password_env", needs="login_user_env"),
        profile=profile,
        render=render,
        render_views=v.boolean("render_views", False),
        render_wait=v.number("render_wait", 15.0, 0.1),
        revisit=_revisit(values, prefix, where),
    )


def _revisit(values: Mapping[str, Any], prefix: str, where: str) -> dict[str, float]:
    """A board's ``[revisit]`` table: periods in days, checked."""
    raw = values.get("revisit", {})
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: {prefix}revisit: expected a table")
    _only(raw, REVISIT_KEYS, f"{prefix}revisit.", where)
    r = _Values(raw, f"{prefix}revisit.", where)
    days = {key: r.number(key, 0.0, 0) for key in sorted(raw)}
    if days.get("max_interval", 1.0) < 1.0:
        raise r.error("max_interval", "at least 1 (day)")
    return days


def _profile(
    values: Mapping[str, Any], engine: str, selectors: Mapping[str, str], prefix: str, where: str
) -> dict[str, Any]:
    """A generic board's ``[profile]`` table, checked; other engines may not have one."""
    raw = values.get("profile")
    if engine != "generic":
        if raw is not None:
            raise ConfigError(f'{where}: {prefix}profile: only for engine = "generic"')
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f'{where}: {prefix}profile: required for engine = "generic"')
    _only(raw, PROFILE_KEYS, f"{prefix}profile.", where)
    p = _Values(raw, f"{prefix}profile.", where)
    view = p.text("view_url")
    if not view or "{id}" not in view:
        raise ConfigError(f"{where}: {prefix}profile.view_url: required, with {{id}} in it")
    for key in ("id_params", "date_formats", "not_found", "secret"):
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(x, str) and x for x in value):
            raise p.error(key, "a list of non-empty strings")
    id_path = p.text("id_path")
    try:
        if id_path is not None and re.compile(id_path).groups < 1:
            raise re.error("no group")
    except re.error:
        raise p.error("id_path", "a regular expression with a group for the id") from None
    if not raw.get("id_params") and not id_path:
        raise ConfigError(f"{where}: {prefix}profile: give id_params or id_path (the post id)")
    for name in GENERIC_REQUIRED:
        if not selectors.get(name):
            raise ConfigError(f"{where}: {prefix}selectors.{name}: required for a generic board")
    return dict(raw)


def check_board_url(url: str, what: str = "url", engine: str = "gnuboard5") -> None:
    """A list URL: http(s) and a host; for GnuBoard ``bo_table`` in the query, for Rhymix
    ``mid`` in the query or a short URL's path (``/board``)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{what}: expected an http(s) URL, got {url!r}")
    if engine == "rhymix" and not (parse_qs(parts.query).get("mid") or parts.path.strip("/")):
        raise ConfigError(f"{what}: a Rhymix list URL needs mid=… or a /board path, got {url!r}")
    if engine == "gnuboard5" and not parse_qs(parts.query).get("bo_table"):
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
