"""Fixtures for the web tests: a seeded archive (both backends) and a test client on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from archive.web import create_app
from tests.web.seed import seed_archive


@pytest.fixture
def archive(engine: Engine) -> Engine:
    seed_archive(engine)
    return engine


@pytest.fixture
def client(archive: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(archive)) as c:
        yield c
