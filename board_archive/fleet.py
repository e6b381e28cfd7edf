"""A fleet of workers on Celery: one scheduler enqueues board runs, workers on any number of
machines crawl them (``board-archive schedule --fleet``, ``board-archive worker``).

The broker is RabbitMQ (``[fleet] broker_url``, ``$BOARD_ARCHIVE_BROKER_URL``; default
``amqp://guest:guest@127.0.0.1:5672//``); the workers share one PostgreSQL database and one blob
store path. SQLite is one machine's archive: the fleet refuses it (``FleetError``).

Delivery
    A board run is a task (``TASK``: board, mode, reason) acknowledged late
    (``task_acks_late``, ``task_reject_on_worker_lost``, one message prefetched at a time): a
    worker that dies mid-run never acknowledged it, so the broker delivers it again to another
    worker. The dead worker's crawl processes get SIGHUP as it dies (``stop_with_parent``),
    close their runs ``interrupted`` and release their boards' locks; a re-delivered run that
    still finds its board locked (that crawl still closing) is retried ``RETRY_AFTER`` seconds
    later, as long as the lock could go stale. The board lock and the run record make a
    re-delivered run safe: it is one more run of the board (an incremental run re-reads what
    the interrupted one did not store), never a duplicate version or a false deletion.

Exactly one scheduler
    The scheduler that enqueues holds a PostgreSQL advisory lock (``SchedulerLease``) on a
    connection of its own for as long as it runs; a second scheduler stands by until the lock is
    free (its holder stopped, died, or lost its connection) and then takes over.

A broker that cannot be reached
    The scheduler keeps its schedule: the run is kept (``Enqueuer.pending``, one per board and
    mode, as missed starts coalesce), a warning is logged at most once a minute, and everything
    kept is sent once the broker answers again (tried every ``FLUSH_EVERY`` seconds).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

from celery import Celery, Task
from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

from archive.config import Config
from archive.models import RunStatus
from board_archive.board_runner import BoardRunner
from board_archive.crawl_batches import CrawlBatcher

log = logging.getLogger("board_archive.fleet")

TASK = "board_archive.crawl_board"
RETRY_AFTER = 10  # seconds before a re-delivered run that found its board locked tries again
FLUSH_EVERY = 15  # seconds between tries to send what the broker refused
WARN_EVERY = 60.0  # seconds between two warnings that the broker cannot be reached
WORKER_PREFIX = "board-archive@"  # a worker's name: board-archive@HOST.PID
LEASE_KEY = 0x62615F73636864  # the advisory lock of the one scheduler ("ba_schd")


class FleetError(Exception):
    """The fleet cannot run as configured (e.g. on SQLite)."""


def require_postgres(cfg: Config) -> None:
    if not cfg.database_url.startswith("postgresql"):
        raise FleetError(
            "the fleet needs PostgreSQL shared by every machine (set $DATABASE_URL or "
            f"[archive] database_url to a postgresql:// URL); this archive is {cfg.database_url}"
        )


def make_app(cfg: Config) -> Celery:
    """The Celery application of the fleet: broker, queue and delivery rules."""
    app = Celery("board_archive", broker=cfg.fleet.broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_default_queue=cfg.fleet.queue,
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=4,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        enable_utc=True,
    )
    app.task(name=TASK, bind=True, max_retries=None)(_crawl_board)
    return app


class WorkerState:
    """What a worker's tasks share: the configuration, the database, one runner (one crawl of a
    board at a time here) whose crawls share crawl processes and end with the worker."""

    current: WorkerState | None = None

    def __init__(
        self, cfg: Config, engine: Engine, log_level: str = "INFO", name: str | None = None
    ) -> None:
        self.cfg, self.engine, self.name = cfg, engine, name
        batcher = CrawlBatcher(cfg.scheduler.boards_per_process, stop_with_parent=True, worker=name)
        self.runner = BoardRunner(cfg, engine, run=batcher, log_level=log_level)


def _crawl_board(task: Task, board: str, mode: str, reason: str = "scheduled") -> dict[str, Any]:
    state = WorkerState.current
    if state is None:
        raise RuntimeError("not a board-archive worker (WorkerState.current is not set)")
    result = state.runner(board, mode, reason)
    run = result.run if result is not None else None
    redelivered = bool((task.request.delivery_info or {}).get("redelivered"))
    redelivered = redelivered or bool(task.request.retries)  # a retry is a message of its own
    locked = result is None or (run is not None and run.status == RunStatus.SKIPPED)
    if redelivered and locked:  # the dead worker's crawl of it may still be closing
        limit = state.cfg.scheduler.lock_stale_after // RETRY_AFTER + 1
        if task.request.retries < limit:
            log.info("board=%s mode=%s: locked, re-delivered run retried", board, mode)
            raise task.retry(countdown=RETRY_AFTER)
    return {
        "board": board,
        "mode": mode,
        "run": run.id if run is not None else None,
        "status": run.status.value if run is not None else None,
    }


class Enqueuer:
    """The scheduler's job in a fleet: the board run sent to the workers' queue, or kept until
    the broker answers (see the module's notes). Thread-safe."""

    def __init__(self, cfg: Config, app: Celery | None = None) -> None:
        self.cfg, self.app = cfg, app or make_app(cfg)
        self.pending: dict[tuple[str, str], str] = {}  # (board, mode) -> reason
        self._lock = threading.Lock()
        self._sending = threading.Lock()  # held by the one thread sending what is kept
        self._warned_at: float | None = None
        self.sent = 0

    def __call__(self, board_name: str, mode: str, reason: str = "scheduled") -> None:
        self.cfg.board(board_name)  # a board no longer configured is a config error
        with self._lock:
            self.pending[(board_name, mode)] = reason
        self.flush()

    def flush(self) -> int:
        """Send what is kept; the number sent. A broker that cannot be reached keeps the rest.

        One thread sends at a time (the jobs of boards due together call this at once): a run
        kept while another thread sends is sent by that thread once it is done, never twice."""
        sent = 0
        while self.pending and self._sending.acquire(blocking=False):
            try:
                count, answered = self._send_kept()
            finally:
                self._sending.release()
            sent += count
            if not answered:
                break
        return sent

    def _send_kept(self) -> tuple[int, bool]:
        with self._lock:
            waiting = list(self.pending.items())
        sent = 0
        for (board, mode), reason in waiting:
            try:
                self.app.send_task(
                    TASK, args=[board, mode, reason], queue=self.cfg.fleet.queue, retry=False
                )
            except Exception as exc:  # kombu's OperationalError and socket errors alike
                self._warn(exc, len(waiting) - sent)
                return sent, False
            with self._lock:
                if self.pending.get((board, mode)) == reason:
                    del self.pending[(board, mode)]
            sent += 1
            self.sent += 1
            log.info("enqueued: board=%s mode=%s (%s)", board, mode, reason)
        if sent and self._warned_at is not None:
            log.info("the broker answers again: %d board run(s) sent", sent)
            self._warned_at = None
        return sent, True

    def _warn(self, exc: Exception, kept: int) -> None:
        now = time.monotonic()
        if self._warned_at is None or now - self._warned_at >= WARN_EVERY:
            self._warned_at = now
            log.warning(
                "cannot reach the broker %s (%s): %d board run(s) kept, sent when it answers",
                _safe(self.cfg.fleet.broker_url),
                exc,
                kept,
            )

    # what the scheduler's stopper asks of its job
    def busy(self) -> bool:
        return False

    def stop(self) -> None:
        """Nothing runs here; runs kept for the broker are lost with the process (a catch-up at
        the next start enqueues what was missed)."""


def worker_name() -> str:
    """This process's name as a worker of the fleet."""
    return f"{WORKER_PREFIX}{socket.gethostname()}.{os.getpid()}"


def broker_label(cfg: Config) -> str:
    """The configured broker, for messages (no password)."""
    return _safe(cfg.fleet.broker_url)


def _safe(url: str) -> str:
    """The broker URL without its password, for logs."""
    head, sep, tail = url.rpartition("@")
    if not sep:
        return url
    scheme, _, auth = head.partition("://")
    return f"{scheme}://{auth.split(':')[0]}:***@{tail}"


class SchedulerLease:
    """The one scheduler that enqueues: a PostgreSQL advisory lock held on a connection of its
    own (released by the server when the holder's connection ends, however it ends)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None

    def try_take(self) -> bool:
        if self._conn is None:
            self._conn = self.engine.connect()
        query = text("SELECT pg_try_advisory_lock(:k)")
        taken = bool(self._conn.execute(query, {"k": LEASE_KEY}).scalar())
        self._conn.commit()
        return taken

    def wait(self, poll: float = 5.0, stop: threading.Event | None = None) -> bool:
        """Take the lease, standing by while another scheduler holds it; False when ``stop``
        was set first."""
        said = False
        while not self.try_take():
            if not said:
                log.info("standing by: another scheduler holds the lease and enqueues")
                said = True
            if stop is not None and stop.wait(poll):
                return False
            if stop is None:
                time.sleep(poll)
        log.info("holding the scheduler lease: this scheduler enqueues")
        return True

    def held(self) -> bool:
        """Whether the lease is still ours (its connection alive)."""
        if self._conn is None:
            return False
        try:
            self._conn.execute(text("SELECT 1"))
            self._conn.commit()
            return True
        except Exception:
            return False

    def release(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LEASE_KEY})
            self._conn.commit()
        except Exception:  # the connection is gone: so is the lock
            pass
        finally:
            self._conn.invalidate()  # not back to the pool: the session ends
            self._conn.close()
            self._conn = None
