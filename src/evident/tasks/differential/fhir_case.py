"""A FHIR record read as a case: its clinical statements, not its bookkeeping.

The sources stage renders each resource as a line ("Condition: Chest pain; status active;
onset 2020-05-01.", "Claim: institutional; status active; date 2020-05-01."). Read whole,
those lines hand the case reader words that are no findings: the renderer's field labels
("status", "date", "born", "gender") and administrative resources (claims, encounters,
organisations). :func:`read_sources` keeps the source text, so every quote stays an exact
substring cited by resource id, but keeps only the mentions inside the first field of a
clinical resource's line (its name and value), drops conditions the record calls
resolved or inactive and measurements (an observation with a unit or components: "Body
Mass Index 28 kg/m2" names no finding, and its value needs a reference range), and takes
age and sex from the Patient resource: the age at the record's latest date.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from evident.tasks.differential.case import Case, read_case
from evident.tasks.differential.terms import Mention
from evident.types import Segment, Source

__all__ = ["CLINICAL_RESOURCES", "case_text", "read_sources"]

#: Resource types whose first field states something about the patient's health.
CLINICAL_RESOURCES = frozenset(
    {
        "AllergyIntolerance",
        "Condition",
        "DiagnosticReport",
        "FamilyMemberHistory",
        "MedicationRequest",
        "MedicationStatement",
        "Observation",
        "Procedure",
    }
)
#: Condition statuses (clinical or verification) that are no current problem.
_NOT_CURRENT = frozenset({"resolved", "inactive", "remission", "refuted", "entered-in-error"})
_JOIN = "\n\n"


def case_text(sources: Sequence[Source]) -> str:
    """The case the quotes come from: the sources' texts, joined by a blank line."""
    return _JOIN.join(src.text for src in sources)


def read_sources(sources: Sequence[Source]) -> Case:
    """Read the sources as one case; FHIR sources only through their clinical content."""
    text = case_text(sources)
    case = read_case(text)
    if not any(src.kind == "fhir" for src in sources):
        return case
    spans: list[tuple[int, int]] = []
    dates: list[str] = []
    birth, gender = "", ""
    offset = 0
    for src in sources:
        if src.kind != "fhir":
            spans.append((offset, offset + len(src.text)))
        for seg in src.segments if src.kind == "fhir" else ():
            meta = seg.meta or {}
            if meta.get("resource_type") == "Patient":
                birth, gender = str(meta.get("date", "")), str(meta.get("gender", ""))
            elif meta.get("date"):
                dates.append(str(meta["date"])[:10])
            if (span := _content(seg)) is not None:
                spans.append((offset + span[0], offset + span[1]))
        offset += len(src.text) + len(_JOIN)
    return _within(case, spans, _age_at(birth, max(dates, default="")), gender)


def _content(seg: Segment) -> tuple[int, int] | None:
    """Where a clinical resource's first field lies in the text ("Chest pain" of
    "Condition: Chest pain; status active; ..."), None for other resources and for
    conditions that are no current problem."""
    meta = seg.meta or {}
    kind = meta.get("resource_type")
    if kind not in CLINICAL_RESOURCES:
        return None
    statuses = {str(meta.get("status", "")).lower(), str(meta.get("verification", "")).lower()}
    if kind == "Condition" and statuses & _NOT_CURRENT:
        return None
    if kind == "Observation" and (meta.get("unit") or meta.get("components")):
        return None  # a measurement ("Body Mass Index 28 kg/m2"): its name is no finding
    head = seg.text.split("; ")[0].rstrip(".")
    start = head.find(": ") + 2 if ": " in head else len(head)
    return (seg.start + start, seg.start + len(head)) if start < len(head) else None


def _within(case: Case, spans: list[tuple[int, int]], age: float | None, sex: str) -> Case:
    starts = [a for a, _ in spans]  # in text order, apart: the span a mention may lie in

    def keep(m: Mention) -> bool:
        i = bisect.bisect_right(starts, m.start) - 1
        return i >= 0 and m.end <= spans[i][1]

    def only(found: dict[str, Mention]) -> dict[str, Mention]:
        return {t: m for t, m in found.items() if keep(m)}

    present = only(case.present)
    return replace(
        case,
        present=present,
        denied=only(case.denied),
        family=only(case.family),
        mentions=tuple(m for m in case.mentions if keep(m)),
        chief=frozenset(t for t in case.chief if t in present),
        age=case.age if case.age is not None else age,
        sex=case.sex or (sex if sex in ("female", "male") else None),
    )


def _age_at(birth: str, latest: str) -> float | None:
    """Whole years from a birth date to the record's latest date (else today)."""
    try:
        born = date.fromisoformat(birth[:10])
        now = date.fromisoformat(latest) if latest else date.today()
    except ValueError:
        return None
    years = now.year - born.year - ((now.month, now.day) < (born.month, born.day))
    return float(years) if years >= 0 else None
