"""Audit stage: an append-only, hash-chained record of runs and clinician actions.

Usage::

    from evident.audit import open_store

    with open_store() as store:             # $EVIDENT_DB_URL or ~/.evident/audit.sqlite3
        store.record_run(run, user="dr.a")
        store.record_action(run.id, user="dr.a", statement_id="st1", action="accept")
        assert store.verify_chain().ok

The store (SQLAlchemy, Alembic) is imported on first use, so importing this package
stays cheap for the pipeline and the CLI.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from evident.audit.hooks import AuditHook, NoAudit
from evident.audit.records import (
    ActionRecord,
    ChainProblem,
    ChainReport,
    PatientInfo,
    RunChangedError,
    RunNotFound,
    RunSignedError,
    RunSummary,
    StatementState,
    StoredRun,
    omission_ids,
)

if TYPE_CHECKING:
    from evident.audit.metrics import MetricsRow, MetricsTable
    from evident.audit.store import AuditStore, open_store

__all__ = [
    "ActionRecord",
    "AuditHook",
    "AuditStore",
    "ChainProblem",
    "ChainReport",
    "MetricsRow",
    "MetricsTable",
    "NoAudit",
    "PatientInfo",
    "RunChangedError",
    "RunNotFound",
    "RunSignedError",
    "RunSummary",
    "StatementState",
    "StoredRun",
    "omission_ids",
    "open_store",
]

_LAZY = {
    "AuditStore": "evident.audit.store",
    "open_store": "evident.audit.store",
    "MetricsRow": "evident.audit.metrics",
    "MetricsTable": "evident.audit.metrics",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'evident.audit' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
