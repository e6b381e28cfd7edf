"""Fixtures for the web tests: a seeded archive (both backends, its files in a blob store under
``tmp_path``) and test clients on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from archive.web.app import create_app
from tests.web.seed import seed_archive


@pytest.fixture
def blob_dir(tmp_path: Path) -> Path:
    return tmp_path / "blobs"


@pytest.fixture
def archive(engine: Engine, blob_dir: Path) -> Engine:
    seed_archive(engine, blob_dir)
    return engine


@pytest.fixture
def client(archive: Engine, blob_dir: Path) -> Iterator[TestClient]:
    """A reader who chose English (the tests of what pages show read their English text); the
    Korean default is tests/web/test_korean.py's."""
    with TestClient(create_app(archive, blob_dir), cookies={"lang": "en"}) as c:
        yield c


@pytest.fixture
def client_ko(archive: Engine, blob_dir: Path) -> Iterator[TestClient]:
    """A first-time reader: no language chosen."""
    with TestClient(create_app(archive, blob_dir)) as c:
        yield c
