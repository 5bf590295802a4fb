"""One patient's FHIR record, read the way QI-Core retrieves and FHIRHelpers read it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from evident.caregaps.timing import Interval, add_years, day, parse_datetime, point
from evident.errors import InputError

__all__ = ["Coding", "Record", "codings", "has_code", "resource_ref"]

Resource = dict[str, Any]
Coding = tuple[str, str]

# Where a retrieve finds a resource's primary code (the QI-Core model's primaryCodePath).
_PRIMARY_CODE = {
    "Encounter": "type",
    "Condition": "code",
    "Observation": "code",
    "Procedure": "code",
    "ServiceRequest": "code",
    "DeviceRequest": "codeCodeableConcept",
    "Immunization": "vaccineCode",
    "AllergyIntolerance": "code",
    "DiagnosticReport": "code",
    "Coverage": "type",
}
_ENCOUNTER_DIAGNOSIS = "encounter-diagnosis"
_VITAL_SIGNS = ("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs")
_PROBLEM_CATEGORIES = {"problem-list-item", "health-concern"}
_NOT_DONE = (
    "qicore-notDoneReason",
    "qicore-doNotPerformReason",
    "qicore-reasonRefused",
)


def codings(value: Any) -> list[Coding]:
    """The ``(system, code)`` pairs of a CodeableConcept, Coding or list of them."""
    if value is None:
        return []
    if isinstance(value, list):
        return [c for item in value for c in codings(item)]
    if not isinstance(value, dict):
        return []
    if "coding" in value:
        return [(str(c.get("system", "")), str(c.get("code", ""))) for c in value["coding"]]
    if "code" in value and isinstance(value.get("code"), str):
        return [(str(value.get("system", "")), value["code"])]
    return []


def has_code(value: Any, codes: Iterable[Coding]) -> bool:
    """Whether any coding of ``value`` is one of ``codes`` (CQL ``in`` / ``~``)."""
    wanted = codes if isinstance(codes, (set, frozenset)) else set(codes)
    return any(c in wanted for c in codings(value))


def resource_ref(resource: Resource) -> str:
    """``ResourceType/id`` of a resource."""
    return f"{resource.get('resourceType')}/{resource.get('id')}"


class Record:
    """The resources of one patient, indexed by type and id."""

    def __init__(self, resources: Iterable[Resource]) -> None:
        """Index ``resources``; exactly one Patient is required."""
        self.by_type: dict[str, list[Resource]] = {}
        self.by_ref: dict[str, Resource] = {}
        for resource in resources:
            kind = str(resource.get("resourceType", ""))
            self.by_type.setdefault(kind, []).append(resource)
            self.by_ref[resource_ref(resource)] = resource
        patients = self.by_type.get("Patient", [])
        if len(patients) != 1:
            raise InputError(f"the record holds {len(patients)} Patient resources, not one")
        self.patient = patients[0]
        # A birth year alone stays a range: ages that depend on the day are unknown.
        self.birth_date: date | None = day(parse_datetime(self.patient.get("birthDate")))

    @classmethod
    def from_bundle(cls, bundle: Resource) -> Record:
        """The record of a Bundle's entries."""
        if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
            raise InputError("the input is not a FHIR Bundle")
        entries = bundle.get("entry") or []
        if not isinstance(entries, list):
            raise InputError("Bundle.entry is not a list")
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise InputError(f"Bundle.entry[{index}] is not an object")
        # An entry without a resource (a transaction response, a deletion) holds no data.
        return cls(e["resource"] for e in entries if isinstance(e.get("resource"), dict))

    @classmethod
    def read(cls, path: Path) -> Record:
        """The record of a JSON FHIR Bundle file, within the sources stage's FHIR size limit.

        Raises:
            InputError: Missing, too large, not JSON or not a usable Bundle; the message
                names the file, never its content.
        """
        from evident.sources import decode, read_bytes
        from evident.sources.fhir import fhir_max_bytes

        raw = read_bytes(path, fhir_max_bytes(None))
        try:
            data = json.loads(decode(raw, path.name))
        except (ValueError, RecursionError):
            raise InputError(f"cannot read {path.name} as a JSON FHIR Bundle") from None
        try:
            return cls.from_bundle(data)
        except InputError as exc:
            raise InputError(f"{path.name}: {exc}") from None

    # -- retrieves -------------------------------------------------------------------

    def all(self, kind: str) -> list[Resource]:
        """Every resource of type ``kind``."""
        return self.by_type.get(kind, [])

    def retrieve(self, kind: str, codes: Iterable[Coding] | None = None) -> list[Resource]:
        """``[kind: codes]``: resources of a type whose primary code is in ``codes``."""
        found = self.all(kind)
        if codes is None:
            return list(found)
        wanted = frozenset(codes)
        return [r for r in found if has_code(self.primary_code(r), wanted)]

    def primary_code(self, resource: Resource) -> Any:
        """The primary code of a resource (a Medication reference is followed)."""
        kind = resource.get("resourceType")
        if kind == "MedicationRequest" or kind == "MedicationDispense":
            if "medicationCodeableConcept" in resource:
                return resource["medicationCodeableConcept"]
            med = self.resolve(resource.get("medicationReference"))
            return med.get("code") if med else None
        return resource.get(_PRIMARY_CODE.get(str(kind), "code"))

    def conditions(self, codes: Iterable[Coding], profile: str = "any") -> list[Resource]:
        """Conditions by profile: ``encounter`` diagnoses, ``problem`` list/health concerns."""
        found = self.retrieve("Condition", codes)
        if profile == "any":
            return found
        return [c for c in found if _condition_profile(c) in {profile, "any"}]

    def requests(
        self, kind: str, codes: Iterable[Coding], not_done: bool = False
    ) -> list[Resource]:
        """ServiceRequest / MedicationRequest / DeviceRequest by ``doNotPerform``."""
        return [r for r in self.retrieve(kind, codes) if do_not_perform(r) is not_done]

    def observations(self, codes: Iterable[Coding], cancelled: bool = False) -> list[Resource]:
        """Observations, the cancelled ones (QI-Core ObservationCancelled) apart."""
        found = self.retrieve("Observation", codes)
        return [o for o in found if (o.get("status") == "cancelled") is cancelled]

    def vital_signs(self, codes: Iterable[Coding] | None) -> list[Resource]:
        """US Core vital-sign profiles (BMI, blood pressure): the vital-signs category too."""
        found = self.observations(codes) if codes is not None else self.all("Observation")
        return [o for o in found if has_code(o.get("category"), {_VITAL_SIGNS})]

    def resolve(self, reference: Any) -> Resource | None:
        """The resource a Reference points to, when it is in the record."""
        if not isinstance(reference, dict):
            return None
        ref = str(reference.get("reference", ""))
        if ref.startswith("urn:uuid:"):
            ref_id = ref.removeprefix("urn:uuid:")
            return next((r for r in self.by_ref.values() if r.get("id") == ref_id), None)
        parts = ref.rstrip("/").split("/")
        return self.by_ref.get("/".join(parts[-2:])) if len(parts) >= 2 else None

    # -- timing ----------------------------------------------------------------------

    def timing(self, resource: Resource, element: str) -> Interval | None:
        """``element[x].toInterval()``: a dateTime, Period, Age or Range as an interval."""
        for suffix in ("DateTime", "Instant", "Date", ""):
            value = resource.get(element + suffix)
            if isinstance(value, str):
                moment = parse_datetime(value)
                return point(moment) if moment else None
        period = resource.get(element + "Period")
        if isinstance(period, dict):
            return period_interval(period)
        age = resource.get(element + "Age")
        if isinstance(age, dict):
            return self._age_interval(age, age)
        age_range = resource.get(element + "Range")
        if isinstance(age_range, dict):
            return self._age_interval(age_range.get("low"), age_range.get("high"))
        return None

    def _age_interval(self, low: Any, high: Any) -> Interval | None:
        if self.birth_date is None or not isinstance(low, dict) or not isinstance(high, dict):
            return None
        start = add_years(self.birth_date, int(low.get("value", 0)))
        end = add_years(self.birth_date, int(high.get("value", 0)) + 1)
        return Interval(_midnight(start), _midnight(end), True, False)

    def latest(self, resource: Resource, element: str = "effective") -> datetime | None:
        """QICoreCommon ``latest()``: the end of the timing if it has one, else its start."""
        interval = self.timing(resource, element)
        if interval is None:
            return None
        return interval.high if interval.has_end else interval.low

    def abatement(self, condition: Resource) -> Interval | None:
        """QICoreCommon ``abatementInterval()``."""
        interval = self.timing(condition, "abatement")
        if interval is not None and "abatementPeriod" in condition:
            return Interval(interval.low, interval.high, True, False)
        return interval

    def prevalence(self, condition: Resource) -> Interval:
        """QICoreCommon ``prevalenceInterval()`` of a Condition."""
        onset = self.timing(condition, "onset")
        start = onset.start if onset else None
        abatement = self.abatement(condition)
        end = abatement.end if abatement else None
        if is_active(condition):
            return Interval(start, end, True, True)
        return Interval(start, end, True, end is not None)


def period_interval(period: dict[str, Any]) -> Interval:
    """FHIRHelpers ``ToInterval(Period)``."""
    start = parse_datetime(period.get("start"))
    end = parse_datetime(period.get("end"))
    return Interval(start, end, start is not None, True)


def encounter_period(encounter: Resource) -> Interval | None:
    """An Encounter's period (``None`` when it has none)."""
    period = encounter.get("period")
    return period_interval(period) if isinstance(period, dict) else None


def is_active(condition: Resource) -> bool:
    """clinicalStatus is active, recurrence or relapse."""
    status = {c for _, c in codings(condition.get("clinicalStatus"))}
    return bool(status & {"active", "recurrence", "relapse"})


def is_verified(condition: Resource) -> bool:
    """Status ``verified()``: no verification status, or not refuted / entered in error."""
    status = {c for _, c in codings(condition.get("verificationStatus"))}
    if not status:
        return True
    return bool(status & {"confirmed", "unconfirmed", "provisional", "differential"})


def condition_categories(condition: Resource) -> set[str]:
    """The category codes of a Condition."""
    return {c for _, c in codings(condition.get("category"))}


def _condition_profile(condition: Resource) -> str:
    categories = condition_categories(condition)
    if _ENCOUNTER_DIAGNOSIS in categories:
        return "encounter"
    if categories & _PROBLEM_CATEGORIES:
        return "problem"
    return "any"


def do_not_perform(resource: Resource) -> bool:
    """``doNotPerform`` (or the R5 extension DeviceRequest carries it in)."""
    if resource.get("doNotPerform") is True:
        return True
    for ext in resource.get("modifierExtension", []) + resource.get("extension", []):
        if str(ext.get("url", "")).endswith("doNotPerform") and ext.get("valueBoolean"):
            return True
    return False


def not_done_reason(resource: Resource) -> list[Any]:
    """The reasons (CodeableConcepts) a cancelled or not-requested resource gives."""
    return [
        ext.get("valueCodeableConcept")
        for ext in resource.get("extension", [])
        if str(ext.get("url", "")).endswith(_NOT_DONE)
    ]


def _midnight(when: date) -> datetime:
    return datetime(when.year, when.month, when.day)
