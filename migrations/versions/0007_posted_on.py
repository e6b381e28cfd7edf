"""posted_on: the posting day a post's list row shows

A secret post (비밀글) has no view page to read a posting time from, only its list row's date.
The revisit policy aged such posts from when they were first seen, so after a first full crawl
every old secret post counted as new and was re-checked every night for a week. ``posted_on``
keeps the list row's date (Asia/Seoul), and the policy ages a post by it when ``posted_at`` is
unknown. Existing secret posts get it on their next list row.

Both steps alter ``posts`` in place (SQLite 3.35+ drops a column without copying the table): a
copy would drop the search index's trigger on ``posts`` (0004).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("posts", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("posted_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("posts", recreate="never") as batch_op:
        batch_op.drop_column("posted_on")
