"""Shared fixtures: a fresh, migrated archive database per test, on SQLite and on PostgreSQL.

Tests that take ``db_url`` or ``engine`` run once per backend. PostgreSQL comes from
``$BOARD_ARCHIVE_TEST_POSTGRES`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``); each
test gets its own database, cloned from a migrated template. Where PostgreSQL cannot be reached the
PostgreSQL runs are skipped with the reason, except under CI (``$CI`` set), where that is an error:
a skipped PostgreSQL run is not a pass.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from archive.config import normalise_database_url
from archive.db import make_engine, upgrade

pytest_plugins = ["tests.every_test_asserts"]

PG_ADMIN_URL = normalise_database_url(
    os.environ.get("BOARD_ARCHIVE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
)
BACKENDS = ["sqlite", "postgresql"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that the OS says is free now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class _Postgres:
    def __init__(self) -> None:
        self.error: str | None = None
        self.template: str | None = None
        self.admin: Engine | None = None
        self.created: list[str] = []

    def setup(self) -> None:
        try:
            self.admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with self.admin.connect() as c:
                c.execute(text("select 1"))
        except Exception as exc:
            self.error = (
                f"PostgreSQL at {PG_ADMIN_URL} unreachable: {exc.__class__.__name__}: {exc}"
            )
            return
        self.template = f"ba_test_tmpl_{uuid.uuid4().hex[:10]}"
        self._exec(f'CREATE DATABASE "{self.template}"')
        self.created.append(self.template)
        engine = make_engine(self.url(self.template))
        upgrade(engine)
        engine.dispose()

    def url(self, name: str) -> str:
        return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def fresh(self) -> str:
        name = f"ba_test_{uuid.uuid4().hex[:12]}"
        self._exec(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.created.append(name)
        return self.url(name)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        self._exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.created:
            self.created.remove(name)

    def teardown(self) -> None:
        for name in list(self.created):
            self._exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if self.admin is not None:
            self.admin.dispose()

    def _exec(self, sql: str) -> None:
        assert self.admin is not None
        with self.admin.connect() as c:
            c.execute(text(sql))


@pytest.fixture(scope="session")
def postgres() -> Iterator[_Postgres]:
    pg = _Postgres()
    pg.setup()
    yield pg
    pg.teardown()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """URL of a fresh database at the newest migration."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path}/archive.sqlite3"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    pg: _Postgres = request.getfixturevalue("postgres")
    if pg.error:
        if os.environ.get("CI"):
            pytest.fail(f"{pg.error} (under CI the PostgreSQL run must not be skipped)")
        pytest.skip(pg.error)
    url = pg.fresh()
    yield url
    pg.drop(url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()
