"""files: the blob index, the attachments and body images of each version, file counts on runs

``blobs`` lists every file in the blob store (by SHA-256; the bytes are on disk under
``blob_dir``); ``version_files`` holds each version's attachments and body images as the page
showed them, with the file's SHA-256 once it is stored. Versions archived before this revision
get their rows when their post is next fetched.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 13:32:41.457373
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=True),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blobs")),
    )
    op.create_table(
        "version_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("attachment", "image", name="file_kind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.String(length=40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("size_text", sa.String(length=32), nullable=True),
        sa.Column("uploaded_at", sa.String(length=32), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "stored",
                "skipped",
                "failed",
                "refused",
                name="file_status",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["sha256"], ["blobs.sha256"], name=op.f("fk_version_files_sha256_blobs")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["post_versions.id"],
            name=op.f("fk_version_files_version_id_post_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_version_files")),
        sa.UniqueConstraint(
            "version_id", "kind", "position", name=op.f("uq_version_files_version_id_kind_position")
        ),
    )
    with op.batch_alter_table("version_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_version_files_entry_key"), ["entry_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_version_files_sha256"), ["sha256"], unique=False)

    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("files_downloaded", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("bytes_downloaded", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("files_skipped", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("files_skipped")
        batch_op.drop_column("bytes_downloaded")
        batch_op.drop_column("files_downloaded")

    with op.batch_alter_table("version_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_version_files_sha256"))
        batch_op.drop_index(batch_op.f("ix_version_files_entry_key"))

    op.drop_table("version_files")
    op.drop_table("blobs")
