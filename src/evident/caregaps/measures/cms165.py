"""CMS165 Controlling High Blood Pressure."""

from __future__ import annotations

from datetime import date, datetime

from evident.caregaps.common import (
    DONE,
    Context,
    adult_outpatient_encounters,
    conditions_in,
    finished,
    frail_66_80_or_81,
    has_hospice_services,
    has_palliative_care,
    lives_in_nursing_home,
    performed,
    refs,
)
from evident.caregaps.measures import Outcome
from evident.caregaps.record import Resource, encounter_period, has_code
from evident.caregaps.timing import Interval, on_or_before

__all__ = ["LIBRARY", "evaluate"]

LIBRARY = "CMS165FHIRControllingHighBloodPressure"
_NON_OUTPATIENT_CLASSES = {"EMER", "IMP", "ACUTE", "NONAC", "PRENC", "SS"}


def evaluate(ctx: Context) -> Outcome:
    """Populations of CMS165 for one patient."""
    t, rec = ctx.terms, ctx.record
    first_half = Interval(ctx.start, _months_later(ctx.start, 6), True, False)
    hypertension = [
        c
        for c in conditions_in(ctx, t.vs("Essential Hypertension"))
        if rec.prevalence(c).overlaps(first_half)
    ]
    encounters = adult_outpatient_encounters(ctx)
    initial = ctx.age_within(ctx.period.high, 18, 85) and bool(hypertension) and bool(encounters)
    out = Outcome()
    out.populations["initial-population"] = initial
    out.populations["denominator"] = initial
    exclusion = _exclusions(ctx)
    out.populations["denominator-exclusion"] = initial and bool(exclusion)
    numerator, readings, why = _numerator(ctx)
    out.populations["numerator"] = initial and numerator
    out.evidence = {
        "initial-population": refs([rec.patient, *encounters, *hypertension]),
        "denominator-exclusion": refs(exclusion),
        "numerator": refs(readings),
    }
    out.explanation = why
    return out


def _months_later(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    return moment.replace(year=moment.year + month // 12, month=month % 12 + 1)


def _exclusions(ctx: Context) -> list[Resource]:
    t, rec, mp = ctx.terms, ctx.record, ctx.period
    found = has_hospice_services(ctx)
    names = (
        "Pregnancy",
        "End Stage Renal Disease",
        "Kidney Transplant Recipient",
        "Chronic Kidney Disease, Stage 5",
    )
    codes = frozenset().union(*(t.vs(n) for n in names))
    found += [c for c in conditions_in(ctx, codes) if rec.prevalence(c).overlaps(mp)]
    end = mp.end
    procedures = rec.retrieve("Procedure", t.vs("Kidney Transplant") | t.vs("Dialysis Services"))
    for proc in performed(procedures, {"completed"}):
        span = rec.timing(proc, "performed")
        if span and on_or_before(span.end, end):
            found.append(proc)
    for enc in finished(rec.retrieve("Encounter", t.vs("ESRD Monthly Outpatient Services"))):
        span = encounter_period(enc)
        if span and on_or_before(span.start, end):
            found.append(enc)
    found += frail_66_80_or_81(ctx) + lives_in_nursing_home(ctx) + has_palliative_care(ctx)
    return found


def _qualifying_readings(ctx: Context) -> list[Resource]:
    t, rec, mp = ctx.terms, ctx.record, ctx.period
    # [USCoreBloodPressureProfile]: vital signs carrying the systolic/diastolic components.
    parts = t.codes("Systolic blood pressure") | t.codes("Diastolic blood pressure")
    readings = [
        o
        for o in performed(rec.vital_signs(None), DONE)
        if any(has_code(c.get("code"), parts) for c in o.get("component", []))
    ]
    bad_codes = t.vs("Encounter Inpatient") | t.vs(
        "Emergency Department Evaluation and Management Visit"
    )
    disqualifying = [
        s for e in finished(rec.retrieve("Encounter", bad_codes)) if (s := encounter_period(e))
    ]
    keep: list[Resource] = []
    for obs in readings:
        when = rec.latest(obs)
        outside = not any(span.contains_day(when) for span in disqualifying)
        encounter = rec.resolve(obs.get("encounter"))
        klass = (encounter or {}).get("class") or {}
        outpatient = not (encounter is not None and klass.get("code") in _NON_OUTPATIENT_CLASSES)
        in_period = mp.contains_day(when)
        if outside or (outpatient and in_period):
            keep.append(obs)
    return keep


def _component(ctx: Context, obs: Resource, name: str) -> float | None:
    code = ctx.terms.codes(name)
    values = [
        c.get("valueQuantity", {}).get("value")
        for c in obs.get("component", [])
        if has_code(c.get("code"), code)
    ]
    return float(values[0]) if len(values) == 1 and values[0] is not None else None


def _numerator(ctx: Context) -> tuple[bool, list[Resource], str]:
    rec = ctx.record
    readings = _qualifying_readings(ctx)
    days = sorted({d.date() for o in readings if (d := rec.latest(o)) is not None})
    if not days:
        return False, [], "No blood pressure reading in the measurement period."
    last: date = days[-1]
    same_day = [o for o in readings if (d := rec.latest(o)) is not None and d.date() == last]
    systolic = _lowest(ctx, same_day, "Systolic blood pressure")
    diastolic = _lowest(ctx, same_day, "Diastolic blood pressure")
    controlled = (
        systolic is not None and diastolic is not None and systolic < 140 and diastolic < 90
    )
    shown = f"{_fmt(systolic)}/{_fmt(diastolic)} mmHg"
    verdict = "controlled (< 140/90)" if controlled else "not controlled (< 140/90 not met)"
    return controlled, same_day, f"Most recent blood pressure ({last}) lowest {shown}: {verdict}."


def _lowest(ctx: Context, readings: list[Resource], name: str) -> float | None:
    values = [_component(ctx, o, name) for o in readings]
    # CQL sorts nulls first, so a reading without the component makes the lowest null.
    if any(v is None for v in values):
        return None
    return min(v for v in values if v is not None) if values else None


def _fmt(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"
