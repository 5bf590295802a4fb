"""What the patient tasks share: options, drafts from items, reading grade, verification."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from evident.errors import InputError
from evident.models.base import Backend
from evident.tasks.patient.model import PatientOutput
from evident.tasks.patient.readability import grades
from evident.types import Draft, Finding, ModelInfo, Report, Section, Source, Statement

__all__ = [
    "DEFAULT_GRADE",
    "draft_of",
    "from_model",
    "grade_finding",
    "model_info",
    "target_grade",
    "verify_against",
]

#: Reading grade patient texts aim at (health-literacy guidance: grade 6).
DEFAULT_GRADE = 6.0


def target_grade(options: Mapping[str, Any], allowed: set[str]) -> float:
    """The ``target_grade`` option (default 6), after rejecting unknown options.

    Raises:
        InputError: An unknown option, or a grade outside 1-16.
    """
    unknown = set(options) - allowed - {"target_grade"}
    if unknown:
        raise InputError(f"unknown option '{sorted(unknown)[0]}'")
    try:
        grade = float(options.get("target_grade", DEFAULT_GRADE))
    except (TypeError, ValueError):
        raise InputError("option 'target_grade' must be a number") from None
    if not 1 <= grade <= 16:
        raise InputError("option 'target_grade' must be between 1 and 16")
    return grade


def model_info(backend: Backend, name: str | None = None) -> ModelInfo:
    """The draft's model record."""
    return ModelInfo(
        spec=backend.spec, backend=backend.name, name=name or backend.model, offline=backend.offline
    )


def draft_of(
    task: str,
    rows: Iterable[tuple[str, str, Sequence[str]]],
    info: ModelInfo,
    prompt_version: str,
    meta: dict[str, Any],
) -> Draft:
    """A draft from (section, text, citations) rows, sections in first-seen order."""
    sections: dict[str, list[Statement]] = {}
    n = 0
    for section, text, cites in rows:
        text = " ".join(text.split())
        if not text:
            continue
        n += 1
        st = Statement(id=f"st{n}", text=text, section=section, citations=tuple(cites))
        sections.setdefault(section, []).append(st)
    body = " ".join(st.text for sts in sections.values() for st in sts)
    meta = {**meta, "audience": "patient", "reading_grade": grades(body)}
    return Draft(
        task=task,
        sections=tuple(Section(name=k, statements=tuple(v)) for k, v in sections.items()),
        model=info,
        prompt_version=prompt_version,
        meta=meta,
    )


def from_model(
    out: PatientOutput, known: set[str], default_section: str
) -> list[tuple[str, str, list[str]]]:
    """The model's statements as rows; citations of unknown ids are dropped."""
    return [
        (s.section.strip() or default_section, s.text, [c for c in s.citations if c in known])
        for s in out.statements
    ]


def grade_finding(draft: Draft, target: float) -> Finding:
    """A ``reading_grade`` finding: both grades against the target."""
    g = draft.meta.get("reading_grade", {})
    fk, smog = g.get("flesch_kincaid"), g.get("smog")
    over = fk is not None and fk > target
    return Finding(
        kind="reading_grade",
        severity="warning" if over else "info",
        where="draft",
        message=f"Flesch-Kincaid grade {fk}, SMOG grade {smog}; target grade {target:g}"
        + ("; above the target" if over else ""),
    )


def verify_against(draft: Draft, sources: Sequence[Source], omissions: bool) -> Report:
    """The public verify stage on ``sources`` (patient-facing: reading level reported)."""
    from evident.verify import verify

    return verify(draft, sources, omissions=omissions, patient_facing=True)
