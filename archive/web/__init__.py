"""The web UI and JSON API over the archive: read-only, served by uvicorn.

``create_app(engine, blob_dir)`` builds the FastAPI application; ``serve(cfg, host, port)`` runs
it (the ``board-archive serve`` command, in ``board_archive.cli_web``).
"""

from archive.web.app import create_app, serve

__all__ = ["create_app", "serve"]
