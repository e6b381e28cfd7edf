"""posts.views_seen, views_seen_at, views_own, reader_views, expected_views; boards.view_signal

The revisit policy reads the view counts of the list rows an incremental run walks
(``archive/revisit_signals.py``): a post whose views jumped beyond its own usual rate is worth a
check. A post keeps the count its row showed when last seen, the crawler's own fetches since,
and its reader views so far against what the board's reader curve expected; a board keeps what
its checks after a jump found (``view_signal``). Posts archived before start with none.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 02:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POST_COLUMNS = ("views_seen", "views_seen_at", "views_own", "reader_views", "expected_views")


def upgrade() -> None:
    with op.batch_alter_table("posts", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("views_seen", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("views_seen_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("views_own", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("reader_views", sa.Double(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("expected_views", sa.Double(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("boards", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("view_signal", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("boards", recreate="never") as batch_op:
        batch_op.drop_column("view_signal")
    with op.batch_alter_table("posts", recreate="never") as batch_op:
        for name in reversed(POST_COLUMNS):
            batch_op.drop_column(name)
