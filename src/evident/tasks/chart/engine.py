"""The offline chart engine: a deterministic summary written from the resources' facts.

Every statement names what it rests on and cites the ``ResourceType/id`` of each resource.
Sections: patient, active problems, current medications, allergies, abnormal results of
the last year, recent results with trends, vital signs with trends, immunizations, recent
encounters and procedures, and open care gaps (when the caller computed them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from evident.sources import ResourceFacts
from evident.tasks.chart.record import ChartRecord, abnormal
from evident.types import Section, Statement

__all__ = ["SECTIONS", "clean_display", "write_chart"]

SECTIONS = (
    "Patient",
    "Active problems",
    "Medications",
    "Allergies",
    "Abnormal results",
    "Recent results",
    "Vital signs",
    "Immunizations",
    "Recent encounters",
    "Recent procedures",
    "Care gaps",
)
_ACTIVE = {"active", "recurrence", "relapse"}
_NOT_REAL = {"refuted", "entered-in-error"}
_CURRENT_MEDS = {"active", "on-hold"}
_TAKING = {"active", "intended"}  # MedicationStatement
_TAG = re.compile(
    r"\s*\((?:disorder|finding|procedure|situation|qualifier value|morphologic abnormality"
    r"|regime/therapy|observable entity)\)\s*$"
)
_YEAR = timedelta(days=365)

Item = tuple[str, tuple[str, ...]]


def clean_display(text: str) -> str:
    """A display without its SNOMED semantic tag ("Hypertension (disorder)" -> "Hypertension")."""
    return _TAG.sub("", text).strip()


def write_chart(
    record: ChartRecord, care_gaps: Sequence[Mapping[str, Any]] = ()
) -> tuple[Section, ...]:
    """The chart summary of ``record`` in :data:`SECTIONS` order (empty sections left out)."""
    writers = {
        "Patient": _patient,
        "Active problems": _problems,
        "Medications": _medications,
        "Allergies": _allergies,
        "Abnormal results": _abnormal_results,
        "Recent results": _recent_results,
        "Vital signs": _vitals,
        "Immunizations": _immunizations,
        "Recent encounters": _encounters,
        "Recent procedures": _procedures,
    }
    sections, n = [], 0
    for name in SECTIONS:
        items = _care_gaps(care_gaps) if name == "Care gaps" else writers[name](record)
        statements = []
        for text, cites in items:
            n += 1
            statements.append(Statement(id=f"st{n}", text=text, section=name, citations=cites))
        if statements:
            sections.append(Section(name=name, statements=tuple(statements)))
    return tuple(sections)


def _on(day: date | None, word: str = "effective") -> str:
    # The rendering's own date words ("effective", "given"...) so verify finds the date.
    return f", {word} {day.isoformat()}" if day else ""


def _patient(record: ChartRecord) -> list[Item]:
    items: list[Item] = []
    for facts in record.of("Patient"):
        born = facts.date
        gender = facts.meta.get("gender", "")
        # The age is left out: it is arithmetic on the chart date, not a fact of the record.
        text = f"Patient: {gender or 'sex not recorded'}"
        text += f", born {born.isoformat()}." if born else "."
        if facts.meta.get("deceased"):
            text = text[:-1] + f", deceased {facts.meta['deceased']}."
        items.append((text, (facts.ref,)))
    return items


def _grouped(facts: Iterable[ResourceFacts]) -> dict[str, list[ResourceFacts]]:
    groups: dict[str, list[ResourceFacts]] = {}
    for item in facts:
        groups.setdefault(clean_display(item.display) or item.code or item.ref, []).append(item)
    return groups


def _problems(record: ChartRecord) -> list[Item]:
    active = [
        c
        for c in record.of("Condition")
        if c.status in _ACTIVE and c.meta.get("verification", "") not in _NOT_REAL
    ]
    items: list[Item] = []
    for name, group in sorted(_grouped(active).items(), key=lambda kv: _first_date(kv[1])):
        onset = min((c.date for c in group if c.date), default=None)
        since = f", onset {onset.isoformat()}" if onset else ""
        items.append((f"Active problem: {name}{since}.", tuple(c.ref for c in group)))
    return items


def _first_date(group: list[ResourceFacts]) -> date:
    return min((f.date for f in group if f.date), default=date.max)


def _medications(record: ChartRecord) -> list[Item]:
    current = [m for m in record.of("MedicationRequest") if m.status in _CURRENT_MEDS]
    current += [m for m in record.of("MedicationStatement") if m.status in _TAKING]
    items: list[Item] = []
    for name, group in sorted(_grouped(current).items()):
        latest = max(group, key=lambda m: m.date or date.min)
        bits = [f"Current medication: {name}"]
        for key, label in (("dose", "dose"), ("frequency", ""), ("instructions", "instructions:")):
            if latest.meta.get(key):
                bits.append(f"{label} {latest.meta[key]}".strip())
        if latest.meta.get("as_needed"):
            bits.append("as needed")
        if latest.date:
            bits.append(f"prescribed {latest.date.isoformat()}")
        items.append(("; ".join(bits) + ".", tuple(m.ref for m in group)))
    return items


def _allergies(record: ChartRecord) -> list[Item]:
    current = [
        a
        for a in record.of("AllergyIntolerance")
        if a.status in {"", "active"} and a.meta.get("verification", "") not in _NOT_REAL
    ]
    items: list[Item] = []
    for name, group in sorted(_grouped(current).items()):
        first = group[0]
        extra = [f"{k} {first.meta[k]}" for k in ("criticality", "reaction") if first.meta.get(k)]
        detail = f" ({'; '.join(extra)})" if extra else ""
        items.append((f"Allergy: {name}{detail}.", tuple(a.ref for a in group)))
    return items


def _results(record: ChartRecord, vital: bool) -> list[ResourceFacts]:
    out = []
    for obs in record.of("Observation"):
        is_vital = obs.meta.get("category", "").lower().replace(" ", "-") in {
            "vital-signs",
            "vital signs",
        }
        if (
            is_vital is vital
            and (obs.value or obs.meta.get("components"))
            and obs.status not in _NOT_REAL
        ):
            out.append(obs)
    return out


def _in_last_year(record: ChartRecord, facts: ResourceFacts) -> bool:
    return facts.date is not None and record.as_of - _YEAR <= facts.date <= record.as_of


def _value(facts: ResourceFacts) -> str:
    if facts.meta.get("components"):
        return facts.meta["components"].replace("=", " ").replace("; ", ", ")
    return f"{facts.value} {facts.unit}".strip()


def _abnormal_results(record: ChartRecord) -> list[Item]:
    flagged = [
        (o, flag)
        for o in _results(record, vital=False)
        if _in_last_year(record, o) and (flag := abnormal(o))
    ]
    by_name: dict[str, list[tuple[ResourceFacts, str]]] = {}
    for obs, flag in flagged:
        by_name.setdefault(clean_display(obs.display) or obs.code, []).append((obs, flag))
    items: list[Item] = []
    for name, group in sorted(by_name.items()):
        group.sort(key=lambda pair: pair[0].date or date.min, reverse=True)
        values = ", ".join(f"{_value(o)}{_on(o.date)} ({flag})" for o, flag in group)
        items.append((f"Abnormal result: {name} {values}.", tuple(o.ref for o, _ in group)))
    return items


def _trend_items(
    record: ChartRecord, observations: list[ResourceFacts], label: str, recent_only: bool
) -> list[Item]:
    items: list[Item] = []
    for name, group in sorted(_grouped(observations).items()):
        dated = sorted((o for o in group if o.date), key=lambda o: o.date or date.min)
        if not dated:
            continue
        latest = dated[-1]
        if recent_only and (not _in_last_year(record, latest) or abnormal(latest)):
            continue
        text = f"{label}: {name} {_value(latest)}{_on(latest.date)}"
        cites = [latest.ref]
        if len(dated) > 1:
            previous = dated[-2]
            text += (
                f" (previous {_value(previous)}{_on(previous.date)}{_direction(previous, latest)})"
            )
            cites.append(previous.ref)
        items.append((text + ".", tuple(cites)))
    return items


def _direction(previous: ResourceFacts, latest: ResourceFacts) -> str:
    a, b = previous.number, latest.number
    if a is None or b is None:
        return ""
    if abs(b - a) <= 0.05 * max(abs(a), 1e-9):
        return ", stable"
    return ", rising" if b > a else ", falling"


def _recent_results(record: ChartRecord) -> list[Item]:
    return _trend_items(record, _results(record, vital=False), "Result", recent_only=True)


def _vitals(record: ChartRecord) -> list[Item]:
    vitals = [o for o in _results(record, vital=True) if o.date and o.date <= record.as_of]
    return _trend_items(record, vitals, "Vital sign", recent_only=False)


def _immunizations(record: ChartRecord) -> list[Item]:
    given = [i for i in record.of("Immunization") if i.status in {"completed", ""} and i.date]
    items: list[Item] = []
    for name, group in sorted(_grouped(given).items()):
        latest = max(group, key=lambda i: i.date or date.min)
        items.append((f"Immunization: {name}{_on(latest.date, 'given')} (latest).", (latest.ref,)))
    return items


def _encounters(record: ChartRecord) -> list[Item]:
    dated = sorted(
        (e for e in record.of("Encounter") if e.date and e.date <= record.as_of),
        key=lambda e: e.date or date.min,
    )
    return [
        (
            f"Encounter: {clean_display(e.display) or 'visit'}{_on(e.date, 'from')} ({e.status}).",
            (e.ref,),
        )
        for e in reversed(dated[-3:])
    ]


def _procedures(record: ChartRecord) -> list[Item]:
    recent = [
        p
        for p in record.of("Procedure")
        if _in_last_year(record, p) and p.status in {"completed", ""}
    ]
    recent.sort(key=lambda p: p.date or date.min, reverse=True)
    return [
        (f"Procedure: {clean_display(p.display)}{_on(p.date, 'performed')}.", (p.ref,))
        for p in recent[:10]
    ]


def _care_gaps(gaps: Sequence[Mapping[str, Any]]) -> list[Item]:
    items: list[Item] = []
    for gap in gaps:
        cites = tuple(str(r) for r in gap.get("evidence", ()))
        items.append(
            (
                f"Open care gap: {gap.get('title') or gap.get('measure')}. "
                f"{gap.get('explanation', '')}".strip(),
                cites,
            )
        )
    return items
