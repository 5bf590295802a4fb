"""Readable renderings and string facts of FHIR resources (for :mod:`evident.sources.fhir`)."""

from __future__ import annotations

from typing import Any

__all__ = ["concept_text", "render_resource", "resource_meta"]

Resource = dict[str, Any]

# Where each type keeps its primary code, its date and its end date.
_CODE = {
    "Encounter": "type",
    "Immunization": "vaccineCode",
    "MedicationRequest": "medicationCodeableConcept",
    "MedicationStatement": "medicationCodeableConcept",
    "MedicationAdministration": "medicationCodeableConcept",
    "MedicationDispense": "medicationCodeableConcept",
    "CarePlan": "category",
    "Claim": "type",
    "ExplanationOfBenefit": "type",
    "Coverage": "type",
    "Goal": "description",
    "Organization": "type",
}
_DATE = (
    "effectiveDateTime",
    "effectiveInstant",
    "effectivePeriod",
    "onsetDateTime",
    "onsetPeriod",
    "occurrenceDateTime",
    "performedDateTime",
    "performedPeriod",
    "authoredOn",
    "period",
    "started",
    "billablePeriod",
    "created",
    "recordedDate",
    "issued",
    "birthDate",
)
_DATE_WORD = {
    "effective": "effective",
    "onset": "onset",
    "occurrence": "given",
    "performed": "performed",
    "authoredOn": "prescribed",
    "period": "from",
    "started": "started",
    "billablePeriod": "billed",
    "created": "created",
    "recordedDate": "recorded",
    "issued": "issued",
    "birthDate": "born",
}
_END = ("abatementDateTime", "abatementPeriod", "performedPeriod", "period", "effectivePeriod")
_LABEL = {
    "AllergyIntolerance": "Allergy",
    "MedicationRequest": "Medication request",
    "DiagnosticReport": "Diagnostic report",
    "CarePlan": "Care plan",
    "ImagingStudy": "Imaging study",
    "ExplanationOfBenefit": "Explanation of benefit",
}


def concept_text(concept: Any) -> str:
    """The text of a CodeableConcept (its text, else its first display, else its code)."""
    if isinstance(concept, list):
        return concept_text(concept[0]) if concept else ""
    if not isinstance(concept, dict):
        return ""
    if concept.get("text"):
        return str(concept["text"])
    for coding in concept.get("coding") or []:
        if coding.get("display"):
            return str(coding["display"])
    for coding in concept.get("coding") or []:
        if coding.get("code"):
            return str(coding["code"])
    return str(concept.get("display") or "")


def _first_coding(concept: Any) -> str:
    if isinstance(concept, list):
        return _first_coding(concept[0]) if concept else ""
    if not isinstance(concept, dict):
        return ""
    for coding in concept.get("coding") or []:
        if coding.get("code"):
            return f"{coding.get('system', '')}|{coding['code']}"
    return ""


def _day(value: Any, end: bool = False) -> str:
    if isinstance(value, dict):
        value = value.get("end" if end else "start")
    return str(value)[:10] if isinstance(value, str) else ""


def _quantity(quantity: Any) -> tuple[str, str]:
    if not isinstance(quantity, dict) or quantity.get("value") is None:
        return "", ""
    value = quantity["value"]
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text, str(quantity.get("unit") or quantity.get("code") or "")


def _status(resource: Resource) -> str:
    clinical = resource.get("clinicalStatus")
    if clinical:
        return _first_coding(clinical).rsplit("|", 1)[-1] or concept_text(clinical)
    return str(resource.get("status") or resource.get("lifecycleStatus") or "")


def resource_meta(resource: Resource) -> dict[str, str]:
    """The typed facts of ``resource`` as strings (empty facts are left out)."""
    kind = str(resource.get("resourceType"))
    code_element = resource.get(_CODE.get(kind, "code"))
    meta = {
        "resource_type": kind,
        "display": concept_text(code_element),
        "code": _first_coding(code_element),
        "status": _status(resource),
        "verification": _first_coding(resource.get("verificationStatus")).rsplit("|", 1)[-1],
        "category": concept_text(resource.get("category"))
        if not isinstance((resource.get("category") or [None])[0], str)
        else str(resource["category"][0]),
        "date": next((d for key in _DATE if (d := _day(resource.get(key)))), ""),
        "date_kind": next((key for key in _DATE if _day(resource.get(key))), ""),
        "end": next((d for key in _END if (d := _day(resource.get(key), end=True))), ""),
        "interpretation": _first_coding(resource.get("interpretation")).rsplit("|", 1)[-1],
    }
    meta.update(_value_facts(resource))
    if kind in {"MedicationRequest", "MedicationStatement"}:
        meta.update(
            _dosage_facts(
                resource, "dosageInstruction" if kind == "MedicationRequest" else "dosage"
            )
        )
    if kind == "AllergyIntolerance":
        meta["criticality"] = str(resource.get("criticality") or "")
        meta["reaction"] = ", ".join(
            concept_text(m)
            for r in resource.get("reaction") or []
            for m in r.get("manifestation") or []
        )
    if kind == "Patient":
        meta["gender"] = str(resource.get("gender") or "")
        meta["deceased"] = _day(resource.get("deceasedDateTime"))
    return {key: value for key, value in meta.items() if value}


def _value_facts(resource: Resource) -> dict[str, str]:
    facts: dict[str, str] = {}
    value, unit = _quantity(resource.get("valueQuantity"))
    if value:
        facts["value"], facts["unit"] = value, unit
    elif resource.get("valueCodeableConcept"):
        facts["value"] = concept_text(resource["valueCodeableConcept"])
    elif isinstance(resource.get("valueString"), str):
        facts["value"] = resource["valueString"]
    ranges = resource.get("referenceRange") or []
    if ranges:
        low, _ = _quantity(ranges[0].get("low"))
        high, _ = _quantity(ranges[0].get("high"))
        facts["ref_low"], facts["ref_high"] = low, high
    parts = []
    for component in resource.get("component") or []:
        cvalue, cunit = _quantity(component.get("valueQuantity"))
        if cvalue:
            parts.append(f"{concept_text(component.get('code'))}={cvalue} {cunit}".strip())
    if parts:
        facts["components"] = "; ".join(parts)
    return facts


def _dosage_facts(resource: Resource, element: str) -> dict[str, str]:
    dosages = resource.get(element) or []
    if not dosages:
        return {}
    dosage = dosages[0]
    facts = {"instructions": str(dosage.get("text") or "")}
    rates = dosage.get("doseAndRate") or []
    if rates:
        value, unit = _quantity(rates[0].get("doseQuantity"))
        facts["dose"] = f"{value} {unit}".strip()
    repeat = (dosage.get("timing") or {}).get("repeat") or {}
    if repeat.get("frequency") and repeat.get("period"):
        facts["frequency"] = _frequency(repeat)
    if dosage.get("asNeededBoolean"):
        facts["as_needed"] = "true"
    return facts


def _stem(key: str) -> str:
    for suffix in ("DateTime", "Instant", "Period"):
        if key.endswith(suffix) and key != suffix.lower():
            return key[: -len(suffix)]
    return key


_UNIT_WORD = {
    "s": "second",
    "min": "minute",
    "h": "hour",
    "d": "day",
    "wk": "week",
    "mo": "month",
    "a": "year",
}


def _frequency(repeat: dict[str, Any]) -> str:
    """``2 times per day``, ``once every 8 hours`` from a Timing.repeat."""
    count, period = repeat["frequency"], repeat["period"]
    word = _UNIT_WORD.get(str(repeat.get("periodUnit", "")), str(repeat.get("periodUnit", "")))
    times = "once" if count == 1 else f"{count} times"
    if period == 1:
        return f"{times} per {word}".strip()
    shown = f"{period:g}" if isinstance(period, float) else str(period)
    return f"{times} every {shown} {word}s".strip()


def render_resource(resource: Resource) -> str:
    """One readable line for ``resource`` built from its facts."""
    meta = resource_meta(resource)
    kind = meta["resource_type"]
    label = _LABEL.get(kind, kind)
    head = meta.get("display") or meta.get("category") or ""
    if meta.get("value"):
        # "Body Weight 93.3 kg": the name and its value together, as a clinician writes it.
        head = f"{head} {meta['value']} {meta.get('unit', '')}".strip()
    bits = [f"{label}: {head}" if head else label]
    if meta.get("components"):
        bits.append(meta["components"].replace("=", " ").replace("; ", ", "))
    if meta.get("interpretation"):
        bits.append(f"interpretation {meta['interpretation']}")
    if meta.get("ref_low") or meta.get("ref_high"):
        bits.append(f"reference {meta.get('ref_low', '')}-{meta.get('ref_high', '')}")
    for key, words in (
        ("dose", "dose"),
        ("frequency", ""),
        ("instructions", "instructions:"),
        ("criticality", "criticality"),
        ("reaction", "reaction"),
        ("gender", "gender"),
        ("deceased", "deceased"),
    ):
        if meta.get(key):
            bits.append(f"{words} {meta[key]}".strip())
    if meta.get("as_needed"):
        bits.append("as needed")
    if meta.get("status"):
        bits.append(f"status {meta['status']}")
    if meta.get("date"):
        bits.append(f"{_DATE_WORD.get(_stem(meta.get('date_kind', '')), 'date')} {meta['date']}")
    if meta.get("end") and meta.get("end") != meta.get("date"):
        bits.append(f"{'resolved' if kind == 'Condition' else 'until'} {meta['end']}")
    return "; ".join(bits) + "."
