"""How much of a record a chart summary names, read from the Bundle JSON itself.

The expected facts come straight from the raw resources (not from the sources parser or
the engine): active conditions (clinical status active/recurrence/relapse, not refuted),
current medications (MedicationRequest status active, MedicationStatement active or
intended), allergies (clinical status active or none, not refuted), and the results of
the last year the record itself flags as abnormal (an interpretation code, or a value
outside the record's own reference range). A fact counts
as named when its display text, without a trailing SNOMED semantic tag, appears in the
summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

__all__ = ["Coverage", "expected_facts", "summary_coverage"]

_TAG = re.compile(r"\s*\([^()]*\)\s*$")
_CURRENT = {"MedicationRequest": ("active",), "MedicationStatement": ("active", "intended")}
_FLAGS = {"H", "HH", "L", "LL", "A", "AA", "HU", "LU"}


@dataclass
class Coverage:
    """Expected and named facts per kind (``condition``, ``medication``, ...)."""

    expected: dict[str, list[str]] = field(default_factory=dict)
    missed: dict[str, list[str]] = field(default_factory=dict)

    def share(self, kind: str) -> float | None:
        """Named / expected for ``kind`` (None when nothing is expected)."""
        total = len(self.expected.get(kind, []))
        return None if total == 0 else 1 - len(self.missed.get(kind, [])) / total


def _name(concept: Any) -> str:
    if not isinstance(concept, dict):
        return ""
    text = concept.get("text") or next(
        (c.get("display") for c in concept.get("coding") or [] if c.get("display")), ""
    )
    return _TAG.sub("", str(text)).strip()


def _code(concept: Any) -> str:
    codes = [c.get("code") for c in (concept or {}).get("coding") or []]
    return str(codes[0]) if codes else ""


def expected_facts(bundle: dict[str, Any], as_of: date) -> dict[str, list[str]]:
    """Names of the facts a chart of ``bundle`` must mention, by kind."""
    out: dict[str, list[str]] = {"condition": [], "medication": [], "allergy": [], "abnormal": []}
    for entry in bundle.get("entry") or []:
        r = entry.get("resource") or {}
        kind = r.get("resourceType")
        if kind == "Condition":
            status = _code(r.get("clinicalStatus"))
            ver = _code(r.get("verificationStatus"))
            if status in {"active", "recurrence", "relapse"} and ver not in {
                "refuted",
                "entered-in-error",
            }:
                out["condition"].append(_name(r.get("code")))
        elif r.get("status") in _CURRENT.get(str(kind), ()):
            out["medication"].append(_name(r.get("medicationCodeableConcept")))
        elif kind == "AllergyIntolerance" and _current_allergy(r):
            out["allergy"].append(_name(r.get("code")))
        elif kind == "Observation" and _abnormal_last_year(r, as_of):
            out["abnormal"].append(_name(r.get("code")))
    return {k: sorted({n for n in v if n}) for k, v in out.items()}


def _current_allergy(allergy: dict[str, Any]) -> bool:
    real = _code(allergy.get("verificationStatus")) not in {"refuted", "entered-in-error"}
    return real and _code(allergy.get("clinicalStatus")) in {"", "active"}


def _abnormal_last_year(obs: dict[str, Any], as_of: date) -> bool:
    when = str(obs.get("effectiveDateTime") or "")[:10]
    try:
        day = date.fromisoformat(when)
    except ValueError:
        return False
    if not as_of - timedelta(days=365) <= day <= as_of:
        return False
    if any(_code(i) in _FLAGS for i in obs.get("interpretation") or []):
        return True
    value = (obs.get("valueQuantity") or {}).get("value")
    ranges = obs.get("referenceRange") or []
    if value is None or not ranges:
        return False
    low = (ranges[0].get("low") or {}).get("value")
    high = (ranges[0].get("high") or {}).get("value")
    return (low is not None and value < low) or (high is not None and value > high)


def summary_coverage(bundle: dict[str, Any], summary: str, as_of: date) -> Coverage:
    """Which expected facts of ``bundle`` the ``summary`` text names."""
    text = summary.lower()
    expected = expected_facts(bundle, as_of)
    missed = {k: [n for n in names if n.lower() not in text] for k, names in expected.items()}
    return Coverage(expected=expected, missed=missed)
