"""Runs built from evident.types with chosen verdicts (synthetic text, no real PHI)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from evident.types import (
    Draft,
    ModelInfo,
    Omission,
    Report,
    Run,
    Section,
    Segment,
    Source,
    Statement,
    Usage,
    Verdict,
)

TRANSCRIPT = "Doctor: Any chest pain?\nPatient: No chest pain. I take lisinopril 10 mg daily.\n"


def make_source() -> Source:
    first = "Any chest pain?"
    second = "No chest pain. I take lisinopril 10 mg daily."
    start2 = TRANSCRIPT.index(second)
    return Source(
        id="visit",
        kind="transcript",
        text=TRANSCRIPT,
        segments=(
            Segment(
                id="u1", text=first, start=8, end=8 + len(first), speaker="doctor", kind="utterance"
            ),
            Segment(
                id="u2",
                text=second,
                start=start2,
                end=start2 + len(second),
                speaker="patient",
                kind="utterance",
            ),
        ),
    )


def make_run(
    labels: Sequence[str] = ("supported", "unsupported"),
    *,
    task: str = "scribe",
    spec: str = "offline",
    created_at: datetime | None = None,
    latency_ms: float = 100.0,
    omissions: int = 0,
    run_id: str | None = None,
) -> Run:
    """A run whose draft has one statement per label, judged with that label."""
    statements = tuple(
        Statement(
            id=f"st{i + 1}", text=f"Statement number {i + 1}.", section="Plan", citations=("u2",)
        )
        for i in range(len(labels))
    )
    model = ModelInfo(spec=spec, backend=spec.split(":")[0], name=spec, offline=spec == "offline")
    draft = Draft(
        task=task,
        sections=(Section(name="Plan", statements=statements),),
        model=model,
        prompt_version=f"{task}/1.0",
    )
    report = Report(
        verdicts=tuple(
            Verdict(statement_id=st.id, label=lab, evidence=("u2",), reason="test")  # type: ignore[arg-type]
            for st, lab in zip(statements, labels, strict=True)
        ),
        omissions=tuple(
            Omission(segment="u2", text="lisinopril 10 mg", kind="medication", importance=0.9)
            for _ in range(omissions)
        ),
    )
    return Run(
        id=run_id or uuid.uuid4().hex,
        task=task,
        created_at=created_at or datetime(2026, 11, 18, 9, 0, tzinfo=UTC),
        sources=(make_source(),),
        draft=draft,
        report=report,
        model=model,
        prompt_version=f"{task}/1.0",
        params={"sections": ["Plan"], "temperature": 0.0},
        timings_ms={"generate": latency_ms * 0.8, "verify": latency_ms * 0.2},
        usage=Usage(input_tokens=120, output_tokens=40, latency_ms=latency_ms * 0.8, calls=1),
        privacy={"policy": "none", "protected": False},
        input_digest="ab" * 32,
    )
