"""The web UI and JSON API over the archive: read-only, served by uvicorn.

``archive.web.app.create_app(engine, blob_dir, timezone)`` builds the FastAPI application;
``serve(cfg, host, port)`` there runs it (the ``board-archive serve`` command, in
``board_archive.cli_web``).
"""
