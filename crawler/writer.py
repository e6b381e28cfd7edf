"""The crawl's one writer to the archive: its database engine and the one thread it writes on.

The run ledger (``crawler/extensions.py``) opens it when the spider opens and closes it when the
spider has closed; the archive pipeline (``crawler/pipelines.py``) writes its batches and puts
its blobs through it. One thread, so writes happen in the order they were asked for (the run is
opened before the first batch and closed after the last), one crawl is never two writers of a
SQLite file, and no database or file work blocks the reactor.

The crawls of one process share one engine per database (:func:`shared_engine`): a pool of at
most ``connections`` connections, which a writer holds only for a transaction, so a process
crawling 50 boards holds at most that many connections, not one a board. A writer that finds
every connection taken waits for one (up to ten minutes) rather than fail its batch.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import Engine, make_url
from sqlalchemy.orm import Session

from archive.db import check_schema, make_engine

T = TypeVar("T")


DEFAULT_CONNECTIONS = 10
POOL_TIMEOUT = 600.0  # seconds a writer waits for a free connection

_engines: dict[str, Engine] = {}
_checked: set[str] = set()  # databases whose schema this process has checked
_engines_lock = threading.Lock()


def shared_engine(database_url: str, connections: int = DEFAULT_CONNECTIONS) -> Engine:
    """This process's engine for ``database_url``, made by the first crawl that asks: its pool
    at most ``connections`` connections (the first caller's number holds)."""
    with _engines_lock:
        engine = _engines.get(database_url)
        if engine is None:
            options: dict[str, Any] = {}
            url = make_url(database_url)
            if url.get_backend_name() != "sqlite" or url.database not in (None, "", ":memory:"):
                n = max(1, connections)
                options = {"pool_size": n, "max_overflow": 0, "pool_timeout": POOL_TIMEOUT}
            engine = _engines[database_url] = make_engine(database_url, **options)
        return engine


class ArchiveWriter:
    def __init__(self, database_url: str, connections: int = DEFAULT_CONNECTIONS) -> None:
        self.database_url = database_url
        self.connections = connections
        self._engine: Engine | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive-writer")

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError("the archive writer is not open")
        return self._engine

    async def open(self) -> None:
        """Connect to the database and check its schema is the current one (once a process)."""
        self._engine = shared_engine(self.database_url, self.connections)
        if self.database_url not in _checked:
            await self.run(check_schema, self._engine)
            _checked.add(self.database_url)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the writer thread."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    async def transaction(self, fn: Callable[[Session], T]) -> T:
        """``fn`` in one transaction on the writer thread."""
        engine = self.engine

        def work() -> T:
            with Session(engine) as s, s.begin():
                return fn(s)

        return await self.run(work)

    def close(self) -> None:
        """Wait for the writes asked for (the shared engine stays for the process's other
        crawls; its connections close when the process ends)."""
        self._executor.shutdown(wait=True)
