"""Configuration: one TOML file (``boards.toml``), read once and validated; secrets from the env.

The file is found at ``--config``, else ``$BOARD_ARCHIVE_CONFIG``, else ``./boards.toml``; a
missing default file means "no named boards" (ad-hoc ``--url`` crawls still work). The database
comes from ``$DATABASE_URL``, else ``[archive] database_url``, else a SQLite file under ``./var/``.

Every key is declared once, as a pydantic field with its default and meaning: the tables here
(:class:`ArchiveTable`, :class:`SchedulerConfig`, :class:`FleetTable`, :class:`NotifyTable`,
the file itself as :class:`ConfigFile`) and a board's in ``archive.config_board``. A bad file raises
:class:`ConfigError` naming every bad key at once, one line each, e.g.
``boards.toml: boards.press.delay: expected a number >= 0, got 'fast'``.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PlainValidator,
    ValidationError,
    create_model,
    model_validator,
)

from archive.config_board import TABLE, BoardConfig, check_board_url, unknown_key
from archive.config_values import (
    ConfigError,
    Table,
    Text,
    TimeZone,
    UrlList,
    at,
    integer,
    messages,
    problem,
    text,
    with_errors,
)
from archive.localtime import DEFAULT_TIMEZONE

__all__ = ["BoardConfig", "ConfigError"]  # re-exported: callers import them from here

DEFAULT_CONFIG = Path("boards.toml")
DEFAULT_DATA_DIR = Path("var")
DEFAULT_CONTACT = "https://github.com/board-archive/board-archive"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def _contact(value: object) -> str:
    if not text(value).startswith(("http://", "https://", "mailto:")):
        raise problem("expected an http(s) or mailto URL")
    return str(value)


def _board_name(value: object) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise problem("a board name is letters, digits, _.-")
    return value


class ArchiveTable(BaseModel):
    """``[archive]``: where the archive lives and who runs it."""

    model_config = TABLE
    database_url: Annotated[str | None, PlainValidator(text)] = Field(
        default=None, description="SQLAlchemy URL ($DATABASE_URL wins; default SQLite in data_dir)"
    )
    data_dir: Text = Field(default=str(DEFAULT_DATA_DIR), description="where the SQLite file lives")
    contact_url: Annotated[str, PlainValidator(_contact)] = Field(
        default=DEFAULT_CONTACT, description="contact URL put in the User-Agent"
    )
    blob_dir: Annotated[str | None, PlainValidator(text)] = Field(
        default=None, description="the blob store of archived files (default data_dir/blobs)"
    )
    timezone: TimeZone = Field(
        default=DEFAULT_TIMEZONE, description="the zone times across boards are shown in"
    )


class SchedulerConfig(BaseModel):
    """``[scheduler]``: how the scheduler treats missed starts and stale locks, and how many
    boards it crawls at once."""

    model_config = TABLE
    misfire_grace: Annotated[int, integer(1)] = Field(
        default=6 * 3600,
        description="a start missed by less than this (machine was off) still runs",
    )
    lock_stale_after: Annotated[int, integer(30)] = Field(
        default=900, description="seconds without a heartbeat before a board lock is taken over"
    )
    concurrent_boards: Annotated[int | None, integer(1)] = Field(
        default=None,
        description="boards crawled at once (default: sized to the memory and the database)",
    )
    boards_per_process: Annotated[int, integer(1)] = Field(
        default=50,
        description="boards one crawl process crawls at once (1: a process each)",
    )
    process_connections: Annotated[int, integer(1)] = Field(
        default=10,
        description="database connections one crawl process's boards share, at most",
    )


DEFAULT_BROKER = "amqp://guest:guest@127.0.0.1:5672//"


class FleetTable(BaseModel):
    """``[fleet]``: the workers on other machines (``board-archive worker``) and their broker."""

    model_config = TABLE
    broker_url: Annotated[str | None, PlainValidator(text)] = Field(
        default=None,
        description=f"Celery broker ($BOARD_ARCHIVE_BROKER_URL wins; default {DEFAULT_BROKER})",
    )
    queue: Text = Field(default="board_archive", description="the queue of board runs")


class FleetConfig(BaseModel):
    """``[fleet]`` resolved against the environment (the broker's password stays out of files)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    broker_url: str = DEFAULT_BROKER
    queue: str = "board_archive"


class NotifyTable(BaseModel):
    """``[notify]``: where the run digests of every board go."""

    model_config = TABLE
    urls: UrlList = Field(default=(), description="Apprise URLs for every board")


#: ``[defaults]``: any key of a board but its url and title (checked in each board).
_DEFAULT_KEYS = tuple(k for k in BoardConfig.model_fields if k not in ("name", "url", "title"))
_ANY_VALUE: dict[str, Any] = {k: (Any, None) for k in _DEFAULT_KEYS}
BoardDefaults = create_model("BoardDefaults", __config__=TABLE, **_ANY_VALUE)


def _keys_given(table: BaseModel) -> dict[str, Any]:
    return table.model_dump(exclude_unset=True)


class ConfigFile(BaseModel):
    """``boards.toml`` as written: its tables, each board read over ``[defaults]``."""

    model_config = TABLE
    archive: ArchiveTable = ArchiveTable()
    defaults: Annotated[Mapping[str, Any], Table(BoardDefaults, _keys_given)] = Field(
        default_factory=dict, description="board keys applied to every board"
    )
    boards: dict[Annotated[str, PlainValidator(_board_name)], BoardConfig] = Field(
        default_factory=dict, description="[boards.NAME]: the boards, by name"
    )
    scheduler: SchedulerConfig = SchedulerConfig()
    notify: NotifyTable = NotifyTable()
    fleet: FleetTable = FleetTable()

    @model_validator(mode="wrap")
    @classmethod
    def _boards_over_defaults(
        cls, data: Any, handler: ModelWrapValidatorHandler[ConfigFile]
    ) -> ConfigFile:
        """Each board table as its ``[defaults]`` with the board's own keys over them (a
        sub-table such as ``revisit`` replaces the default's whole), named by its key."""
        if not isinstance(data, dict) or not isinstance(data.get("boards"), dict):
            return handler(data)
        defaults = data.get("defaults")
        if not isinstance(defaults, dict):
            defaults = {}
        defaults = {k: v for k, v in defaults.items() if k in _DEFAULT_KEYS}
        boards, errors = {}, []
        for name, table in data["boards"].items():
            if isinstance(table, dict):
                if "name" in table:  # the name is the table's key
                    errors.append(at(("boards", name, "name"), "unknown key", table))
                table = {**defaults, **table, "name": name}
            boards[name] = table
        return with_errors(handler, {**data, "boards": boards}, errors)


class Config(BaseModel):
    """What a command runs with: the file's tables resolved against the environment."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    database_url: str = Field(description="$DATABASE_URL, else [archive] database_url, else …")
    data_dir: Path
    contact_url: str
    boards: Mapping[str, BoardConfig]
    source: Path | None = Field(default=None, description="the file read, if any")
    scheduler: SchedulerConfig = SchedulerConfig()
    fleet: FleetConfig = FleetConfig()
    notify: tuple[str, ...] = Field(
        default=(), description="[notify] urls + $BOARD_ARCHIVE_NOTIFY_URLS"
    )
    blob_dir: Path = Field(default=DEFAULT_DATA_DIR / "blobs", description="the blob store")
    timezone: str = Field(
        default=DEFAULT_TIMEZONE, description="[archive] timezone: times across boards"
    )

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
    return _resolve(data, file if file.exists() else None, env)


def _resolve(data: dict[str, Any], source: Path | None, env: Mapping[str, str]) -> Config:
    try:
        table = ConfigFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(
            *messages(exc, str(source or DEFAULT_CONFIG), unknown=unknown_key)
        ) from None
    archive = table.archive
    data_dir = Path(archive.data_dir or DEFAULT_DATA_DIR)
    db_url = (
        env.get("DATABASE_URL")
        or archive.database_url
        or f"sqlite:///{data_dir / 'archive.sqlite3'}"
    )
    return Config(
        database_url=normalise_database_url(db_url),
        data_dir=data_dir,
        contact_url=archive.contact_url or DEFAULT_CONTACT,
        boards=table.boards,
        source=source,
        scheduler=table.scheduler,
        fleet=FleetConfig(
            broker_url=env.get("BOARD_ARCHIVE_BROKER_URL")
            or table.fleet.broker_url
            or DEFAULT_BROKER,
            queue=table.fleet.queue,
        ),
        notify=table.notify.urls + tuple(env.get("BOARD_ARCHIVE_NOTIFY_URLS", "").split()),
        blob_dir=Path(archive.blob_dir or data_dir / "blobs"),
        timezone=archive.timezone,
    )


def board_from_values(
    name: str, values: Mapping[str, Any], prefix: str = "", where: str = "--url"
) -> BoardConfig:
    """The board ``name`` of a table of values; errors name ``where`` and ``prefix`` + key."""
    try:
        return BoardConfig.model_validate({**values, "name": name})
    except ValidationError as exc:
        raise ConfigError(*messages(exc, where, prefix, unknown=unknown_key)) from None


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
