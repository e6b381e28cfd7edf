"""Typed reads of one table of the configuration file; every error names the file and the key.

``archive.config`` validates ``boards.toml`` with these; ``ConfigError`` is raised for a bad
value (and re-exported by ``archive.config``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, overload

from archive.cron import crontab_trigger

_SIZE_VALUE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMG]?)i?B?\s*$", re.I)
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")


class ConfigError(ValueError):
    """The configuration is invalid; the message names the file and the key."""


class Values:
    """Typed reads of one config table; every error names the file and the key."""

    def __init__(self, values: Mapping[str, Any], prefix: str, where: str) -> None:
        self.values, self.prefix, self.where = values, prefix, where

    def error(self, key: str, expected: str) -> ConfigError:
        got = self.values.get(key)
        return ConfigError(f"{self.where}: {self.prefix}{key}: expected {expected}, got {got!r}")

    def text(self, key: str) -> str | None:
        return str_value(self.values, key, self.prefix, self.where)

    def number(self, key: str, default: float, minimum: float) -> float:
        value = self.values.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            raise self.error(key, f"a number >= {minimum}")
        return float(value)

    @overload
    def integer(self, key: str, default: int, minimum: int, maximum: int | None = None) -> int: ...
    @overload
    def integer(
        self, key: str, default: None, minimum: int, maximum: int | None = None
    ) -> int | None: ...
    def integer(
        self, key: str, default: int | None, minimum: int, maximum: int | None = None
    ) -> int | None:
        value = self.values.get(key, default)
        if value is None:
            return None
        bad = isinstance(value, bool) or not isinstance(value, int) or value < minimum
        if bad or (maximum is not None and value > maximum):
            upper = f"-{maximum}" if maximum is not None else " or more"
            raise self.error(key, f"an integer {minimum}{upper}")
        return int(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self.values.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, "true or false")
        return value

    def size(self, key: str, default: int) -> int:
        """Bytes: an integer, or a string such as "50M", "1.5G", "800K" (powers of 1024)."""
        value = self.values.get(key, default)
        if isinstance(value, str) and (m := _SIZE_VALUE.match(value)):
            value = int(float(m.group(1)) * 1024 ** " KMG".index(m.group(2).upper() or " "))
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.error(key, 'a size in bytes >= 1 (or a string such as "50M")')
        return value

    def cron(self, key: str, default: str, tz: str) -> str:
        expr = self.text(key) or default
        try:
            crontab_trigger(expr, tz)  # crontab weekdays (0 and 7 are Sunday), as scheduled
        except ValueError as exc:
            raise ConfigError(
                f"{self.where}: {self.prefix}{key}: not a cron expression "
                f"(minute hour day month weekday): {expr!r}: {exc}"
            ) from None
        return expr

    def env_name(self, key: str, needs: str | None = None) -> str | None:
        """The name of an environment variable (not its value); with ``needs``, that key and
        this one come together."""
        name = self.text(key)
        if name is not None and not _ENV_NAME.match(name):
            raise self.error(key, "the name of an environment variable (letters, digits, _)")
        if needs is not None and (name is None) != (self.values.get(needs) is None):
            missing, given = (key, needs) if name is None else (needs, key)
            raise ConfigError(f"{self.where}: {self.prefix}{missing}: required with {given}")
        return name

    def url_list(self, key: str) -> tuple[str, ...]:
        value = self.values.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(u, str) and "://" in u for u in value):
            raise self.error(key, "a list of notification URLs (scheme://…)")
        return tuple(value)


def str_value(table: Mapping[str, Any], key: str, prefix: str, where: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {prefix}{key}: expected a string, got {value!r}")
    return value
