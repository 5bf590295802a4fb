"""The task protocol: one module per clinical task, registered as a plugin."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

from evident.errors import ConfigError
from evident.models.base import Backend
from evident.types import Draft, Report, Source, Usage

__all__ = ["CheckingTask", "Task", "available_tasks", "load_task"]

GROUP = "evident.tasks"


@runtime_checkable
class Task(Protocol):
    """A clinical task: sources in, a grounded draft out.

    Attributes:
        name: Registered name (``scribe``).
        prompt_version: Version of the prompt, recorded with every run (``scribe/1.0``).

    A task may also set ``text_options`` (a tuple of option names): free text in those
    options reaches the model, so the pipeline protects it like the sources.
    """

    name: str
    prompt_version: str

    def draft(
        self, sources: Sequence[Source], backend: Backend, options: Mapping[str, Any]
    ) -> tuple[Draft, Usage]:
        """Write the draft, citing segment ids of ``sources``.

        With ``backend.offline`` the task uses its deterministic offline engine.
        """
        ...


class CheckingTask(Task, Protocol):
    """A task with checks of its own beyond the verify stage (optional).

    The pipeline calls :meth:`check` after :func:`evident.verify.verify`, before the run
    is recorded, so the task's findings are part of the audited report.
    """

    def check(
        self,
        draft: Draft,
        sources: Sequence[Source],
        report: Report,
        options: Mapping[str, Any],
    ) -> Report:
        """Return the report with the task's own findings, verdicts or metrics added."""
        ...


@cache
def _entries() -> dict[str, object]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def available_tasks() -> list[str]:
    """Names of all registered tasks, sorted."""
    return sorted(_entries())


def load_task(name: str) -> Task:
    """Instantiate the task registered under ``name``.

    Raises:
        ConfigError: No task of that name is registered.
    """
    ep = _entries().get(name)
    if ep is None:
        known = ", ".join(available_tasks()) or "none"
        raise ConfigError(f"unknown task '{name}' (known: {known})")
    factory = ep.load()  # type: ignore[attr-defined]
    task: Task = factory()
    return task
