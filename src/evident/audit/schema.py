"""The audit tables, as SQLAlchemy Core objects (migrations create them; see migrations/)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, Integer, MetaData, String, Table, Text

from evident.errors import InputError

__all__ = ["HEAD_ID", "check_sizes", "head", "jobs", "metadata", "records"]

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
    # HMAC of (seq, hash) under a key kept outside the database (None without one).
    Column("mac", String(64)),
)

# A single row naming the last record written; appends lock it so the chain never forks.
head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)

# The durable queue of accepted runs (the server's); rows are kept after a run ends so a
# run id once accepted always has a status. ``request`` (sources, options) is cleared then.
jobs = Table(
    "evident_jobs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_name", String(200), nullable=False),
    Column("task", String(100), nullable=False),
    Column("model", String(500), nullable=False),
    Column("status", String(16), nullable=False),
    Column("stage", String(32), nullable=False),
    Column("request", Text),
    Column("submitted_at", Float, nullable=False),
    Column("started_at", Float),
    Column("finished_at", Float),
    Column("lease_owner", String(200)),
    Column("lease_until", Float),
    Column("attempts", Integer, nullable=False, default=0),
    Column("error_class", String(100)),
    Column("error_stage", String(32)),
    Column("error", String(300)),
    Column("error_status", Integer),
)


def check_sizes(**values: str) -> None:
    """Refuse values longer than their indexed column (PostgreSQL would reject them)."""
    for name, value in values.items():
        limit = getattr(records.c["user_name" if name == "user" else name].type, "length", 0)
        if not value or len(value) > limit:
            raise InputError(f"{name} must be 1 to {limit} characters (got {len(value)})")
