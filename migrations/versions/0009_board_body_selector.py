"""boards.body_selector: the body container a crawl found by comparing view pages

On a GnuBoard skin that names no body container (no ``#bo_v_con``) and a board whose config
sets no ``view_body``, the crawl finds the container by comparing view pages. It was found
anew in every run: an incremental run that fetched one new post fetched other posts only to
compare with, and a container chosen differently from other pages would have read as an edit
of every post. The container found is now kept on the board's row and read by every later run;
one that no longer matches is found again. Existing boards have none: their next run finds it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("boards", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("body_selector", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("boards", recreate="never") as batch_op:
        batch_op.drop_column("body_selector")
