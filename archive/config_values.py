"""The kinds of value a configuration key holds, and how a failed validation becomes messages.

``archive.config`` declares every key of ``boards.toml`` as a pydantic field whose type is one of
the annotated kinds here (``Text``, ``number(0)``, ``integer(1, 32)``, ``Size``, …). A
kind's validator raises :func:`problem` with the message the key's error shows, e.g.
``expected a number >= 0, got 'fast'``; :func:`messages` turns every error of a
``ValidationError`` into one line ``FILE: KEY.PATH: MESSAGE``, and :class:`ConfigError` carries
them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import GetCoreSchemaHandler, PlainValidator, ValidationError
from pydantic_core import CoreSchema, InitErrorDetails, PydanticCustomError, core_schema

from archive.cron import crontab_trigger

_SIZE_VALUE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMG]?)i?B?\s*$", re.I)
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
#: The error type of every message written here (pydantic's own types are translated).
PROBLEM = "config"
#: What pydantic's own error types mean in a configuration file.
_PYDANTIC_MESSAGES = {
    "missing": "required",
    "extra_forbidden": "unknown key",
    "model_type": "expected a table",
    "dict_type": "expected a table",
}


class ConfigError(ValueError):
    """The configuration is invalid: one line per problem, each naming the file and the key."""

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines: tuple[str, ...] = lines


def problem(message: str) -> PydanticCustomError:
    """The error a validator raises: ``message`` is shown after the key, as written."""
    return PydanticCustomError(PROBLEM, message)  # no context: braces in it stay as they are


def expected(what: str, got: object) -> PydanticCustomError:
    return problem(f"expected {what}, got {got!r}")


def messages(
    exc: ValidationError, where: str, prefix: str = "", unknown: Callable[[str], str] | None = None
) -> list[str]:
    """One line per error of ``exc``: ``WHERE: PREFIX + KEY.PATH: MESSAGE``; ``unknown`` gives
    the message of an unknown key from the path of its table (default: "unknown key")."""
    lines = []
    for error in exc.errors():
        path = ".".join(str(part) for part in error["loc"] if part != "[key]")
        kind = error["type"]
        message = error["msg"] if kind == PROBLEM else _PYDANTIC_MESSAGES.get(kind, error["msg"])
        if kind == "extra_forbidden" and unknown is not None:
            message = unknown(path.rpartition(".")[0])
        lines.append(f"{where}: {prefix}{path}: {message}")
    return lines


def carried(exc: ValidationError) -> list[InitErrorDetails]:
    """The errors of ``exc`` as they are given to a new ``ValidationError``."""
    return [
        InitErrorDetails(
            type=PydanticCustomError(e["type"], e["msg"]), loc=e["loc"], input=e["input"]
        )
        for e in exc.errors()
    ]


def with_errors(handler: Callable[[Any], Any], data: Any, errors: list[InitErrorDetails]) -> Any:
    """For a wrap validator: ``handler(data)``, or the errors it finds and ``errors`` together.

    Raised in a validator, a ``ValidationError`` keeps each of its errors at its own key
    (relative to the table being validated), where any other exception would be one error."""
    if not errors:
        return handler(data)
    try:
        handler(data)
    except ValidationError as exc:
        errors = [*carried(exc), *errors]
    raise ValidationError.from_exception_data("config", errors)


def at(loc: tuple[str | int, ...], message: str, value: object) -> InitErrorDetails:
    """An error at ``loc`` (relative to the table being validated) for :func:`with_errors`."""
    return InitErrorDetails(type=problem(message), loc=loc, input=value)


# ---- kinds of value ------------------------------------------------------------------------


def text(value: object) -> str:
    if not isinstance(value, str):
        raise expected("a string", value)
    return value


def number(minimum: float) -> PlainValidator:
    """A number (integer or float, not a boolean) of at least ``minimum``, read as a float."""

    def check(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            raise expected(f"a number >= {minimum}", value)
        return float(value)

    return PlainValidator(check)


def integer(minimum: int, maximum: int | None = None) -> PlainValidator:
    """An integer (not a boolean) in ``minimum``…``maximum``."""
    upper = f"-{maximum}" if maximum is not None else " or more"

    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise expected(f"an integer {minimum}{upper}", value)
        if value < minimum or (maximum is not None and value > maximum):
            raise expected(f"an integer {minimum}{upper}", value)
        return value

    return PlainValidator(check)


def one_of(*choices: str) -> PlainValidator:
    def check(value: object) -> str:
        if text(value) not in choices:
            raise expected(f"one of {', '.join(choices)}", value)
        return str(value)

    return PlainValidator(check)


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise expected("true or false", value)
    return value


def _size(value: object) -> int:
    """Bytes: an integer, or a string such as "50M", "1.5G", "800K" (powers of 1024)."""
    if isinstance(value, str) and (m := _SIZE_VALUE.match(value)):
        value = int(float(m.group(1)) * 1024 ** " KMG".index(m.group(2).upper() or " "))
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise expected('a size in bytes >= 1 (or a string such as "50M")', value)
    return value


def _url_list(value: object) -> tuple[str, ...]:
    """Apprise URLs: a list of ``scheme://…`` strings (one string is a list of one)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(u, str) and "://" in u for u in value):
        raise expected("a list of notification URLs (scheme://…)", value)
    return tuple(value)


def env_name(value: object) -> str:
    """The name of an environment variable (not its value)."""
    if not _ENV_NAME.match(text(value)):
        raise expected("the name of an environment variable (letters, digits, _)", value)
    return str(value)


def _time_zone(value: object) -> str:
    name = text(value)
    try:
        ZoneInfo(name)
    except Exception:  # ZoneInfoNotFoundError, or ValueError for a name that is no path
        raise problem(f"unknown time zone {name!r}") from None
    return name


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(x, str) and x for x in value):
        raise expected("a list of non-empty strings", value)
    return tuple(value)


def cron_problem(expr: str, timezone: str) -> PydanticCustomError | None:
    """Why ``expr`` is no crontab line (minute hour day month weekday, weekdays as crontab counts
    them, as the scheduler runs it), or None."""
    try:
        crontab_trigger(expr, timezone)
    except ValueError as exc:
        return problem(f"not a cron expression (minute hour day month weekday): {expr!r}: {exc}")
    return None


Text = Annotated[str, PlainValidator(text)]
Boolean = Annotated[bool, PlainValidator(_boolean)]
Size = Annotated[int, PlainValidator(_size)]
UrlList = Annotated[tuple[str, ...], PlainValidator(_url_list)]
TimeZone = Annotated[str, PlainValidator(_time_zone)]
Strings = Annotated[tuple[str, ...], PlainValidator(_strings)]


class Table:
    """Annotation marker: the value is the table ``model`` validates (so every error inside it is
    at its own key), handed on as ``convert(model)``, e.g. a plain mapping of the keys given."""

    def __init__(self, model: type, convert: Callable[[Any], Any]) -> None:
        self.model, self.convert = model, convert

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema = handler.generate_schema(self.model)
        return core_schema.no_info_after_validator_function(self.convert, schema)
