"""The audit tables, as SQLAlchemy Core objects (migrations create them; see migrations/)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Text

from evident.errors import InputError

__all__ = ["HEAD_ID", "check_sizes", "head", "metadata", "records"]

HEAD_ID = 1

metadata = MetaData()

# One append-only chain of records; the indexed columns are copies of payload fields
# (verification checks they agree with the payload).
records = Table(
    "audit_records",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(16), nullable=False),
    Column("run_id", String(64), nullable=False, index=True),
    Column("user_name", String(200), nullable=False),
    Column("task", String(100)),
    Column("model", String(500)),
    Column("action", String(16)),
    Column("created_at", String(40), nullable=False, index=True),
    Column("summary", Text),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# A single row naming the last record written; appends lock it so the chain never forks.
head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)


def check_sizes(**values: str) -> None:
    """Refuse values longer than their indexed column (PostgreSQL would reject them)."""
    for name, value in values.items():
        limit = getattr(records.c["user_name" if name == "user" else name].type, "length", 0)
        if not value or len(value) > limit:
            raise InputError(f"{name} must be 1 to {limit} characters (got {len(value)})")
