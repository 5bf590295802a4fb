"""Add the keyed MAC of each chain record (``audit_records.mac``).

Revision ID: 0003_mac
Revises: 0002_jobs
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_mac"
down_revision = "0002_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Records written with an audit key carry ``HMAC(key, seq, hash)``; others NULL."""
    with op.batch_alter_table("audit_records") as batch:
        batch.add_column(sa.Column("mac", sa.String(64), nullable=True))


def downgrade() -> None:
    """Drop the MAC column."""
    with op.batch_alter_table("audit_records") as batch:
        batch.drop_column("mac")
