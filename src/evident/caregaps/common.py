"""Shared measure logic: the context a measure runs in and the included libraries.

Each function here follows one definition of the published libraries every primary-care
measure includes (``Status``, ``Hospice``, ``PalliativeCare``, ``AdvancedIllnessandFrailty``,
``AdultOutpatientEncounters``, ``CumulativeMedicationDuration``); its docstring names it.
A definition that the CQL calls ``exists`` returns the resources that satisfy it, so the
caller can cite them as evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from evident.caregaps.content import Content, Terminology
from evident.caregaps.record import (
    Record,
    Resource,
    encounter_period,
    has_code,
    is_verified,
    resource_ref,
)
from evident.caregaps.timing import (
    Interval,
    add_years,
    age_in_years,
    ages_in_years,
    day,
    midnight,
    on_or_before,
    parse_datetime,
)

__all__ = [
    "DONE",
    "ORDER_INTENTS",
    "Context",
    "adult_outpatient_encounters",
    "conditions_in",
    "encounters_during",
    "ends_by",
    "ends_during_day",
    "finished",
    "frail_66_80_or_81",
    "has_advanced_illness_and_frailty",
    "has_advanced_illness_or_dementia_medication",
    "has_frailty",
    "has_hospice_services",
    "has_palliative_care",
    "imaging_studies",
    "is_order",
    "lab_values",
    "lives_in_nursing_home",
    "medication_request_period",
    "patient_sex",
    "performed",
    "refs",
    "standard_exclusions",
    "starts_by",
]

ORDER_INTENTS = frozenset(
    {"order", "original-order", "reflex-order", "filler-order", "instance-order"}
)
DONE = frozenset({"final", "amended", "corrected"})


@dataclass
class Context:
    """What a measure evaluates: one record, a measurement period and the content.

    Attributes:
        record: The patient's resources.
        content: The measure content (terminology).
        period: The measurement period (start of the first day to end of the last).
        library: The measure's own library name.
    """

    record: Record
    content: Content
    period: Interval
    library: str

    @property
    def start(self) -> datetime:
        """The first moment of the measurement period."""
        return self.period.low or datetime.min

    @property
    def terms(self) -> Terminology:
        """The measure library's value sets and codes."""
        return self.content.library(self.library)

    def lib(self, name: str) -> Terminology:
        """Another library's value sets and codes."""
        return self.content.library(name)

    def age_at(self, when: date | datetime | None) -> int | None:
        """``AgeInYearsAt(date from when)``."""
        at = day(when)
        return age_in_years(self.record.birth_date, at) if at else None

    def age_within(self, when: date | datetime | None, low: int, high: int | None = None) -> bool:
        """``AgeInYearsAt(date from when) in Interval[low, high]`` (no ``high``: ``>= low``).

        With a partial birth date or ``when``, true only when every age they allow is in
        the bounds (CQL's comparison of an uncertain age); straddling a bound is unknown.
        """
        ages = ages_in_years(self.record.birth_date, day(when))
        return ages is not None and low <= ages[0] and (high is None or ages[1] <= high)

    @property
    def age_at_end(self) -> int | None:
        """Age at the end of the measurement period."""
        return self.age_at(self.period.high)

    @property
    def age_at_start(self) -> int | None:
        """Age at the start of the measurement period."""
        return self.age_at(self.period.low)

    def shifted_period(self, years: int) -> Interval:
        """``Interval[start of "Measurement Period" - years, end of "Measurement Period"]``."""
        low = self.period.start or datetime(1, 1, 1)
        start = add_years(low.date(), -years)
        return Interval(datetime(start.year, start.month, start.day), self.period.high)


def refs(resources: list[Resource]) -> list[str]:
    """``ResourceType/id`` of each resource, in order, without repeats."""
    return list(dict.fromkeys(resource_ref(r) for r in resources))


def performed(resources: list[Resource], allowed: frozenset[str] | set[str]) -> list[Resource]:
    """The resources whose status is in ``allowed`` (the Status library's filters)."""
    return [r for r in resources if r.get("status") in allowed]


def finished(encounters: list[Resource]) -> list[Resource]:
    """Status ``isEncounterPerformed()``."""
    return [e for e in encounters if e.get("status") == "finished"]


def conditions_in(ctx: Context, codes: frozenset[Any], profile: str = "any") -> list[Resource]:
    """``([Condition...: codes]).verified()``."""
    return [c for c in ctx.record.conditions(codes, profile) if is_verified(c)]


def adult_outpatient_encounters(ctx: Context) -> list[Resource]:
    """AdultOutpatientEncounters ``"Qualifying Encounters"``."""
    terms = ctx.lib("AdultOutpatientEncounters")
    names = (
        "Office Visit",
        "Annual Wellness Visit",
        "Preventive Care Services Established Office Visit, 18 and Up",
        "Preventive Care Services Initial Office Visit, 18 and Up",
        "Home Healthcare Services",
        "Virtual Encounter",
        "Telephone Visits",
    )
    return encounters_during(ctx, frozenset().union(*(terms.vs(n) for n in names)))


def encounters_during(ctx: Context, codes: frozenset[Any]) -> list[Resource]:
    """Finished encounters with a type in ``codes`` whose period is during the period."""
    found = finished(ctx.record.retrieve("Encounter", codes))
    return [e for e in found if _during(encounter_period(e), ctx.period)]


def _during(interval: Interval | None, period: Interval) -> bool:
    return interval is not None and interval.during_day(period)


def _overlaps(interval: Interval | None, period: Interval) -> bool:
    return interval is not None and interval.overlaps_day(period)


def has_hospice_services(ctx: Context) -> list[Resource]:
    """Hospice ``"Has Hospice Services"``."""
    t, rec, mp = ctx.lib("Hospice"), ctx.record, ctx.period
    found: list[Resource] = []
    to_hospice = t.codes("Discharge to home for hospice care (procedure)") | t.codes(
        "Discharge to healthcare facility for hospice care (procedure)"
    )
    for enc in finished(rec.retrieve("Encounter", t.vs("Encounter Inpatient"))):
        disposition = (enc.get("hospitalization") or {}).get("dischargeDisposition")
        span = encounter_period(enc)
        if has_code(disposition, to_hospice) and span and mp.contains_day(span.end):
            found.append(enc)
    for enc in finished(rec.retrieve("Encounter", t.vs("Hospice Encounter"))):
        if _overlaps(encounter_period(enc), mp):
            found.append(enc)
    yes = t.codes("Yes (qualifier value)")
    for obs in performed(rec.observations(t.codes("Hospice care [Minimum Data Set]")), DONE):
        if has_code(obs.get("valueCodeableConcept"), yes) and _overlaps(
            rec.timing(obs, "effective"), mp
        ):
            found.append(obs)
    for req in rec.requests("ServiceRequest", t.vs("Hospice Care Ambulatory")):
        if is_order(req) and mp.contains_day(_authored(req)):
            found.append(req)
    for proc in performed(
        rec.retrieve("Procedure", t.vs("Hospice Care Ambulatory")), {"completed"}
    ):
        if _overlaps(rec.timing(proc, "performed"), mp):
            found.append(proc)
    for cond in conditions_in(ctx, t.vs("Hospice Diagnosis")):
        if _overlaps(rec.prevalence(cond), mp):
            found.append(cond)
    return found


def is_order(request: Resource) -> bool:
    """Status ``isInterventionOrder()`` and its siblings: active/completed orders."""
    return (
        request.get("status") in {"active", "completed"} and request.get("intent") in ORDER_INTENTS
    )


def _authored(resource: Resource) -> datetime | None:
    return parse_datetime(resource.get("authoredOn"))


def has_palliative_care(ctx: Context) -> list[Resource]:
    """PalliativeCare ``"Has Palliative Care in the Measurement Period"``."""
    t, rec, mp = ctx.lib("PalliativeCare"), ctx.record, ctx.period
    facit = (
        "Functional Assessment of Chronic Illness Therapy - Palliative Care Questionnaire"
        " (FACIT-Pal)"
    )
    found = [
        o
        for o in performed(rec.observations(t.codes(facit)), DONE)
        if _overlaps(rec.timing(o, "effective"), mp)
    ]
    found += [
        c
        for c in conditions_in(ctx, t.vs("Palliative Care Diagnosis"))
        if _overlaps(rec.prevalence(c), mp)
    ]
    found += [
        e
        for e in finished(rec.retrieve("Encounter", t.vs("Palliative Care Encounter")))
        if _overlaps(encounter_period(e), mp)
    ]
    found += [
        p
        for p in performed(
            rec.retrieve("Procedure", t.vs("Palliative Care Intervention")), {"completed"}
        )
        if _overlaps(rec.timing(p, "performed"), mp)
    ]
    return found


def has_frailty(ctx: Context) -> list[Resource]:
    """AdvancedIllnessandFrailty ``"Has Criteria Indicating Frailty"``."""
    t, rec, mp = ctx.lib("AdvancedIllnessandFrailty"), ctx.record, ctx.period
    device = t.vs("Frailty Device")
    found = [
        r
        for r in rec.requests("DeviceRequest", device)
        if r.get("status") in {"active", "completed"}
        and r.get("intent") in ORDER_INTENTS
        and mp.contains_day(_authored(r))
    ]
    for obs in performed(rec.observations(t.codes("Medical equipment used")), DONE):
        span = rec.timing(obs, "effective")
        if has_code(obs.get("valueCodeableConcept"), device) and span and mp.contains_day(span.end):
            found.append(obs)
    found += [
        c for c in conditions_in(ctx, t.vs("Frailty Diagnosis")) if _overlaps(rec.prevalence(c), mp)
    ]
    found += [
        e
        for e in finished(rec.retrieve("Encounter", t.vs("Frailty Encounter")))
        if _overlaps(encounter_period(e), mp)
    ]
    symptoms = rec.observations(t.vs("Frailty Symptom"))
    found += [
        o
        for o in performed(symptoms, DONE | {"preliminary"})
        if _overlaps(rec.timing(o, "effective"), mp)
    ]
    return found


def has_advanced_illness_or_dementia_medication(ctx: Context) -> list[Resource]:
    """Advanced illness, or dementia medications, in the year before or during the period."""
    t, rec = ctx.lib("AdvancedIllnessandFrailty"), ctx.record
    window = ctx.shifted_period(1)
    found = [
        c
        for c in conditions_in(ctx, t.vs("Advanced Illness"))
        if window.contains_day(rec.prevalence(c).start if rec.prevalence(c).low else None)
    ]
    for med in rec.requests("MedicationRequest", t.vs("Dementia Medications")):
        span = medication_request_period(rec, med)
        if (
            med.get("status") == "active"
            and med.get("intent") in ORDER_INTENTS
            and _overlaps(span, window)
        ):
            found.append(med)
    return found


def has_advanced_illness_and_frailty(ctx: Context, upper: int | None = None) -> list[Resource]:
    """``"Is Age 66 or Older with Advanced Illness and Frailty"`` (``upper``: the 66-80 band)."""
    if not ctx.age_within(ctx.period.high, 66, upper):
        return []
    frailty = has_frailty(ctx)
    illness = has_advanced_illness_or_dementia_medication(ctx)
    return frailty + illness if frailty and illness else []


def frail_66_80_or_81(ctx: Context) -> list[Resource]:
    """AdvancedIllnessandFrailty: age 66-80 with illness and frailty, or 81+ with frailty."""
    if ctx.age_within(ctx.period.high, 66, 80):
        return has_advanced_illness_and_frailty(ctx, upper=80)
    return has_frailty(ctx) if ctx.age_within(ctx.period.high, 81) else []


def lives_in_nursing_home(ctx: Context) -> list[Resource]:
    """``"Is Age 66 or Older Living Long Term in a Nursing Home"``."""
    if not ctx.age_within(ctx.period.high, 66):
        return []
    t, rec = ctx.lib("AdvancedIllnessandFrailty"), ctx.record
    end_day = ctx.period.end_day()
    dated: list[tuple[datetime, Resource]] = []
    for obs in performed(rec.observations(t.codes("Housing status")), DONE):
        span = rec.timing(obs, "effective")
        if span and span.end and on_or_before(span.end_day(), end_day):
            dated.append((span.end, obs))
    if not dated:
        return []
    last = max(dated, key=lambda pair: pair[0])[1]
    nursing = t.codes("Lives in nursing home (finding)")
    return [last] if has_code(last.get("valueCodeableConcept"), nursing) else []


_PER_DAY = {
    "s": 86400.0,
    "min": 1440.0,
    "h": 24.0,
    "d": 1.0,
    "wk": 1 / 7,
    "mo": 1 / 30,
    "a": 1 / 365,
}
_DAYS = {"d": 1.0, "day": 1.0, "days": 1.0, "wk": 7.0, "mo": 30.0, "a": 365.0, "h": 1 / 24}


def medication_request_period(rec: Record, request: Resource) -> Interval | None:
    """CumulativeMedicationDuration ``medicationRequestPeriod()``, at day precision."""
    dosages = request.get("dosageInstruction") or []
    dosage = dosages[0] if len(dosages) == 1 else {}
    repeat = (dosage.get("timing") or {}).get("repeat") or {}
    bounds = repeat.get("boundsPeriod") or {}
    dispense = request.get("dispenseRequest") or {}
    start = (
        parse_datetime(bounds.get("start"))
        or parse_datetime(request.get("authoredOn"))
        or parse_datetime((dispense.get("validityPeriod") or {}).get("start"))
    )
    if start is None:
        return None
    start = midnight(start)
    total = _days_supplied(dosage, repeat, dispense)
    if total is not None:
        return Interval(start, start + timedelta(days=total - 1))
    end = parse_datetime(bounds.get("end"))
    if end is not None:
        return Interval(start, midnight(end))
    return None


def _days_supplied(
    dosage: dict[str, Any], repeat: dict[str, Any], dispense: dict[str, Any]
) -> float | None:
    refills = 1 + int(dispense.get("numberOfRepeatsAllowed") or 0)
    supply = dispense.get("expectedSupplyDuration") or {}
    unit = supply.get("code") or supply.get("unit")
    if supply.get("value") is not None and unit in _DAYS:
        return float(supply["value"]) * _DAYS[str(unit)] * refills
    quantity = (dispense.get("quantity") or {}).get("value")
    rates = dosage.get("doseAndRate") or []
    rate = rates[0] if len(rates) == 1 else {}
    dose = (rate.get("doseQuantity") or (rate.get("doseRange") or {}).get("high") or {}).get(
        "value"
    )
    if quantity is None or not dose:
        return None
    frequency = repeat.get("frequencyMax") or repeat.get("frequency")
    per_day: float | None = None
    if frequency and repeat.get("period") and repeat.get("periodUnit") in _PER_DAY:
        per_day = float(frequency) / float(repeat["period"]) * _PER_DAY[repeat["periodUnit"]]
    if per_day is None:
        per_day = float(len(repeat.get("timeOfDay") or [])) or 1.0
    return float(quantity) / (float(dose) * per_day) * refills


def ends_during_day(span: Interval | None, window: Interval) -> bool:
    """``span ends during day of window``."""
    return span is not None and window.contains_day(span.end)


def ends_by(span: Interval | None, moment: datetime | None) -> bool:
    """``span ends on or before day of moment``."""
    return span is not None and on_or_before(span.end_day(), day(moment))


def starts_by(span: Interval | None, moment: datetime | None) -> bool:
    """``span starts on or before day of moment``."""
    return span is not None and on_or_before(span.start_day(), day(moment))


def patient_sex(ctx: Context) -> str | None:
    """The code of the US Core sex extension (QI-Core ``Patient.sex``)."""
    for ext in ctx.record.patient.get("extension", []):
        if str(ext.get("url", "")).endswith("us-core-sex"):
            if ext.get("valueCode"):
                return str(ext["valueCode"])
            coding = ext.get("valueCoding") or {}
            return str(coding.get("code")) if coding.get("code") else None
    return None


def standard_exclusions(ctx: Context) -> list[Resource]:
    """Hospice, advanced illness and frailty (66+), nursing home (66+), palliative care."""
    return (
        has_hospice_services(ctx)
        + has_advanced_illness_and_frailty(ctx)
        + lives_in_nursing_home(ctx)
        + has_palliative_care(ctx)
    )


def lab_values(ctx: Context, codes: frozenset[Any]) -> list[Resource]:
    """``([LaboratoryResultObservation: codes]).isLaboratoryTestPerformed()`` with a value."""
    found = performed(ctx.record.observations(codes), DONE)
    return [o for o in found if any(k.startswith("value") for k in o)]


def imaging_studies(ctx: Context, codes: frozenset[Any]) -> list[Resource]:
    """``([ObservationClinicalResult: codes]).isDiagnosticStudyPerformed()``."""
    imaging = ctx.lib("Status").codes("imaging")
    found = performed(ctx.record.observations(codes), DONE)
    return [o for o in found if has_code(o.get("category"), imaging)]
