"""A small FHIR record written for the chart tests (no dataset text, no real PHI)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from evident.sources import parse_fhir
from evident.types import Source
from tests.support.fake_backend import FakeBackend  # noqa: F401  (re-exported)


def condition(cid: str, name: str, status: str, onset: str, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": cid,
        "clinicalStatus": {"coding": [{"code": status}]},
        "code": {"coding": [{"system": "http://example.org", "code": cid, "display": name}]},
        "subject": {"reference": "Patient/p1"},
        "onsetDateTime": onset,
        **extra,
    }


def medication(mid: str, name: str, status: str, authored: str) -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "id": mid,
        "status": status,
        "intent": "order",
        "subject": {"reference": "Patient/p1"},
        "medicationCodeableConcept": {"text": name},
        "authoredOn": authored,
        "dosageInstruction": [
            {
                "text": "one tablet daily",
                "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "tablet"}}],
            }
        ],
    }


def observation(
    oid: str,
    loinc: str,
    name: str,
    value: float,
    unit: str,
    when: str,
    category: str = "laboratory",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "category": [{"coding": [{"code": category}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc, "display": name}]},
        "effectiveDateTime": when,
        "valueQuantity": {"value": value, "unit": unit},
        **extra,
    }


RESOURCES: list[dict[str, Any]] = [
    {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1960-02-03"},
    condition("c1", "Essential hypertension (disorder)", "active", "2015-04-01"),
    condition(
        "c2", "Ankle sprain (disorder)", "resolved", "2019-01-10", abatementDateTime="2019-02-10"
    ),
    condition(
        "c3",
        "Type 2 diabetes",
        "active",
        "2018-06-01",
        verificationStatus={"coding": [{"code": "refuted"}]},
    ),
    medication("m1", "Amlodipine 5 MG Oral Tablet", "active", "2023-05-01"),
    medication("m2", "Naproxen 250 MG Oral Tablet", "stopped", "2019-01-10"),
    {
        "resourceType": "AllergyIntolerance",
        "id": "a1",
        "patient": {"reference": "Patient/p1"},
        "clinicalStatus": {"coding": [{"code": "active"}]},
        "code": {"text": "Penicillin allergy"},
        "criticality": "high",
    },
    observation("o1", "4548-4", "Hemoglobin A1c", 6.1, "%", "2024-03-01"),
    observation("o2", "4548-4", "Hemoglobin A1c", 5.4, "%", "2023-03-01"),
    observation(
        "o3",
        "2823-3",
        "Potassium",
        4.2,
        "mmol/L",
        "2024-03-01",
        interpretation=[{"coding": [{"code": "H"}]}],
    ),
    observation(
        "o4",
        "2951-2",
        "Sodium",
        150,
        "mmol/L",
        "2024-03-01",
        referenceRange=[{"low": {"value": 120}, "high": {"value": 160}}],
    ),
    observation("o5", "2093-3", "Total cholesterol", 180, "mg/dL", "2020-01-01"),
    observation("o6", "29463-7", "Body weight", 80, "kg", "2024-03-01", category="vital-signs"),
    observation("o7", "29463-7", "Body weight", 70, "kg", "2023-03-01", category="vital-signs"),
    {
        "resourceType": "MedicationStatement",
        "id": "ms1",
        "status": "active",
        "subject": {"reference": "Patient/p1"},
        "medicationCodeableConcept": {"text": "Vitamin D 1000 UNT Oral Tablet"},
        "effectiveDateTime": "2022-01-01",
    },
    {
        "resourceType": "AllergyIntolerance",
        "id": "a2",
        "patient": {"reference": "Patient/p1"},
        "verificationStatus": {"coding": [{"code": "refuted"}]},
        "code": {"text": "Latex allergy"},
    },
    {
        "resourceType": "Immunization",
        "id": "i1",
        "status": "completed",
        "patient": {"reference": "Patient/p1"},
        "vaccineCode": {"text": "Influenza vaccine"},
        "occurrenceDateTime": "2023-10-01",
    },
    {
        "resourceType": "Encounter",
        "id": "e1",
        "status": "finished",
        "class": {"code": "AMB"},
        "type": [{"text": "Office visit"}],
        "period": {"start": "2024-03-01T09:00:00Z", "end": "2024-03-01T09:30:00Z"},
    },
    {
        "resourceType": "Procedure",
        "id": "pr1",
        "status": "completed",
        "subject": {"reference": "Patient/p1"},
        "code": {"text": "Colonoscopy"},
        "performedDateTime": "2023-12-01",
    },
]


def bundle_text(resources: list[dict[str, Any]] | None = None) -> str:
    entries = [{"resource": r} for r in (resources if resources is not None else RESOURCES)]
    return json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries})


@pytest.fixture
def record_source() -> Source:
    """The fixture record as a FHIR source."""
    return parse_fhir(bundle_text(), "record.json")
