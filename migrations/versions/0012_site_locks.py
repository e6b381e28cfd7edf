"""site_locks; crawl_runs.worker

Two boards on one site (host and port) are no longer crawled at once, by any two processes or
machines sharing the archive: the crawl of a board takes its site's turn (``site_locks``, kept
alive with the board lock's heartbeat). A run records who ran it (``crawl_runs.worker``: the
fleet worker's name, or the machine's); runs recorded before have none.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "site_locks",
        sa.Column("site", sa.String(length=300), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["board_id"],
            ["boards.id"],
            name=op.f("fk_site_locks_board_id_boards"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("site", name=op.f("pk_site_locks")),
    )
    with op.batch_alter_table("crawl_runs", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("worker", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch_op:
        batch_op.drop_column("worker")
    op.drop_table("site_locks")
