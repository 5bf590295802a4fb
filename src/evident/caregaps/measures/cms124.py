"""CMS124 Cervical Cancer Screening."""

from __future__ import annotations

from evident.caregaps.common import (
    Context,
    conditions_in,
    encounters_during,
    ends_by,
    has_hospice_services,
    has_palliative_care,
    lab_values,
    patient_sex,
    performed,
    refs,
    starts_by,
)
from evident.caregaps.measures import Outcome
from evident.caregaps.record import Resource

__all__ = ["LIBRARY", "evaluate"]

LIBRARY = "CMS124FHIRCervicalCancerScreening"
_ENCOUNTERS = (
    "Office Visit",
    "Preventive Care Services Established Office Visit, 18 and Up",
    "Preventive Care Services Initial Office Visit, 18 and Up",
    "Home Healthcare Services",
    "Telephone Visits",
    "Virtual Encounter",
)


def evaluate(ctx: Context) -> Outcome:
    """Populations of CMS124 for one patient."""
    t, rec = ctx.terms, ctx.record
    female = patient_sex(ctx) == t.code("Female (finding)")[1]
    encounters = encounters_during(ctx, frozenset().union(*(t.vs(n) for n in _ENCOUNTERS)))
    initial = ctx.age_within(ctx.period.high, 24, 64) and female and bool(encounters)
    out = Outcome()
    out.populations["initial-population"] = initial
    out.populations["denominator"] = initial
    exclusion = has_hospice_services(ctx) + _no_cervix(ctx) + has_palliative_care(ctx)
    out.populations["denominator-exclusion"] = initial and bool(exclusion)
    tests = _screening(ctx)
    out.populations["numerator"] = initial and bool(tests)
    out.evidence = {
        "initial-population": refs([rec.patient, *encounters]),
        "denominator-exclusion": refs(exclusion),
        "numerator": refs(tests),
    }
    out.explanation = (
        "Cervical cytology within 3 years or HPV test (age 30+) within 5 years."
        if tests
        else "No cervical cytology within 3 years nor HPV test (age 30+) within 5 years."
    )
    return out


def _no_cervix(ctx: Context) -> list[Resource]:
    t, rec, end = ctx.terms, ctx.record, ctx.period.high
    procedures = performed(
        rec.retrieve("Procedure", t.vs("Hysterectomy with No Residual Cervix")), {"completed"}
    )
    found = [p for p in procedures if ends_by(rec.timing(p, "performed"), end)]
    absent = conditions_in(ctx, t.vs("Congenital or Acquired Absence of Cervix"))
    return found + [c for c in absent if starts_by(rec.prevalence(c), end)]


def _screening(ctx: Context) -> list[Resource]:
    t, rec = ctx.terms, ctx.record
    found = [
        o
        for o in lab_values(ctx, t.vs("Pap Test"))
        if ctx.shifted_period(2).contains_day(rec.latest(o))
    ]
    for obs in lab_values(ctx, t.vs("HPV Test")):
        when = rec.latest(obs)
        if ctx.age_within(when, 30) and ctx.shifted_period(4).contains_day(when):
            found.append(obs)
    return found
