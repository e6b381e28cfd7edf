"""The Alembic migrations and the models agree, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from archive.db import check_schema, current_revision, downgrade, head_revision, upgrade
from archive.models import Base


def _modelled(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Leave out the search index (migration 0004), as migrations/env.py does."""
    if type_ == "table" and reflected and compare_to is None and name:
        return not name.startswith("post_search")
    return True


def test_upgrade_head_gives_exactly_the_models_schema(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": _modelled}
        )
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []
    check_schema(engine)


def test_downgrade_to_base_and_up_again(engine: Engine) -> None:
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert {"boards", "posts", "post_versions", "observations", "crawl_runs"} <= set(
        inspect(engine).get_table_names()
    )
