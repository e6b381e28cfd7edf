"""The FastAPI application: pages, JSON API, static files, and the ``serve`` entry point."""

from __future__ import annotations

import os
import signal
import threading
import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine, event
from starlette.responses import Response

from archive.blobs import BlobStore
from archive.config import Config
from archive.db import check_schema, make_engine
from archive.localtime import DEFAULT_TIMEZONE, zone
from archive.queries import NotInArchive
from archive.web.routes import api, apidocs, boards, files, posts, runs, search
from archive.web.security import security_headers
from archive.web.templating import STATIC, make_templates, render

API_PREFIX = "/api"


def create_app(
    engine: Engine,
    blob_dir: str | os.PathLike[str] | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> FastAPI:
    """The web UI and JSON API over the archive in ``engine`` (read-only); archived files are
    served from the blob store at ``blob_dir`` (without one, none are). Pages across boards show
    times in ``timezone`` (``[archive] timezone``); a board's pages in the board's zone."""
    app = FastAPI(
        title="Board Archive",
        summary="Read-only JSON API over the archive: boards, posts, versions, diffs, runs.",
        version="0.1.0",
        docs_url=None,  # FastAPI's Swagger UI and ReDoc load from a CDN; /api/docs is local
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
    )
    app.state.engine = engine
    app.state.blobs = BlobStore(blob_dir) if blob_dir is not None else None
    app.state.display_zone = zone(timezone)
    app.state.templates = make_templates()
    app.middleware("http")(security_headers)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for module in (boards, posts, search, runs, files, apidocs):
        app.include_router(module.router)
    app.include_router(api.router, prefix=API_PREFIX)

    @app.exception_handler(NotInArchive)
    async def not_found(request: Request, exc: NotInArchive) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith(API_PREFIX):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg', '')}"
            for e in exc.errors()
        )
        return _error(request, 400, problems)

    return app


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith(API_PREFIX):
        return JSONResponse({"detail": message}, status_code=status)
    templates = request.app.state.templates
    return render(templates, request, "error.html", {"status": status, "message": message}, status)


def read_only_engine(url: str) -> Engine:
    """An engine whose connections refuse writes (the web UI never writes)."""
    if url.startswith("postgresql"):
        return make_engine(
            url, connect_args={"options": "-c default_transaction_read_only=on"}, pool_size=8
        )
    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def _query_only(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA query_only=ON")
        cur.close()

    return engine


def serve(
    cfg: Config, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False
) -> None:
    """``board-archive serve``: run the web UI with uvicorn until SIGTERM or SIGINT (Ctrl-C),
    then return once uvicorn has finished the requests under way.

    Raises :class:`archive.db.SchemaError` when the database is not at the newest schema.
    """
    engine = read_only_engine(cfg.database_url)
    try:
        check_schema(engine)
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(engine, cfg.blob_dir, cfg.timezone),
                host=host,
                port=port,
                log_level="info",
            )
        )
        if open_browser:
            shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
            shown = f"[{shown}]" if ":" in shown else shown
            threading.Thread(target=_open_when_started, args=(server, shown), daemon=True).start()
        with _stop_signals_return():
            server.run()
    finally:
        engine.dispose()


@contextmanager
def _stop_signals_return() -> Iterator[None]:
    """uvicorn shuts down gracefully on SIGTERM/SIGINT, then raises the signal again for the
    handlers it found: with these no-op handlers the process ends normally (exit code 0)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stops = (signal.SIGTERM, signal.SIGINT)
    previous = {sig: signal.signal(sig, lambda _sig, _frame: None) for sig in stops}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def serving(
    engine: Engine, blob_dir: str | os.PathLike[str], timeout: float = 30.0
) -> Iterator[str]:
    """The app served by uvicorn in a background thread on a free port of 127.0.0.1, for tests,
    screenshots and benchmarks: yields its base URL, stops the server on exit."""
    config = uvicorn.Config(
        create_app(engine, blob_dir),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="off",
        ws="none",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    waited = threading.Event()
    for _ in range(int(timeout / 0.02)):
        if server.started or not thread.is_alive():
            break
        waited.wait(0.02)
    if not server.started:
        server.should_exit = True
        raise RuntimeError("uvicorn did not start")
    try:
        yield f"http://127.0.0.1:{bound_port(server)}"
    finally:
        server.should_exit = True
        thread.join(10)


def bound_port(server: uvicorn.Server) -> int:
    """The port a started server listens on (the one the OS picked when asked for port 0)."""
    port: int = server.servers[0].sockets[0].getsockname()[1]
    return port


def _open_when_started(server: uvicorn.Server, host: str) -> None:
    for _ in range(600):
        if server.started:
            webbrowser.open(f"http://{host}:{bound_port(server)}/")
            return
        threading.Event().wait(0.05)
