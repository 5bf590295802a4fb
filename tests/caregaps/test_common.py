"""Shared measure helpers: prevalence and abatement intervals, medication periods, retrieves."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from evident.caregaps.common import medication_request_period
from evident.caregaps.record import Record, do_not_perform, is_verified

PATIENT = {"resourceType": "Patient", "id": "p", "birthDate": "1960-06-15"}


def _record(*resources: dict[str, Any]) -> Record:
    return Record([PATIENT, *resources])


@pytest.mark.parametrize(
    ("condition", "start", "end", "end_known"),
    [
        # active: open-ended to the maximum (closed null end)
        (
            {"clinicalStatus": {"coding": [{"code": "active"}]}, "onsetDateTime": "2020-01-01"},
            datetime(2020, 1, 1),
            "max",
            True,
        ),
        # resolved without an abatement date: end unknown
        (
            {"clinicalStatus": {"coding": [{"code": "resolved"}]}, "onsetDateTime": "2020-01-01"},
            datetime(2020, 1, 1),
            None,
            False,
        ),
        # resolved with an abatement date
        (
            {
                "clinicalStatus": {"coding": [{"code": "resolved"}]},
                "onsetDateTime": "2020-01-01",
                "abatementDateTime": "2020-03-01",
            },
            datetime(2020, 1, 1),
            datetime(2020, 3, 1),
            True,
        ),
        # onset as an age: the birthday of that age
        (
            {
                "clinicalStatus": {"coding": [{"code": "active"}]},
                "onsetAge": {"value": 50, "unit": "a"},
            },
            datetime(2010, 6, 15),
            "max",
            True,
        ),
    ],
)
def test_prevalence_interval(
    condition: dict[str, Any], start: datetime, end: object, end_known: bool
) -> None:
    resource = {"resourceType": "Condition", "id": "c", **condition}
    interval = _record(resource).prevalence(resource)
    assert interval.start == start
    if end == "max":
        assert interval.end is not None and interval.end.year == 9999
    else:
        assert interval.end == end
    assert (interval.end is not None) is end_known


@pytest.mark.parametrize(
    ("request_", "days"),
    [
        (
            {
                "authoredOn": "2026-01-01",
                "dispenseRequest": {"expectedSupplyDuration": {"value": 30, "code": "d"}},
            },
            30,
        ),
        (
            {
                "authoredOn": "2026-01-01",
                "dispenseRequest": {
                    "expectedSupplyDuration": {"value": 30, "code": "d"},
                    "numberOfRepeatsAllowed": 2,
                },
            },
            90,
        ),
        (
            {
                "authoredOn": "2026-01-01",
                "dispenseRequest": {"quantity": {"value": 60}},
                "dosageInstruction": [
                    {
                        "timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}},
                        "doseAndRate": [{"doseQuantity": {"value": 1}}],
                    }
                ],
            },
            30,
        ),
        (
            {
                "authoredOn": "2026-01-01",
                "dosageInstruction": [
                    {
                        "timing": {
                            "repeat": {"boundsPeriod": {"start": "2026-02-01", "end": "2026-02-10"}}
                        }
                    }
                ],
            },
            10,
        ),
        ({"authoredOn": "2026-01-01"}, None),
    ],
)
def test_medication_request_period(request_: dict[str, Any], days: int | None) -> None:
    resource = {"resourceType": "MedicationRequest", "id": "m", **request_}
    period = medication_request_period(_record(resource), resource)
    if days is None:
        assert period is None
    else:
        assert period is not None and period.start is not None and period.end is not None
        assert (period.end - period.start).days + 1 == days


@pytest.mark.parametrize(
    ("status", "verified"),
    [
        (None, True),
        ("confirmed", True),
        ("provisional", True),
        ("refuted", False),
        ("entered-in-error", False),
    ],
)
def test_verified(status: str | None, verified: bool) -> None:
    resource: dict[str, Any] = {"resourceType": "Condition", "id": "c"}
    if status:
        resource["verificationStatus"] = {"coding": [{"code": status}]}
    assert is_verified(resource) is verified


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        ({"doNotPerform": True}, True),
        ({"doNotPerform": False}, False),
        (
            {
                "modifierExtension": [
                    {
                        "url": "http://hl7.org/fhir/5.0/StructureDefinition/extension-DeviceRequest.doNotPerform",
                        "valueBoolean": True,
                    }
                ]
            },
            True,
        ),
        ({}, False),
    ],
)
def test_do_not_perform(resource: dict[str, Any], expected: bool) -> None:
    assert do_not_perform(resource) is expected


@pytest.mark.parametrize(
    ("reference", "found"),
    [
        ({"reference": "Encounter/e1"}, True),
        ({"reference": "urn:uuid:e1"}, True),
        ({"reference": "Encounter/zz"}, False),
        (None, False),
    ],
)
def test_resolve(reference: object, found: bool) -> None:
    encounter = {"resourceType": "Encounter", "id": "e1"}
    assert (_record(encounter).resolve(reference) is not None) is found


def test_medication_reference_is_followed() -> None:
    med = {
        "resourceType": "Medication",
        "id": "x",
        "code": {"coding": [{"system": "s", "code": "c"}]},
    }
    req = {
        "resourceType": "MedicationRequest",
        "id": "m",
        "medicationReference": {"reference": "Medication/x"},
    }
    assert _record(med, req).retrieve("MedicationRequest", {("s", "c")}) == [req]
