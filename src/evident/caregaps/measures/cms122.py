"""CMS122 Diabetes: Glycemic Status Assessment Greater Than 9% (an inverse measure)."""

from __future__ import annotations

from evident.caregaps.common import (
    DONE,
    Context,
    conditions_in,
    encounters_during,
    has_advanced_illness_and_frailty,
    has_hospice_services,
    has_palliative_care,
    lives_in_nursing_home,
    performed,
    refs,
)
from evident.caregaps.measures import Outcome
from evident.caregaps.record import Resource

__all__ = ["LIBRARY", "evaluate"]

LIBRARY = "CMS122FHIRDiabetesAssessGreaterThan9Percent"
_ENCOUNTER_SETS = (
    "Office Visit",
    "Annual Wellness Visit",
    "Preventive Care Services Established Office Visit, 18 and Up",
    "Preventive Care Services Initial Office Visit, 18 and Up",
    "Home Healthcare Services",
    "Nutrition Services",
    "Telephone Visits",
)
_ENCOUNTER_CODES = (
    "Medical nutrition therapy; initial assessment and intervention, individual, face-to-face "
    "with the patient, each 15 minutes",
    "Medical nutrition therapy; re-assessment and intervention, individual, face-to-face with "
    "the patient, each 15 minutes",
    "Medical nutrition therapy; group (2 or more individual(s)), each 30 minutes",
    "Medical nutrition therapy; reassessment and subsequent intervention(s) following second "
    "referral in same year for change in diagnosis, medical condition or treatment regimen "
    "(including additional hours needed for renal disease), individual, face to face with the "
    "patient, each 15 minutes",
    "Medical nutrition therapy, reassessment and subsequent intervention(s) following second "
    "referral in same year for change in diagnosis, medical condition, or treatment regimen "
    "(including additional hours needed for renal disease), group (2 or more individuals), each "
    "30 minutes",
)


def evaluate(ctx: Context) -> Outcome:
    """Populations of CMS122 for one patient."""
    t, rec = ctx.terms, ctx.record
    codes = frozenset().union(
        *(t.vs(n) for n in _ENCOUNTER_SETS), *(t.codes(c) for c in _ENCOUNTER_CODES)
    )
    encounters = encounters_during(ctx, codes)
    diabetes = [
        c
        for c in conditions_in(ctx, t.vs("Diabetes"), "encounter")
        if rec.prevalence(c).overlaps_day(ctx.period)
    ]
    initial = ctx.age_within(ctx.period.high, 18, 75) and bool(encounters) and bool(diabetes)
    out = Outcome()
    out.populations["initial-population"] = initial
    out.populations["denominator"] = initial
    exclusion = (
        has_hospice_services(ctx)
        or lives_in_nursing_home(ctx)
        or has_advanced_illness_and_frailty(ctx)
        or has_palliative_care(ctx)
    )
    out.populations["denominator-exclusion"] = initial and bool(exclusion)
    numerator, tests, why = _numerator(ctx)
    out.populations["numerator"] = initial and numerator
    out.evidence = {
        "initial-population": refs([rec.patient, *encounters, *diabetes]),
        "denominator-exclusion": refs(exclusion),
        "numerator": refs(tests),
    }
    out.explanation = why
    return out


def _numerator(ctx: Context) -> tuple[bool, list[Resource], str]:
    t, rec = ctx.terms, ctx.record
    codes = t.vs("HbA1c Laboratory Test") | t.codes("Glucose management indicator")
    tests = [
        o
        for o in performed(rec.observations(codes), DONE)
        if ctx.period.contains_day(rec.latest(o))
    ]
    if not tests:
        return True, [], "No glycemic status assessment (HbA1c or GMI) in the measurement period."
    last_day = max(d for o in tests if (d := rec.latest(o)) is not None).date()
    same_day = [o for o in tests if (d := rec.latest(o)) is not None and d.date() == last_day]
    # CQL sorts nulls first: a result without a value on the most recent day wins the sort.
    same_day.sort(key=lambda o: (_value(o) is not None, _value(o) or 0.0))
    lowest = same_day[0]
    value = _value(lowest)
    if not any(key.startswith("value") for key in lowest):
        return True, [lowest], f"The most recent glycemic assessment ({last_day}) has no result."
    if value is not None and value > 9:
        return (
            True,
            [lowest],
            f"The most recent glycemic assessment ({last_day}) is {value:g}% (> 9%).",
        )
    shown = f"{value:g}%" if value is not None else "not a quantity"
    return (
        False,
        [lowest],
        f"The most recent glycemic assessment ({last_day}) is {shown} (not > 9%).",
    )


def _value(observation: Resource) -> float | None:
    quantity = observation.get("valueQuantity")
    if isinstance(quantity, dict) and quantity.get("value") is not None:
        return float(quantity["value"])
    return None
