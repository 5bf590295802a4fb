"""The audit stage's interface to the pipeline: something that records runs."""

from __future__ import annotations

from typing import Protocol

from evident.types import Run

__all__ = ["AuditHook", "NoAudit"]


class AuditHook(Protocol):
    """Records a finished run (append-only)."""

    def record_run(self, run: Run) -> None:
        """Append the run to the trail."""
        ...


class NoAudit:
    """A hook that records nothing."""

    def record_run(self, run: Run) -> None:
        return None
