"""CMS125 Breast Cancer Screening."""

from __future__ import annotations

from datetime import datetime

from evident.caregaps.common import (
    Context,
    adult_outpatient_encounters,
    conditions_in,
    ends_by,
    ends_during_day,
    imaging_studies,
    patient_sex,
    performed,
    refs,
    standard_exclusions,
    starts_by,
)
from evident.caregaps.measures import Outcome
from evident.caregaps.record import Resource, has_code
from evident.caregaps.timing import Interval

__all__ = ["LIBRARY", "evaluate"]

LIBRARY = "CMS125FHIRBreastCancerScreening"


def evaluate(ctx: Context) -> Outcome:
    """Populations of CMS125 for one patient."""
    t, rec = ctx.terms, ctx.record
    female = patient_sex(ctx) == t.code("Female (finding)")[1]
    encounters = adult_outpatient_encounters(ctx)
    initial = ctx.age_within(ctx.period.high, 42, 74) and female and bool(encounters)
    out = Outcome()
    out.populations["initial-population"] = initial
    out.populations["denominator"] = initial
    exclusion = standard_exclusions(ctx) + _mastectomy(ctx)
    out.populations["denominator-exclusion"] = initial and bool(exclusion)
    window = Interval(datetime(ctx.start.year - 2, 10, 1), ctx.period.high)
    mammograms = [
        o
        for o in imaging_studies(ctx, t.vs("Mammography"))
        if ends_during_day(rec.timing(o, "effective"), window)
    ]
    out.populations["numerator"] = initial and bool(mammograms)
    out.evidence = {
        "initial-population": refs([rec.patient, *encounters]),
        "denominator-exclusion": refs(exclusion),
        "numerator": refs(mammograms),
    }
    since = window.start_day()
    out.explanation = (
        f"Mammogram between {since} and {ctx.period.end_day()}."
        if mammograms
        else f"No mammogram between {since} and {ctx.period.end_day()}."
    )
    return out


def _mastectomy(ctx: Context) -> list[Resource]:
    t, rec, end = ctx.terms, ctx.record, ctx.period.high
    right = _diagnoses(ctx, "Status Post Right Mastectomy", "Right (qualifier value)")
    right += _procedures(ctx, "Unilateral Mastectomy Right")
    left = _diagnoses(ctx, "Status Post Left Mastectomy", "Left (qualifier value)")
    left += _procedures(ctx, "Unilateral Mastectomy Left")
    found = right + left if right and left else []
    found += [
        c
        for c in conditions_in(ctx, t.vs("History of bilateral mastectomy"))
        if starts_by(rec.prevalence(c), end)
    ]
    return found + _procedures(ctx, "Bilateral Mastectomy")


def _diagnoses(ctx: Context, status_post: str, side: str) -> list[Resource]:
    t, rec, end = ctx.terms, ctx.record, ctx.period.high
    found = conditions_in(ctx, t.vs(status_post))
    unspecified = conditions_in(ctx, t.vs("Unilateral Mastectomy, Unspecified Laterality"))
    found += [c for c in unspecified if has_code(c.get("bodySite"), t.codes(side))]
    return [c for c in found if starts_by(rec.prevalence(c), end)]


def _procedures(ctx: Context, name: str) -> list[Resource]:
    rec = ctx.record
    done = performed(rec.retrieve("Procedure", ctx.terms.vs(name)), {"completed"})
    return [p for p in done if ends_by(rec.timing(p, "performed"), ctx.period.high)]
