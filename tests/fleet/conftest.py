"""The fleet tests' fixtures: PostgreSQL only, and a queue of each test's own on the broker."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator

import pytest
from kombu import Connection

from tests.fleet.helpers import BROKER


@pytest.fixture
def backend() -> str:
    return "postgresql"  # the fleet's database (SQLite is refused: see below)


@pytest.fixture
def queue() -> Iterator[str]:
    """A queue of the test's own on the broker, deleted afterwards."""
    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=2).close()
    except OSError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"RabbitMQ at 127.0.0.1:5672 unreachable under CI: {exc}")
        pytest.skip(f"RabbitMQ at 127.0.0.1:5672 unreachable: {exc}")
    name = f"ba_test_{uuid.uuid4().hex[:10]}"
    yield name
    with Connection(BROKER) as conn:
        conn.SimpleQueue(name).queue.delete()
