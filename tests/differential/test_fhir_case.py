"""A FHIR record read as a case: clinical content only, age and sex from the Patient."""

from __future__ import annotations

import json

import pytest

from evident.sources import load_source
from evident.tasks.differential.fhir_case import read_sources


def _bundle(*resources: dict) -> str:
    entries = [{"resource": r} for r in resources]
    return json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries})


PATIENT = {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1960-07-01"}


def _condition(cid: str, text: str, status: str | None = None, onset: str = "2020-05-01") -> dict:
    res: dict = {
        "resourceType": "Condition",
        "id": cid,
        "subject": {"reference": "Patient/p1"},
        "code": {"text": text},
        "onsetDateTime": onset,
    }
    if status:
        res["clinicalStatus"] = {"coding": [{"code": status}]}
    return res


ENCOUNTER = {
    "resourceType": "Encounter",
    "id": "e1",
    "status": "finished",
    "class": {"code": "AMB"},
    "type": [{"text": "cough clinic visit"}],  # bookkeeping of the visit: no finding
    "subject": {"reference": "Patient/p1"},
    "period": {"start": "2020-05-02"},
}
OBSERVATION = {
    "resourceType": "Observation",
    "id": "o1",
    "status": "final",
    "subject": {"reference": "Patient/p1"},
    "code": {"text": "Nausea"},
    "valueString": "present",
    "effectiveDateTime": "2020-06-30",
}
BMI = {
    "resourceType": "Observation",
    "id": "o2",
    "status": "final",
    "subject": {"reference": "Patient/p1"},
    "code": {"text": "Body Mass Index"},
    "valueQuantity": {"value": 31.2, "unit": "kg/m2"},
    "effectiveDateTime": "2020-06-30",
}


@pytest.mark.parametrize(
    ("resources", "present", "absent"),
    [
        ((PATIENT, _condition("c1", "Chest pain")), {"chest pain"}, {"gender", "bear", "born"}),
        ((PATIENT, _condition("c1", "Chest pain"), ENCOUNTER), {"chest pain"}, {"cough", "clinic"}),
        ((PATIENT, OBSERVATION), {"nausea"}, {"status", "final"}),
        # a measurement's name is no finding ("mass" of "Body Mass Index")
        ((PATIENT, OBSERVATION, BMI), {"nausea"}, {"mass", "body", "index"}),
        # a resolved or refuted condition is no current problem
        (
            (PATIENT, _condition("c1", "Chest pain"), _condition("c2", "Fever", "resolved")),
            {"chest pain"},
            {"fever"},
        ),
        ((PATIENT, _condition("c2", "Fever", "active")), {"fever"}, set()),
    ],
)
def test_only_clinical_content_is_read(
    resources: tuple[dict, ...], present: set[str], absent: set[str]
) -> None:
    case = read_sources([load_source(_bundle(*resources), kind="fhir", name="b")])
    assert present <= set(case.present), sorted(case.present)
    assert not absent & (set(case.present) | set(case.denied)), sorted(case.present)
    for m in case.mentions:  # every mention still points into the source text
        assert case.text[m.start : m.end]


@pytest.mark.parametrize(
    ("resources", "age"),
    [
        ((PATIENT, OBSERVATION), 59.0),  # on the record's latest date, 2020-06-30
        ((PATIENT, {**OBSERVATION, "effectiveDateTime": "2020-07-01"}), 60.0),
        (({k: v for k, v in PATIENT.items() if k != "birthDate"}, OBSERVATION), None),
    ],
)
def test_age_and_sex_come_from_the_patient(resources: tuple[dict, ...], age: float | None) -> None:
    case = read_sources([load_source(_bundle(*resources), kind="fhir", name="b")])
    assert case.age == age
    assert case.sex == "female"


def test_text_sources_are_read_whole() -> None:
    note = load_source("A 50 year old man with chest pain and fever.", kind="note", name="n")
    case = read_sources([note])
    assert {"chest pain", "fever"} <= set(case.present)
    assert case.age == 50.0 and case.sex == "male"
