"""CMS2 Preventive Care and Screening: Screening for Depression and Follow-Up Plan."""

from __future__ import annotations

from datetime import datetime, timedelta

from evident.caregaps.common import ORDER_INTENTS, Context, medication_request_period, refs
from evident.caregaps.measures import Outcome
from evident.caregaps.record import Resource, encounter_period, has_code, not_done_reason
from evident.caregaps.timing import Interval, before, day, on_or_before, parse_datetime

__all__ = ["LIBRARY", "evaluate"]

LIBRARY = "CMS2FHIRPCSDepressionScreenAndFollowUp"
_GROUPS = {
    "adolescent": (
        "Adolescent depression screening assessment",
        "Adolescent Depression Medications",
        "Referral for Adolescent Depression",
        "Follow Up for Adolescent Depression",
    ),
    "adult": (
        "Adult depression screening assessment",
        "Adult Depression Medications",
        "Referral for Adult Depression",
        "Follow Up for Adult Depression",
    ),
}


def evaluate(ctx: Context) -> Outcome:
    """Populations of CMS2 for one patient."""
    rec = ctx.record
    start = ctx.period.low
    encounters = _qualifying_encounters(ctx)
    initial = ctx.age_within(start, 12) and bool(encounters)
    out = Outcome()
    out.populations["initial-population"] = initial
    out.populations["denominator"] = initial
    bipolar = _bipolar_before(ctx, encounters)
    out.populations["denominator-exclusion"] = initial and bool(bipolar)
    groups: list[str] = []
    if ctx.age_within(start, 12, 17):
        groups.append("adolescent")
    if ctx.age_within(start, 17):
        groups.append("adult")
    met: list[Resource] = []
    for group in groups:
        met += _negative_or_followed_up(ctx, group, encounters)
    out.populations["numerator"] = initial and bool(met)
    exception: list[Resource] = []
    for group in ("adolescent", "adult"):
        declined = _not_screened(ctx, group, encounters)
        if declined and not _screenings(ctx, group, encounters):
            exception += declined
    out.populations["denominator-exception"] = initial and bool(exception)
    out.evidence = {
        "initial-population": refs([rec.patient, *encounters]),
        "denominator-exclusion": refs(bipolar),
        "numerator": refs(met),
    }
    screened = any(_screenings(ctx, g, encounters) for g in groups)
    if met:
        out.explanation = "Depression screening negative, or positive with a follow-up plan."
    elif screened:
        out.explanation = "Positive depression screening without a documented follow-up plan."
    else:
        out.explanation = "No depression screening within 14 days before a qualifying encounter."
    return out


def _qualifying_encounters(ctx: Context) -> list[Resource]:
    t = ctx.terms
    codes = t.vs("Encounter to Screen for Depression") | t.vs("Physical Therapy Evaluation")
    codes |= t.vs("Telephone Visits")
    found = []
    for enc in ctx.record.retrieve("Encounter", codes):
        span = encounter_period(enc)
        if span is not None and span.during_day(ctx.period) and enc.get("status") == "finished":
            found.append(enc)
    return found


def _start(enc: Resource) -> datetime | None:
    span = encounter_period(enc)
    return span.start if span else None


def _within_14_days_before(moment: datetime | None, enc: Resource) -> bool:
    """``X 14 days or less on or before day of start of encounter``."""
    start, when = day(_start(enc)), day(moment)
    if start is None:
        return False
    return on_or_before(start - timedelta(days=14), when) and on_or_before(when, start)


def _screenings(ctx: Context, group: str, encounters: list[Resource]) -> list[Resource]:
    rec = ctx.record
    code = ctx.terms.codes(_GROUPS[group][0])
    found = []
    for obs in rec.observations(code):
        span = rec.timing(obs, "effective")
        if (
            _has_value(obs)
            and obs.get("status") in {"final", "corrected"}
            and span is not None
            and any(_interval_within_14_days(span, e) for e in encounters)
        ):
            found.append(obs)
    return found


def _interval_within_14_days(span: Interval, enc: Resource) -> bool:
    # An interval "14 days or less on or before" a point: it ends in the 14 days up to it.
    return _within_14_days_before(span.end, enc)


def _has_value(obs: Resource) -> bool:
    return any(k.startswith("value") for k in obs)


def _most_recent(ctx: Context, group: str, encounters: list[Resource]) -> Resource | None:
    screenings = _screenings(ctx, group, encounters)
    dated = [
        (span.start, o)
        for o in screenings
        if (span := ctx.record.timing(o, "effective")) and span.start
    ]
    if not dated:
        return None
    dated.sort(key=lambda pair: pair[0])
    return dated[-1][1]


def _negative_or_followed_up(
    ctx: Context, group: str, encounters: list[Resource]
) -> list[Resource]:
    latest = _most_recent(ctx, group, encounters)
    if latest is None:
        return []
    value = latest.get("valueCodeableConcept")
    if has_code(value, ctx.terms.codes("Depression screening negative (finding)")):
        return [latest]
    if not has_code(value, ctx.terms.codes("Depression screening positive (finding)")):
        return []
    span = ctx.record.timing(latest, "effective")
    start = span.start if span else None
    for enc in encounters:
        if not _within_14_days_before(start, enc):
            continue
        follow = [
            f for f in _follow_ups(ctx, group, encounters, latest) if _after_encounter(ctx, f, enc)
        ]
        if follow:
            return [latest, *follow]
    return []


def _follow_ups(
    ctx: Context, group: str, encounters: list[Resource], latest: Resource
) -> list[Resource]:
    t, rec = ctx.terms, ctx.record
    _, meds, referral, procedure = _GROUPS[group]
    positive = has_code(
        latest.get("valueCodeableConcept"), t.codes("Depression screening positive (finding)")
    )
    span = rec.timing(latest, "effective")
    found = []
    for med in rec.requests("MedicationRequest", t.vs(meds)):
        period = medication_request_period(rec, med)
        if not (positive and period and med.get("status") in {"active", "completed"}):
            continue
        if med.get("intent") not in ORDER_INTENTS or span is None:
            continue
        for enc in encounters:
            enc_span = encounter_period(enc)
            if (
                enc_span
                and _within_14_days_before(span.start, enc)
                and period.overlaps_after_day(enc_span)
            ):
                found.append(med)
                break
    found += [
        r
        for r in rec.requests("ServiceRequest", t.vs(referral))
        if r.get("status") in {"active", "completed"}
    ]
    found += [
        p for p in rec.retrieve("Procedure", t.vs(procedure)) if p.get("status") == "completed"
    ]
    return found


def _after_encounter(ctx: Context, follow: Resource, enc: Resource) -> bool:
    enc_span = encounter_period(enc)
    if enc_span is None:
        return False
    performed = ctx.record.timing(follow, "performed")
    performed_start = performed.start if performed else None
    authored = parse_datetime(follow.get("authoredOn"))
    in_encounter = on_or_before(enc_span.start, performed_start) and on_or_before(
        performed_start, enc_span.end
    )
    end_day, authored_day = enc_span.end_day(), day(authored)
    after = (
        end_day is not None
        and on_or_before(end_day, authored_day)
        and on_or_before(authored_day, end_day + timedelta(days=2))
    )
    when = performed_start or authored
    return (in_encounter or after) and ctx.period.contains_day(when)


def _bipolar_before(ctx: Context, encounters: list[Resource]) -> list[Resource]:
    found = []
    for cond in ctx.record.conditions(ctx.terms.vs("Bipolar Disorder"), "problem"):
        start = ctx.record.prevalence(cond).start_day()
        if any(before(start, day(_start(e))) for e in encounters):
            found.append(cond)
    return found


def _not_screened(ctx: Context, group: str, encounters: list[Resource]) -> list[Resource]:
    t, rec = ctx.terms, ctx.record
    declined = t.codes("Depression screening declined (situation)") | t.vs("Medical Reason")
    found = []
    for obs in rec.observations(t.codes(_GROUPS[group][0]), cancelled=True):
        issued = parse_datetime(obs.get("issued"))
        spans = [s for e in encounters if (s := encounter_period(e))]
        reasons = not_done_reason(obs)
        if any(s.contains_day(issued) for s in spans) and has_code(reasons, declined):
            found.append(obs)
    return found
