"""The chart task on the server: a pasted FHIR Bundle becomes the run's source.

Registered through the ``evident.server_tasks`` entry point, so ``POST /api/runs`` with
``{"task": "chart", "text": "<Bundle JSON>", "options": {"as_of": "2024-06-01"}}`` runs it
and the review page shows the record's resources as the evidence side.
"""

from __future__ import annotations

from typing import Any

from evident.errors import InputError
from evident.server.tasks import TaskAdapter, TaskInput
from evident.types import Source

__all__ = ["ADAPTER"]

_ALLOWED = {"as_of"}


def _build(inp: TaskInput) -> tuple[list[Source], dict[str, Any]]:
    from evident.sources import parse_fhir

    if inp.demo:
        raise InputError("the chart has no demo record; paste a FHIR Bundle")
    if not inp.text or not inp.text.strip():
        raise InputError("the FHIR Bundle is empty")
    unknown = set(inp.options) - _ALLOWED
    if unknown:
        raise InputError(f"unknown chart option '{sorted(unknown)[0]}'")
    return [parse_fhir(inp.text, "bundle.json")], dict(inp.options)


ADAPTER = TaskAdapter(
    name="chart",
    title="Chart summary of a FHIR record",
    build=_build,
    input_label="FHIR Bundle (JSON)",
    document="summary",
    sign_label="Sign summary",
)
