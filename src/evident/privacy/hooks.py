"""The privacy stage's interface to the pipeline.

The pipeline calls :meth:`PrivacyHook.protect` on the sources before the task sees them
and :meth:`Protection.restore` on the draft before verification. :class:`NoPrivacy`
changes nothing; the pipeline's default is :class:`evident.privacy.policy.PolicyPrivacy`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from evident.models.base import Backend
from evident.types import Draft, Source

__all__ = ["NoPrivacy", "PrivacyHook", "Protection"]


class Protection(Protocol):
    """The result of protecting sources: what the task sees, and how to undo it."""

    sources: tuple[Source, ...]

    def restore(self, draft: Draft) -> Draft:
        """Replace surrogates in the draft with the original values."""
        ...

    def record(self) -> dict[str, Any]:
        """What was done, for the run record (policy, counts); never PHI values."""
        ...

    def protect_text(self, text: str) -> str:
        """Protect a free text bound for the model (a task option such as a question)."""
        ...


class PrivacyHook(Protocol):
    """Decides per backend whether and how to protect sources."""

    def protect(self, sources: Sequence[Source], backend: Backend) -> Protection:
        """Protect the sources for this backend."""
        ...


class _Unprotected:
    def __init__(self, sources: Sequence[Source]) -> None:
        self.sources = tuple(sources)

    def restore(self, draft: Draft) -> Draft:
        return draft

    def record(self) -> dict[str, Any]:
        return {"policy": "none", "protected": False}

    def protect_text(self, text: str) -> str:
        return text


class NoPrivacy:
    """A hook that changes nothing (used when privacy is explicitly disabled)."""

    def protect(self, sources: Sequence[Source], backend: Backend) -> Protection:
        return _Unprotected(sources)
