"""A fallback chain: ``openai:gpt-4o,ollama:llama3.1`` tries each backend in order.

The next backend is tried when one raises :class:`~evident.errors.BackendError`, and
that includes :class:`~evident.errors.OutputError`: a model that cannot produce valid
output even after its repair attempt is as useless to the task as one that is down, and
another model may well succeed. Configuration errors (:class:`~evident.errors.ConfigError`)
are not retried: they need the user's attention. The chain's ``local`` is true only
when every member is local, so the privacy policy treats a chain that may reach a remote
model as remote.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from types import TracebackType
from typing import Any, Self, TypeVar

from pydantic import BaseModel

from evident.errors import BackendError, ConfigError, OutputError
from evident.models.base import Backend, Generation, GenerationRequest
from evident.types import Usage

__all__ = ["FallbackBackend"]

logger = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)


class FallbackBackend:
    """Try several backends in order until one answers.

    Attributes:
        spec: The comma-separated spec.
        name: ``fallback``.
        model: The first member's model name (``Generation.model`` names who answered).
        backends: The members, in order.
        offline: Always False (``offline`` cannot be part of a chain).
        local: True when every member is local.
        fallback_on_output_error: Whether an :class:`OutputError` moves to the next member.
    """

    name = "fallback"
    offline = False

    def __init__(
        self, spec: str, backends: Sequence[Backend], *, fallback_on_output_error: bool = True
    ) -> None:
        """Build the chain.

        Raises:
            ConfigError: Fewer than two members, or an offline member.
        """
        if len(backends) < 2:
            raise ConfigError(f"fallback spec '{spec}' needs at least two backends")
        if any(b.offline for b in backends):
            raise ConfigError(
                f"fallback spec '{spec}': 'offline' cannot be part of a chain "
                "(run the task again with -m offline instead)"
            )
        self.spec = spec
        self.backends = tuple(backends)
        self.model = self.backends[0].model
        self.local = all(b.local for b in self.backends)
        self.fallback_on_output_error = fallback_on_output_error

    def __repr__(self) -> str:
        return f"FallbackBackend(spec={self.spec!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close every member that has a ``close()`` method (plugins need not have one).

        Every member is closed even when one fails; the first failure is then re-raised.
        """
        first: Exception | None = None
        for backend in self.backends:
            close = getattr(backend, "close", None)
            if not callable(close):
                continue
            try:
                close()
            except Exception as exc:  # close the rest, then re-raise
                first = first or exc
        if first is not None:
            raise first

    def generate(self, request: GenerationRequest[T]) -> Generation[T]:
        """Ask each backend in turn; return the first answer.

        Raises:
            BackendError: Every member failed; the message lists each failure. It is an
                :class:`OutputError` when every member failed that way.
        """
        attempts: list[dict[str, Any]] = []
        usage = Usage()
        failures: list[tuple[Backend, BackendError]] = []
        for index, backend in enumerate(self.backends):
            try:
                result = backend.generate(request)
            except BackendError as exc:
                attempts.extend(getattr(exc, "attempts", ()) or [_summary(backend, exc)])
                usage = usage + getattr(exc, "usage", Usage())
                failures.append((backend, exc))
                if isinstance(exc, OutputError) and not self.fallback_on_output_error:
                    break
                if index + 1 < len(self.backends):
                    nxt = self.backends[index + 1]
                    logger.warning(
                        "backend %s:%s failed (%s); falling back to %s:%s",
                        backend.name,
                        backend.model,
                        type(exc).__name__,
                        nxt.name,
                        nxt.model,
                    )
                continue
            return replace(
                result,
                usage=usage + result.usage,
                attempts=(*attempts, *(result.attempts or [_summary(backend, None)])),
            )
        raise self._failure(failures, attempts, usage)

    def _failure(
        self,
        failures: list[tuple[Backend, BackendError]],
        attempts: list[dict[str, Any]],
        usage: Usage,
    ) -> BackendError:
        listing = "; ".join(f"[{b.name}:{b.model}] {exc}" for b, exc in failures)
        cls = OutputError if all(isinstance(e, OutputError) for _, e in failures) else BackendError
        error = cls(f"fallback chain failed ({len(failures)} tried): {listing}")
        error.attempts = tuple(attempts)  # type: ignore[attr-defined]
        error.usage = usage  # type: ignore[attr-defined]
        return error


def _summary(backend: Backend, exc: BackendError | None) -> dict[str, Any]:
    """An attempt record for a backend that keeps no attempt log of its own."""
    return {
        "backend": backend.name,
        "model": backend.model,
        "status": None if exc else 200,
        "error": type(exc).__name__ if exc else None,
    }
