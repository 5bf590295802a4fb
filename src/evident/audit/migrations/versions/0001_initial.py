"""Create the audit chain and its head row.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``audit_records`` and ``audit_head`` (head starts at seq 0, genesis hash)."""
    op.create_table(
        "audit_records",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("task", sa.String(100)),
        sa.Column("model", sa.String(500)),
        sa.Column("action", sa.String(16)),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("summary", sa.Text),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_records_run_id", "audit_records", ["run_id"])
    op.create_index("ix_audit_records_created_at", "audit_records", ["created_at"])
    op.create_index("ix_audit_records_kind_user", "audit_records", ["kind", "user_name"])
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": "0" * 64}])


def downgrade() -> None:
    """Drop the audit tables."""
    op.drop_table("audit_head")
    op.drop_index("ix_audit_records_kind_user", "audit_records")
    op.drop_index("ix_audit_records_created_at", "audit_records")
    op.drop_index("ix_audit_records_run_id", "audit_records")
    op.drop_table("audit_records")
