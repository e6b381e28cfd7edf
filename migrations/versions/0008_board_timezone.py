"""boards.timezone: the zone a board shows its times in, for the read side

The web UI, the CLI's tables and the notifications read only the database, and showed every
time in Asia/Seoul whatever the board's ``timezone`` in ``boards.toml``. The crawl now writes the
board's zone into its row (as it does ``url`` and ``engine``), and times of its posts, versions
and runs are shown in it. Existing boards get Asia/Seoul, the default they were crawled with;
their next crawl writes the configured zone.

``boards`` is altered in place, as ``posts`` was in 0007 (SQLite 3.35+ drops a column without
copying the table): the tables that refer to it keep their foreign keys untouched.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("boards", recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("timezone", sa.String(length=64), server_default="Asia/Seoul", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("boards", recreate="never") as batch_op:
        batch_op.drop_column("timezone")
