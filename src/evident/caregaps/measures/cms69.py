"""CMS69 Preventive Care and Screening: BMI Screening and Follow-Up Plan."""

from __future__ import annotations

from datetime import date, datetime

from evident.caregaps.common import (
    DONE,
    Context,
    has_hospice_services,
    has_palliative_care,
    refs,
)
from evident.caregaps.measures import Outcome
from evident.caregaps.record import (
    Coding,
    Resource,
    condition_categories,
    encounter_period,
    has_code,
    is_active,
    not_done_reason,
)
from evident.caregaps.timing import Interval, day, on_or_before, parse_datetime

__all__ = ["LIBRARY", "evaluate"]

LIBRARY = "CMS69FHIRPCSBMIScreenAndFollowUp"


def evaluate(ctx: Context) -> Outcome:
    """Populations of CMS69 for one patient."""
    rec = ctx.record
    encounters = _qualifying_encounters(ctx)
    adults = [e for e in encounters if ctx.age_within((encounter_period(e) or _NO).start, 18)]
    initial = bool(adults)
    out = Outcome()
    out.populations["initial-population"] = initial
    out.populations["denominator"] = initial
    exclusion = has_hospice_services(ctx) + has_palliative_care(ctx) + _pregnant(ctx, encounters)
    out.populations["denominator-exclusion"] = initial and bool(exclusion)
    numerator, evidence, why = _numerator(ctx)
    out.populations["numerator"] = initial and numerator
    exception = _follow_up_not_done(ctx, encounters) + _bmi_not_done(ctx, encounters)
    out.populations["denominator-exception"] = initial and bool(exception)
    out.evidence = {
        "initial-population": refs([rec.patient, *adults]),
        "denominator-exclusion": refs(exclusion),
        "numerator": refs(evidence),
    }
    out.explanation = why
    return out


class _Never:
    start = None


_NO = _Never()


def _qualifying_encounters(ctx: Context) -> list[Resource]:
    virtual = ctx.terms.codes("virtual")
    found = []
    for enc in ctx.record.retrieve("Encounter", ctx.terms.vs("Encounter to Evaluate BMI")):
        span = encounter_period(enc)
        klass = enc.get("class")
        if (
            span is not None
            and span.during_day(ctx.period)
            and not has_code(klass, virtual)
            and enc.get("status") == "finished"
        ):
            found.append(enc)
    return found


def _pregnant(ctx: Context, encounters: list[Resource]) -> list[Resource]:
    if not encounters:
        return []
    codes = ctx.terms.vs("Pregnancy or Other Related Diagnoses")
    return [
        c
        for c in ctx.record.conditions(codes)
        if is_active(c) and ctx.record.prevalence(c).overlaps_day(ctx.period)
    ]


def _bmis(ctx: Context) -> list[tuple[Resource, float]]:
    rec, found = ctx.record, []
    for obs in rec.vital_signs(ctx.terms.codes("Body mass index (BMI) [Ratio]")):
        quantity = obs.get("valueQuantity") or {}
        value = quantity.get("value")
        span = rec.timing(obs, "effective")
        if (
            value is not None
            and float(value) > 0
            and obs.get("status") in DONE
            and span is not None
            and span.during_day(ctx.period)
        ):
            found.append((obs, float(value)))
    return found


def _numerator(ctx: Context) -> tuple[bool, list[Resource], str]:
    bmis = _bmis(ctx)
    high = [o for o, v in bmis if v >= 25]
    low = [o for o, v in bmis if v < 18.5]
    normal = [o for o, v in bmis if 18.5 <= v < 25]
    if high:
        follow = _interventions(ctx, "high")
        if follow:
            return True, high + follow, "BMI at or above 25 with a follow-up plan."
    if low:
        follow = _interventions(ctx, "low")
        if follow:
            return True, low + follow, "BMI below 18.5 with a follow-up plan."
    if normal and not high and not low:
        return True, normal, "Normal BMI documented in the measurement period."
    if not bmis:
        return False, [], "No BMI documented in the measurement period."
    return False, high + low, "Abnormal BMI without a follow-up plan in the measurement period."


def _interventions(ctx: Context, side: str) -> list[Resource]:
    t, rec = ctx.terms, ctx.record
    plan = "Follow Up for Above Normal BMI" if side == "high" else "Follow Up for Below Normal BMI"
    meds = (
        "Medications for Above Normal BMI" if side == "high" else "Medications for Below Normal BMI"
    )
    reason = t.vs("Overweight or Obese" if side == "high" else "Underweight")
    ordered = rec.requests(
        "ServiceRequest", t.vs(plan) | t.vs("Referrals Where Weight Assessment May Occur")
    )
    ordered += rec.requests("MedicationRequest", t.vs(meds))
    found = []
    for req in ordered:
        authored = parse_datetime(req.get("authoredOn"))
        if _ordered_for(ctx, req, reason, side, authored) and ctx.period.contains_day(authored):
            found.append(req)
    for proc in rec.retrieve("Procedure", t.vs(plan)):
        span = rec.timing(proc, "performed")
        start = span.start if span else None
        if _performed_for(ctx, proc, reason, side, span) and ctx.period.contains_day(start):
            found.append(proc)
    return found


def _ordered_for(
    ctx: Context, req: Resource, reason: frozenset[Coding], side: str, authored: datetime | None
) -> bool:
    if has_code(req.get("reasonCode"), reason):
        return True
    if authored is None:
        return False
    for cond in ctx.record.conditions(reason, "problem"):
        categories = condition_categories(cond)
        kinds = {"problem-list-item", "health-concern"} if side == "high" else {"health-concern"}
        start = ctx.record.prevalence(cond).start_day()
        if categories & kinds and is_active(cond) and on_or_before(start, day(authored)):
            return True
    return False


def _performed_for(
    ctx: Context, proc: Resource, reason: frozenset[Coding], side: str, span: Interval | None
) -> bool:
    if has_code(proc.get("reasonCode"), reason) and (
        side == "high" or proc.get("status") == "completed"
    ):
        return True
    if span is None or span.start is None:
        return False
    begun = span.start_day()
    for cond in ctx.record.conditions(reason, "problem"):
        prevalence = ctx.record.prevalence(cond)
        start, end = prevalence.start_day(), prevalence.end_day()
        # Prevalent when the procedure began: certainly, a partial date's range included.
        if not on_or_before(start, begun) or (end is not None and not on_or_before(begun, end)):
            continue
        if side == "high":
            return True
        if (
            "health-concern" in condition_categories(cond)
            and is_active(cond)
            and span.during_day(ctx.period)
        ):
            return True
    return False


def _follow_up_not_done(ctx: Context, encounters: list[Resource]) -> list[Resource]:
    t, rec = ctx.terms, ctx.record
    medical = t.vs("Medical Reason")
    services = t.vs("Referrals Where Weight Assessment May Occur") | t.vs(
        "Follow Up for Above Normal BMI"
    )
    services |= t.vs("Follow Up for Below Normal BMI")
    meds = t.vs("Medications for Above Normal BMI") | t.vs("Medications for Below Normal BMI")
    found = []
    for req in rec.requests("ServiceRequest", services, not_done=True):
        if req.get("status") == "completed" and has_code(not_done_reason(req), medical):
            found.append(req)
    for req in rec.requests("MedicationRequest", meds, not_done=True):
        if req.get("status") == "completed" and has_code(req.get("reasonCode"), medical):
            found.append(req)
    return [
        r for r in found if _same_day_as_encounter(parse_datetime(r.get("authoredOn")), encounters)
    ]


def _same_day_as_encounter(moment: object, encounters: list[Resource]) -> bool:
    if not isinstance(moment, datetime):
        return False
    starts = [(encounter_period(e) or _NO).start for e in encounters]
    return any(_same_day(day(s), day(moment)) for s in starts)


def _same_day(a: date | None, b: date | None) -> bool:
    """One day, certainly: a partial date spans many and is never the same day."""
    return on_or_before(a, b) and on_or_before(b, a)


def _bmi_not_done(ctx: Context, encounters: list[Resource]) -> list[Resource]:
    t, rec = ctx.terms, ctx.record
    reasons = t.vs("Patient Declined") | t.vs("Medical Reason")
    found = []
    for obs in rec.observations(t.codes("Body mass index (BMI) [Ratio]"), cancelled=True):
        span = rec.timing(obs, "effective")
        end = span.end if span else None
        if has_code(not_done_reason(obs), reasons) and _same_day_as_encounter(end, encounters):
            found.append(obs)
    return found
