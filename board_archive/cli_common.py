"""What every ``board-archive`` command shares: the terminal's two streams, the ``--config``
option, failing with an exit code, and opening the configuration and the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from archive import queries
from archive.config import Config, ConfigError, load_config
from archive.db import SchemaError, check_schema, make_engine

console = Console()
err = Console(stderr=True)

ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help="Board configuration file [env BOARD_ARCHIVE_CONFIG; ./boards.toml]"
    ),
]


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def opened(config: Path | None, *, need_schema: bool = True) -> Iterator[tuple[Config, Engine]]:
    """Load the configuration and open the database, turning known failures into exit codes."""
    try:
        cfg = load_config(config)
    except ConfigError as exc:
        fail(str(exc), 2)
    engine = make_engine(cfg.database_url)
    try:
        if need_schema:
            check_schema(engine)
        yield cfg, engine
    except SchemaError as exc:
        fail(str(exc))
    except queries.NotInArchive as exc:
        fail(str(exc))
    except OperationalError as exc:
        fail(f"database {engine.url.render_as_string(hide_password=True)}: {exc.orig}")
    finally:
        engine.dispose()
