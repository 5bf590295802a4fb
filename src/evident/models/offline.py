"""The offline backend: no model and no network.

Tasks check ``backend.offline`` and answer with their own deterministic engine; a call to
:meth:`OfflineBackend.generate` therefore means a task has no offline engine.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

from evident.errors import ConfigError
from evident.models.base import Generation, GenerationRequest

__all__ = ["OfflineBackend", "create"]

T = TypeVar("T", bound=BaseModel)


class OfflineBackend:
    """Stands for "no model": tasks use their extractive offline engine."""

    name = "offline"
    offline = True
    local = True

    def __init__(self, spec: str = "offline") -> None:
        self.spec = spec
        self.model = "offline"

    def generate(self, request: GenerationRequest[T]) -> Generation[T]:
        """Always fails: the offline engine lives in each task."""
        raise ConfigError("the offline backend cannot generate text; this task needs a model")


def create(target: str, spec: str) -> OfflineBackend:
    """Entry-point factory for ``offline``."""
    if target:
        raise ConfigError("the offline backend takes no model name (use '-m offline')")
    return OfflineBackend(spec)
