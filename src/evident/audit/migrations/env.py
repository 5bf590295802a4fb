"""Alembic environment: runs migrations on the connection the audit store hands over."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the store runs these migrations
    raise RuntimeError("evident's audit migrations run through evident.audit.open_store")

context.configure(connection=connection, version_table="audit_alembic_version")
with context.begin_transaction():
    context.run_migrations()
