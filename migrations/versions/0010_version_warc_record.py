"""post_versions.warc_file, warc_offset, warc_length: where a version's response is in WARC

Every fetch of a crawl is now written as WARC records (``crawler/warc.py``). A version points
at the record of the response it was read from: the file's name in the board's WARC folder,
the offset and the length of the record's gzip member. Versions archived before have none
(their raw page stays in ``raw_page``).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 19:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("warc_file", "warc_offset", "warc_length")


def upgrade() -> None:
    with op.batch_alter_table("post_versions", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("warc_file", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("warc_offset", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("warc_length", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("post_versions", recreate="never") as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
