"""One board of ``boards.toml``: its ``[boards.NAME]`` table over ``[defaults]``, a pydantic model.

Every key is declared once, in :class:`BoardConfig` (with its sub-tables :class:`RevisitDays`,
:class:`GenericProfile` and the selector overrides, whose keys are the fields of
``archive.selectors.Selectors``), with its default and what it means. Validation reports every
bad key of a board at once; rules between keys (a URL fits its engine, a cron is read in the
board's time zone, login keys come together, …) are checked there too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import parse_qs, urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PlainValidator,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails

from archive.config_values import (
    Boolean,
    ConfigError,
    Size,
    Strings,
    Table,
    Text,
    TimeZone,
    UrlList,
    at,
    cron_problem,
    env_name,
    expected,
    integer,
    number,
    one_of,
    problem,
    text,
    with_errors,
)
from archive.localtime import DEFAULT_TIMEZONE
from archive.selectors import GNUBOARD5_ENGINE_READ, Selectors, selector_problem

ENGINES = ("gnuboard5", "rhymix", "generic")
RENDERS = ("http", "browser")  # how list pages are fetched (crawler/spiders/render.py)
GENERIC_LIST = ("list_container", "list_rows", "row_link")
GENERIC_REQUIRED = (*GENERIC_LIST, "view_container", "view_title", "view_body")
DEFAULT_SCHEDULE = "30 2 * * *"
DEFAULT_FULL_SCHEDULE = "0 4 * * 0"
DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024
DEFAULT_MAX_RUN_BYTES = 1024**3
TABLE = ConfigDict(extra="forbid", frozen=True)


def _a_day(days: float) -> float:
    if days < 1.0:
        raise expected("at least 1 (day)", days)
    return days


class RevisitDays(BaseModel):
    """``[boards.NAME.revisit]``: the revisit policy's periods in days (``archive.revisit``); a
    key left out keeps the policy's default."""

    model_config = TABLE
    young: Annotated[float | None, number(0)] = Field(
        default=None, description="a post younger than this is re-checked every run (7)"
    )
    burst: Annotated[float | None, number(0)] = Field(
        default=None, description="a post is re-checked every run for this long after a change (14)"
    )
    explore_after: Annotated[float | None, number(0)] = Field(
        default=None, description="the budget's leftover goes to posts unchecked this long (3)"
    )
    max_interval: Annotated[float | None, number(0), AfterValidator(_a_day)] = Field(
        default=None, description="a post is never checked less often than this, at least 1 (90)"
    )


def _view_url(value: object) -> str:
    if value is None or "{id}" not in text(value):
        raise problem("required, with {id} in it")
    return str(value)


def _id_path(value: object) -> str:
    pattern = text(value)
    try:
        if re.compile(pattern).groups >= 1:
            return pattern
    except re.error:
        pass
    raise expected("a regular expression with a group for the id", value)


class GenericProfile(BaseModel):
    """``[boards.NAME.profile]`` of a ``generic`` board: its URL rules, dates and markers
    (``crawler.pages.profiles.generic_profile``)."""

    model_config = TABLE
    view_url: Annotated[str, PlainValidator(_view_url)] = Field(
        default=None,
        validate_default=True,
        description="a view page's URL: {id}, {root}, {path}, {mid}, {q:NAME} filled in",
    )
    id_params: Strings = Field(
        default=(), description="query parameters of a row link holding the id"
    )
    id_path: Annotated[str | None, PlainValidator(_id_path)] = Field(
        default=None, description="a regular expression on a row link's path; its group is the id"
    )
    page_param: Text = Field(
        default="page", description="list page N is the list URL with this = N"
    )
    date_formats: Strings = Field(default=(), description="strptime formats tried before the usual")
    not_found: Strings = Field(default=(), description="page texts of the site's 'no such post'")
    secret: Strings = Field(default=(), description="selectors of the site's secret-post page")

    @model_validator(mode="after")
    def _an_id_rule(self) -> GenericProfile:
        if not self.id_params and not self.id_path:
            raise problem("give id_params or id_path (the post id)")
        return self


def _selector(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise expected("a non-empty selector string", value)
    if why := selector_problem(value.strip()):
        raise problem(why)
    return value.strip()


#: ``[boards.NAME.selectors]``: a key per field of ``Selectors``, each an override.
_OVERRIDE: dict[str, Any] = {
    name: (Annotated[str | None, PlainValidator(_selector)], None)
    for name in Selectors.field_names()
}
SelectorOverrides = create_model("SelectorOverrides", __config__=TABLE, **_OVERRIDE)


def unknown_key(table: str) -> str:
    """The message of an unknown key in the table at path ``table``."""
    if table.rpartition(".")[2] == "selectors":
        return f"unknown selector (known: {', '.join(sorted(Selectors.field_names()))})"
    return "unknown key"


def _given(table: BaseModel) -> dict[str, Any]:
    return table.model_dump(exclude_unset=True)


def _overrides(table: BaseModel) -> dict[str, str]:
    return {k: v for k, v in table.model_dump().items() if v is not None}


def _days(table: RevisitDays) -> dict[str, float]:
    return dict(sorted(table.model_dump(exclude_none=True).items()))


def board_url_problem(url: str, engine: str | None) -> str | None:
    """Why ``url`` is no list URL of an ``engine`` board, or None: http(s) and a host; for
    GnuBoard ``bo_table`` in the query, for Rhymix ``mid`` in the query or a short URL's path."""
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1"
        return f"expected an http(s) URL, got {url!r}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"expected an http(s) URL, got {url!r}"
    if engine == "rhymix" and not (parse_qs(parts.query).get("mid") or parts.path.strip("/")):
        return f"a Rhymix list URL needs mid=… or a /board path, got {url!r}"
    if engine == "gnuboard5" and not parse_qs(parts.query).get("bo_table"):
        return f"a GnuBoard list URL needs bo_table=…, got {url!r}"
    return None


def check_board_url(url: str, what: str = "url", engine: str = "gnuboard5") -> None:
    """Raise :class:`ConfigError` ``WHAT: …`` unless ``url`` is a list URL of ``engine``."""
    if why := board_url_problem(url, engine):
        raise ConfigError(f"{what}: {why}")


OptionalEnvName = Annotated[str | None, PlainValidator(env_name)]


class BoardConfig(BaseModel):
    """One board: its ``[boards.NAME]`` table over ``[defaults]``, validated."""

    model_config = TABLE
    name: str = Field(description="the board's name: NAME in [boards.NAME]")
    engine: Annotated[str, one_of(*ENGINES)] = Field(
        default="gnuboard5", description="the board's profile (crawler.pages.profiles)"
    )
    url: Text = Field(description="the board's list URL (GnuBoard: with bo_table=…)")
    title: Annotated[str | None, PlainValidator(text)] = Field(
        default=None, description="display name"
    )
    delay: Annotated[float, number(0)] = Field(
        default=1.0, description="seconds between requests to this site (AutoThrottle's floor)"
    )
    concurrency: Annotated[int, integer(1, 32)] = Field(
        default=2, description="requests in flight to this site at most"
    )
    max_pages: Annotated[int | None, integer(1)] = Field(
        default=None, description="stop walking the list after this many pages"
    )
    timezone: TimeZone = Field(
        default=DEFAULT_TIMEZONE, description="the zone of the board's times and crons"
    )
    selectors: Annotated[Mapping[str, str], Table(SelectorOverrides, _overrides)] = Field(
        default_factory=dict, description="selector overrides (archive.selectors.Selectors)"
    )
    # Unattended operation (board_archive/schedule.py): crons in the board's time zone.
    schedule: Text = Field(
        default=DEFAULT_SCHEDULE, description="cron of the nightly incremental run"
    )
    full_schedule: Text = Field(
        default=DEFAULT_FULL_SCHEDULE,
        description="cron of the weekly full run: every list page and post",
    )
    jitter: Annotated[int, integer(0)] = Field(
        default=600, description="seconds of random delay added to each scheduled start"
    )
    time_limit: Annotated[int, integer(60)] = Field(
        default=3 * 3600, description="seconds a crawl may take before it is stopped"
    )
    view_budget: Annotated[int, integer(0)] = Field(
        default=300, description="view pages the revisit policy may fetch per incremental run"
    )
    list_pages_min: Annotated[int, integer(1)] = Field(
        default=2, description="list pages an incremental run always walks"
    )
    notify: UrlList = Field(
        default=(), description="Apprise URLs for this board, besides [notify] urls"
    )
    # Files (attachments and body images): limits per file and per run, in bytes.
    max_file_size: Size = Field(
        default=DEFAULT_MAX_FILE_SIZE, description="a larger file is skipped"
    )
    max_run_bytes: Size = Field(
        default=DEFAULT_MAX_RUN_BYTES, description="file bytes per run at most"
    )
    fetch_external_images: Boolean = Field(
        default=False, description="also store body images on other hosts (else only recorded)"
    )
    # Members-only boards: the names of the environment variables holding the member id and
    # password the crawl logs in with (the values are never in the file, the database or logs).
    login_user_env: OptionalEnvName = Field(default=None, description="variable with the member id")
    login_password_env: OptionalEnvName = Field(
        default=None, description="variable with the password"
    )
    profile: Annotated[Mapping[str, Any], Table(GenericProfile, _given)] = Field(
        default=None, validate_default=True, description='URL rules of an engine = "generic" board'
    )
    # Boards whose list is built by JavaScript: "browser" fetches list pages with headless
    # Chromium (scrapy-playwright); render_views sends the view pages through it too.
    render: Annotated[str, one_of(*RENDERS)] = Field(
        default="http", description="how lists are fetched"
    )
    render_views: Boolean = Field(
        default=False, description='view pages rendered too (render="browser")'
    )
    render_wait: Annotated[float, number(0.1)] = Field(
        default=15.0, description="seconds a rendered page may take to show its rows"
    )
    revisit: Annotated[Mapping[str, float], Table(RevisitDays, _days)] = Field(
        default_factory=dict, description="the revisit policy's periods in days, where set"
    )

    def parsed_selectors(self) -> Selectors:
        return Selectors.with_overrides(self.selectors)

    @field_validator("url")
    @classmethod
    def _fits_the_engine(cls, url: str, info: ValidationInfo) -> str:
        if why := board_url_problem(url, info.data.get("engine")):
            raise problem(why)
        return url

    @field_validator("schedule", "full_schedule")
    @classmethod
    def _cron(cls, expr: str, info: ValidationInfo) -> str:
        expr = expr or cls.model_fields[str(info.field_name)].default
        if why := cron_problem(expr, info.data.get("timezone", "UTC")):
            raise why
        return expr

    @field_validator("login_user_env", mode="before")
    @classmethod
    def _login_on_gnuboard(cls, value: object, info: ValidationInfo) -> object:
        if value is not None and info.data.get("engine", "gnuboard5") != "gnuboard5":
            raise problem('login is only for engine = "gnuboard5"')
        return value

    @field_validator("profile", mode="wrap")
    @classmethod
    def _generic_only(
        cls, value: object, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> object:
        engine = info.data.get("engine")
        if engine != "generic":
            if value is not None and engine is not None:
                raise problem('only for engine = "generic"')
            return {}
        if value is None:
            raise problem('required for engine = "generic"')
        return handler(value)

    @field_validator("render_views")
    @classmethod
    def _rendered_lists(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("render", "browser") != "browser":
            raise problem('only with render = "browser"')
        return value

    @model_validator(mode="wrap")
    @classmethod
    def _with_rules_between_keys(
        cls, data: Any, handler: ModelWrapValidatorHandler[BoardConfig]
    ) -> BoardConfig:
        return with_errors(handler, data, _between_keys(data) if isinstance(data, dict) else [])


def _between_keys(values: Mapping[str, Any]) -> list[InitErrorDetails]:
    """Errors of the rules that name one key for another: the login keys come together; a
    generic board gives its required selectors."""
    errors = []
    user, password = values.get("login_user_env"), values.get("login_password_env")
    if (user is None) != (password is None):
        missing, given = ("login_user_env", "login_password_env")
        if password is None:
            missing, given = given, missing
        errors.append(at((missing,), f"required with {given}", values))
    selectors = values.get("selectors", {})
    if values.get("engine", "gnuboard5") == "gnuboard5" and isinstance(selectors, dict):
        errors.extend(
            at(
                ("selectors", name),
                "read from the engine's own links on a gnuboard5 board, whatever the skin: "
                "this override would change nothing",
                selectors,
            )
            for name in sorted(GNUBOARD5_ENGINE_READ & selectors.keys())
        )
    if values.get("engine") == "generic" and isinstance(selectors, dict):
        errors.extend(
            at(("selectors", name), "required for a generic board", selectors)
            for name in GENERIC_REQUIRED
            if name not in selectors
        )
    return errors
