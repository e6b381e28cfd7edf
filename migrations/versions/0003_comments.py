"""comments and their versions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 13:11:29.832417
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("secret", sa.Boolean(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("current_hash", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_comments_post_id_posts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
        sa.UniqueConstraint("post_id", "source_id", name=op.f("uq_comments_post_id_source_id")),
    )
    op.create_table(
        "comment_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prev_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("secret", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_comment_versions_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["crawl_runs.id"],
            name=op.f("fk_comment_versions_run_id_crawl_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_versions")),
        sa.UniqueConstraint(
            "comment_id", "number", name=op.f("uq_comment_versions_comment_id_number")
        ),
    )
    with op.batch_alter_table("comment_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comment_versions_run_id"), ["run_id"], unique=False)

    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("new_comments", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("edited_comments", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("deleted_comments", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:

    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("deleted_comments")
        batch_op.drop_column("edited_comments")
        batch_op.drop_column("new_comments")

    with op.batch_alter_table("comment_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comment_versions_run_id"))

    op.drop_table("comment_versions")
    op.drop_table("comments")
