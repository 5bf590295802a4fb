"""FHIR Bundles as sources: segments, renderings, typed facts and one-line errors."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest

from evident.errors import InputError
from evident.sources import load_source, parse_fhir, resource_facts

PATIENT = {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1970-05-06"}
CONDITION = {
    "resourceType": "Condition",
    "id": "c1",
    "clinicalStatus": {"coding": [{"system": "x", "code": "resolved"}]},
    "code": {"coding": [{"system": "http://example.org", "code": "C-1", "display": "Knee sprain"}]},
    "subject": {"reference": "Patient/p1"},
    "onsetDateTime": "2020-01-02T10:00:00Z",
    "abatementDateTime": "2020-03-01",
}
LAB = {
    "resourceType": "Observation",
    "id": "o1",
    "status": "final",
    "code": {"text": "Serum potassium"},
    "effectiveDateTime": "2024-02-03",
    "valueQuantity": {"value": 5.9, "unit": "mmol/L"},
    "interpretation": [{"coding": [{"code": "H"}]}],
    "referenceRange": [{"low": {"value": 3.5}, "high": {"value": 5.1}}],
}
BP = {
    "resourceType": "Observation",
    "id": "o2",
    "status": "final",
    "code": {"text": "Blood pressure"},
    "effectiveDateTime": "2024-02-03",
    "component": [
        {"code": {"text": "Systolic"}, "valueQuantity": {"value": 150, "unit": "mmHg"}},
        {"code": {"text": "Diastolic"}, "valueQuantity": {"value": 95, "unit": "mmHg"}},
    ],
}
MED = {
    "resourceType": "MedicationRequest",
    "id": "m1",
    "status": "active",
    "intent": "order",
    "subject": {"reference": "Patient/p1"},
    "medicationCodeableConcept": {"text": "Lisinopril 10 MG Oral Tablet"},
    "authoredOn": "2023-06-01",
    "dosageInstruction": [
        {
            "text": "take one tablet each morning",
            "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "tablet"}}],
            "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
        }
    ],
}
ALLERGY = {
    "resourceType": "AllergyIntolerance",
    "id": "a1",
    "patient": {"reference": "Patient/p1"},
    "clinicalStatus": {"coding": [{"code": "active"}]},
    "code": {"text": "Peanut allergy"},
    "criticality": "high",
    "reaction": [{"manifestation": [{"text": "Hives"}]}],
}
UNKNOWN = {"resourceType": "FooBarResource", "id": "f1", "status": "whatever"}


def bundle(*resources: dict[str, Any], kind: str = "collection") -> str:
    return json.dumps(
        {"resourceType": "Bundle", "type": kind, "entry": [{"resource": r} for r in resources]}
    )


@pytest.mark.parametrize(
    ("resource", "pieces"),
    [
        (PATIENT, ["Patient", "gender female", "born 1970-05-06"]),
        (
            CONDITION,
            [
                "Condition: Knee sprain",
                "status resolved",
                "onset 2020-01-02",
                "resolved 2020-03-01",
            ],
        ),
        (
            LAB,
            [
                "Serum potassium",
                "Serum potassium 5.9 mmol/L",
                "interpretation H",
                "reference 3.5-5.1",
                "effective 2024-02-03",
            ],
        ),
        (BP, ["Blood pressure; Systolic 150 mmHg, Diastolic 95 mmHg"]),
        (
            MED,
            [
                "Lisinopril 10 MG",
                "dose 1 tablet",
                "once per day",
                "each morning",
                "status active",
                "prescribed 2023-06-01",
            ],
        ),
        (
            ALLERGY,
            ["Allergy: Peanut allergy", "criticality high", "reaction Hives", "status active"],
        ),
        (UNKNOWN, ["FooBarResource", "status whatever"]),
    ],
)
def test_rendering(resource: dict[str, Any], pieces: list[str]) -> None:
    source = parse_fhir(bundle(PATIENT, resource) if resource is not PATIENT else bundle(PATIENT))
    seg = source.segment(f"{resource['resourceType']}/{resource['id']}")
    assert seg is not None and seg.kind == "resource"
    for piece in pieces:
        assert piece in seg.text
    assert source.text[seg.start : seg.end] == seg.text


@pytest.mark.parametrize(
    ("resource", "field", "expected"),
    [
        (CONDITION, "status", "resolved"),
        (CONDITION, "date", date(2020, 1, 2)),
        (CONDITION, "end", date(2020, 3, 1)),
        (CONDITION, "code", "http://example.org|C-1"),
        (LAB, "number", 5.9),
        (LAB, "unit", "mmol/L"),
        (LAB, "interpretation", "H"),
        (LAB, "ref_high", 5.1),
        (MED, "status", "active"),
        (MED, "display", "Lisinopril 10 MG Oral Tablet"),
        (ALLERGY, "resource_type", "AllergyIntolerance"),
    ],
)
def test_typed_facts(resource: dict[str, Any], field: str, expected: object) -> None:
    source = parse_fhir(bundle(PATIENT, resource))
    seg = source.segment(f"{resource['resourceType']}/{resource['id']}")
    assert seg is not None
    assert getattr(resource_facts(seg), field) == expected


def test_dose_facts() -> None:
    seg = parse_fhir(bundle(MED)).segments[0]
    assert seg.meta["dose"] == "1 tablet"
    assert seg.meta["instructions"] == "take one tablet each morning"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"a": 1}', "not a FHIR resource"),
        ('{"resourceType": "Bundle", "entry": []}', "without resources"),
        ('{"resourceType": "Bundle", "entry": [{"fullUrl": "x"}]}', "entry[0] has no resource"),
        (bundle({"resourceType": "Patient"}), "Patient at entry[0] has no id"),
        (
            bundle({"resourceType": "Observation", "id": "o9", "code": {"text": "x"}}),
            "Observation/o9 is invalid at status",
        ),
        (bundle(PATIENT, PATIENT), "Patient/p1 appears twice"),
    ],
)
def test_errors_name_the_resource(text: str, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)) as info:
        parse_fhir(text, "b.json")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("kind", ["transaction", "collection", "searchset"])
def test_bundle_types_and_auto_detection(kind: str) -> None:
    source = load_source(bundle(PATIENT, LAB, kind=kind), name="b.json")
    assert source.kind == "fhir"
    assert source.meta["bundle_type"] == kind
    assert [s.id for s in source.segments] == ["Patient/p1", "Observation/o1"]


def test_single_resource_and_transcript_json_still_a_transcript() -> None:
    assert load_source(json.dumps(LAB)).segments[0].id == "Observation/o1"
    transcript = load_source(json.dumps([{"speaker": "doctor", "text": "Hello there."}]))
    assert transcript.kind == "transcript"
