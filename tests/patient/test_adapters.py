"""The patient tasks on the server: listed as their own task types, built from a request."""

from __future__ import annotations

import pytest

from evident.errors import InputError
from evident.models.offline import OfflineBackend
from evident.pipeline import run_task
from evident.server.tasks import TaskInput, task_adapter, task_adapters

from .conftest import NOTE


@pytest.mark.parametrize("name", ["triage", "patient_message", "patient_summary"])
def test_listed(name: str) -> None:
    assert name in task_adapters()
    assert task_adapter(name).load().name == name


@pytest.mark.parametrize(
    ("name", "inp", "n_sources"),
    [
        ("triage", TaskInput(text="I cant breathe"), 1),
        ("patient_message", TaskInput(text="Is meloxicam ok?", options={"note": NOTE}), 2),
        ("patient_message", TaskInput(text="Is meloxicam ok?"), 1),
        ("patient_summary", TaskInput(text=NOTE, options={"target_grade": 5}), 1),
    ],
)
def test_build_and_run(name: str, inp: TaskInput, n_sources: int) -> None:
    adapter = task_adapter(name)
    sources, options = adapter.build(inp)
    assert len(sources) == n_sources and "note" not in options
    run = run_task(adapter.load(), sources, OfflineBackend(), options)
    assert run.draft.statements and len(run.report.verdicts) == len(run.draft.statements)


@pytest.mark.parametrize(
    ("name", "inp"),
    [
        ("triage", TaskInput(text=" ")),
        ("triage", TaskInput(demo="knee_visit")),
        ("patient_summary", TaskInput(text=NOTE, options={"x": 1})),
    ],
)
def test_bad_requests(name: str, inp: TaskInput) -> None:
    with pytest.raises(InputError):
        task_adapter(name).build(inp)
