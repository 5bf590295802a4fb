"""CMS349 HIV Screening."""

from __future__ import annotations

from evident.caregaps.common import DONE, Context, refs
from evident.caregaps.measures import Outcome
from evident.caregaps.record import Resource, codings, encounter_period
from evident.caregaps.timing import before, day, on_or_before, parse_datetime

__all__ = ["LIBRARY", "evaluate"]

LIBRARY = "CMS349FHIRHIVScreening"
_ENCOUNTERS = (
    "Preventive Care Services, Initial Office Visit, 0 to 17",
    "Preventive Care Services-Initial Office Visit, 18 and Up",
    "Preventive Care, Established Office Visit, 0 to 17",
    "Preventive Care Services - Established Office Visit, 18 and Up",
    "Office Visit",
)


def evaluate(ctx: Context) -> Outcome:
    """Populations of CMS349 for one patient."""
    t, rec = ctx.terms, ctx.record
    codes = frozenset().union(*(t.vs(n) for n in _ENCOUNTERS))
    encounters = [
        e
        for e in rec.retrieve("Encounter", codes)
        if (span := encounter_period(e))
        and span.during_day(ctx.period)
        and e.get("status") == "finished"
    ]
    initial = ctx.age_within(ctx.period.low, 15, 65) and bool(encounters)
    out = Outcome()
    out.populations["initial-population"] = initial
    out.populations["denominator"] = initial
    exclusion = _hiv_before(ctx)
    out.populations["denominator-exclusion"] = initial and bool(exclusion)
    tests = _tests(ctx)
    out.populations["numerator"] = initial and bool(tests)
    deceased = parse_datetime(rec.patient.get("deceasedDateTime"))
    end = ctx.period.end_day()
    expired = on_or_before(day(deceased), end)
    out.populations["denominator-exception"] = initial and expired
    out.evidence = {
        "initial-population": refs([rec.patient, *encounters]),
        "denominator-exclusion": refs(exclusion),
        "numerator": refs(tests),
    }
    out.explanation = (
        "HIV test recorded between ages 15 and 65."
        if tests
        else "No HIV test recorded between ages 15 and 65."
    )
    return out


def _hiv_before(ctx: Context) -> list[Resource]:
    rec, start = ctx.record, ctx.period.start_day()
    refuted = ctx.terms.code("refuted")
    found = []
    for cond in rec.conditions(ctx.terms.vs("HIV")):
        onset = rec.prevalence(cond).start_day()
        if refuted in codings(cond.get("verificationStatus")):
            continue
        if before(onset, start):
            found.append(cond)
    return found


def _tests(ctx: Context) -> list[Resource]:
    t, rec, end = ctx.terms, ctx.record, ctx.period.end
    codes = t.vs("Human Immunodeficiency Virus (HIV) Laboratory Test Codes (Ab and Ag)")
    codes |= t.codes("HIV 1 and 2 tests - Meaningful Use set")
    found = []
    for obs in rec.observations(codes):
        span = rec.timing(obs, "effective")
        start = span.start if span else None
        has_value = any(k.startswith("value") for k in obs)
        if (
            has_value
            and obs.get("status") in DONE
            and before(start, end)
            and ctx.age_within(start, 15, 65)
        ):
            found.append(obs)
    return found
