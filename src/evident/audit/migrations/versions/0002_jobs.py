"""Create the durable queue of accepted runs (``evident_jobs``).

Revision ID: 0002_jobs
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_jobs"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``evident_jobs``: one row per accepted run, kept after it ends."""
    op.create_table(
        "evident_jobs",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("task", sa.String(100), nullable=False),
        sa.Column("model", sa.String(500), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("request", sa.Text),
        sa.Column("submitted_at", sa.Float, nullable=False),
        sa.Column("started_at", sa.Float),
        sa.Column("finished_at", sa.Float),
        sa.Column("lease_owner", sa.String(200)),
        sa.Column("lease_until", sa.Float),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("error_class", sa.String(100)),
        sa.Column("error_stage", sa.String(32)),
        sa.Column("error", sa.String(300)),
        sa.Column("error_status", sa.Integer),
    )
    op.create_index("ix_evident_jobs_status", "evident_jobs", ["status", "submitted_at"])
    op.create_index("ix_evident_jobs_user_status", "evident_jobs", ["user_name", "status"])


def downgrade() -> None:
    """Drop the queue."""
    op.drop_index("ix_evident_jobs_user_status", "evident_jobs")
    op.drop_index("ix_evident_jobs_status", "evident_jobs")
    op.drop_table("evident_jobs")
