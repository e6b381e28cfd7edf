"""site_visits

When the last crawl of a site left it: the next board's crawl of the same site waits out its
delay from then before its first request (two boards of one site crawled back to back). Sites
not crawled since have none.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 22:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "site_visits",
        sa.Column("site", sa.String(length=300), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("site", name=op.f("pk_site_visits")),
    )


def downgrade() -> None:
    op.drop_table("site_visits")
