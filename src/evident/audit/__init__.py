"""Audit stage: an append-only, hash-chained record of runs and clinician actions."""

from evident.audit.hooks import AuditHook, NoAudit

__all__ = ["AuditHook", "NoAudit"]
