"""The audit record of a synthesis: the budget spent, never the data.

A synthesis is recorded as a run of the task ``synth_table`` with no sources and an
empty draft: its parameters carry the privacy budget (ε, δ, mechanism, preprocessing
share), the rows in and out and the columns kept and dropped; its input digest is the
SHA-256 of the input file, so the trail says which table was released at which budget.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from evident.synthetic.table import Budget
from evident.types import Draft, ModelInfo, Report, Run

__all__ = ["TASK", "budget_run", "file_digest"]

TASK = "synth_table"
VERSION = "synth/1"


def file_digest(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def budget_run(budget: Budget, digest: str, seed: int) -> Run:
    """The run that records one synthesis in the audit trail."""
    model = ModelInfo(
        spec=f"smartnoise:{budget.mechanism}",
        backend="smartnoise-synth",
        name=budget.mechanism,
        offline=True,
    )
    return Run(
        id=uuid.uuid4().hex,
        task=TASK,
        sources=(),
        draft=Draft(task=TASK, sections=(), model=model, prompt_version=VERSION),
        report=Report(verdicts=()),
        model=model,
        prompt_version=VERSION,
        params={"privacy_budget": budget.as_dict(), "seed": seed},
        timings_ms={"synthesize": budget.seconds * 1000},
        input_digest=digest,
    )
