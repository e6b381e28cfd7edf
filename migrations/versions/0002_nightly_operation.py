"""nightly operation: revisit schedule, edit bounds, post events, run health, board locks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:47:09.862061
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "board_locks",
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["board_id"],
            ["boards.id"],
            name=op.f("fk_board_locks_board_id_boards"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("board_id", name=op.f("pk_board_locks")),
    )
    op.create_table(
        "post_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "deleted",
                "restored",
                "pinned",
                "unpinned",
                "secret_on",
                "secret_off",
                name="event_kind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_post_events_post_id_posts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["crawl_runs.id"],
            name=op.f("fk_post_events_run_id_crawl_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_events")),
    )
    with op.batch_alter_table("post_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_post_events_post_id"), ["post_id", "at"], unique=False)

    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "mode",
                sa.Enum("full", "incremental", name="run_mode", native_enum=False, length=16),
                server_default="full",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("requests", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("edited_posts", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("restored_posts", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "health",
                sa.Enum("ok", "suspect", "failed", name="run_health", native_enum=False, length=16),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("health_notes", sa.JSON(), nullable=True))

    with op.batch_alter_table("post_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_seen_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_checked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("next_check_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("checks", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("changes", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("unchanged_streak", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("list_signature", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_posts_board_id"), ["board_id", "next_check_at"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posts_board_id"))
        batch_op.drop_column("list_signature")
        batch_op.drop_column("unchanged_streak")
        batch_op.drop_column("changes")
        batch_op.drop_column("checks")
        batch_op.drop_column("next_check_at")
        batch_op.drop_column("last_checked_at")

    with op.batch_alter_table("post_versions", schema=None) as batch_op:
        batch_op.drop_column("prev_seen_at")

    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("health_notes")
        batch_op.drop_column("health")
        batch_op.drop_column("restored_posts")
        batch_op.drop_column("edited_posts")
        batch_op.drop_column("requests")
        batch_op.drop_column("mode")

    with op.batch_alter_table("post_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_post_events_post_id"))

    op.drop_table("post_events")
    op.drop_table("board_locks")
