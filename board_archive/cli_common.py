"""What every ``board-archive`` command shares: the terminal's two streams, the ``--config``
option, failing with an exit code, and opening the configuration and the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import tzinfo
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from archive import queries
from archive.config import Config, ConfigError, load_config
from archive.db import SchemaError, check_schema, make_engine
from archive.localtime import format_local
from archive.models import Post, PostState

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


def state_note(post: Post, tz: tzinfo) -> str | None:
    """What a post's state means for what the archive holds of it (deleted, secret), or None."""
    if post.state == PostState.DELETED:
        return (
            f"post {post.source_id} was deleted from the board (found gone "
            f"{format_local(post.deleted_at, tz)}); its {post.current_version} archived "
            "version(s) are kept"
        )
    if post.state == PostState.SECRET and post.current_version == 0:
        return (
            f"post {post.source_id} is secret (비밀글): the board shows its content only to its "
            "author, so the archive holds its title and list details, no version or files"
        )
    if post.state == PostState.SECRET:
        return (
            f"post {post.source_id} is secret now (비밀글): its versions from when it was "
            "public are kept"
        )
    return None
