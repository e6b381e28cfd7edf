"""The crawl's one writer to the archive: its database engine and the one thread it writes on.

The run ledger (``crawler/extensions.py``) opens it when the spider opens and closes it when the
spider has closed; the archive pipeline (``crawler/pipelines.py``) writes its batches and puts
its blobs through it. One thread, so writes happen in the order they were asked for (the run is
opened before the first batch and closed after the last), one crawl is never two writers of a
SQLite file, and no database or file work blocks the reactor.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from archive.db import check_schema, make_engine

T = TypeVar("T")


class ArchiveWriter:
    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self._engine: Engine | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive-writer")

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError("the archive writer is not open")
        return self._engine

    async def open(self) -> None:
        """Connect to the database and check its schema is the current one."""
        self._engine = make_engine(self.database_url)
        await self.run(check_schema, self._engine)

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
        """Wait for the writes asked for, then let the database go."""
        self._executor.shutdown(wait=True)
        if self._engine is not None:
            self._engine.dispose()
