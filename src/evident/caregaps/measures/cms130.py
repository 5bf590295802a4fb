"""CMS130 Colorectal Cancer Screening."""

from __future__ import annotations

from evident.caregaps.common import (
    Context,
    adult_outpatient_encounters,
    conditions_in,
    ends_by,
    ends_during_day,
    imaging_studies,
    lab_values,
    performed,
    refs,
    standard_exclusions,
    starts_by,
)
from evident.caregaps.measures import Outcome
from evident.caregaps.record import Resource

__all__ = ["LIBRARY", "evaluate"]

LIBRARY = "CMS130FHIRColorectalCancerScreening"


def evaluate(ctx: Context) -> Outcome:
    """Populations of CMS130 for one patient."""
    t, rec = ctx.terms, ctx.record
    encounters = adult_outpatient_encounters(ctx)
    initial = ctx.age_within(ctx.period.high, 46, 75) and bool(encounters)
    out = Outcome()
    out.populations["initial-population"] = initial
    out.populations["denominator"] = initial
    end = ctx.period.high
    cancer = [
        c
        for c in conditions_in(ctx, t.vs("Malignant Neoplasm of Colon"))
        if starts_by(rec.prevalence(c), end)
    ]
    colectomy = [
        p
        for p in performed(rec.retrieve("Procedure", t.vs("Total Colectomy")), {"completed"})
        if ends_by(rec.timing(p, "performed"), end)
    ]
    exclusion = standard_exclusions(ctx) + cancer + colectomy
    out.populations["denominator-exclusion"] = initial and bool(exclusion)
    screening = _screening(ctx)
    out.populations["numerator"] = initial and bool(screening)
    out.evidence = {
        "initial-population": refs([rec.patient, *encounters]),
        "denominator-exclusion": refs(exclusion),
        "numerator": refs(screening),
    }
    out.explanation = (
        "Colorectal cancer screening within its look-back window."
        if screening
        else "No FOBT this year, sDNA-FIT in 3 years, sigmoidoscopy or CT colonography in 5,"
        " or colonoscopy in 10."
    )
    return out


def _screening(ctx: Context) -> list[Resource]:
    t, rec, mp = ctx.terms, ctx.record, ctx.period
    found = [
        o
        for o in lab_values(ctx, t.vs("Fecal Occult Blood Test (FOBT)"))
        if mp.contains_day(rec.latest(o))
    ]
    within = ctx.shifted_period
    found += [
        o for o in lab_values(ctx, t.vs("sDNA FIT Test")) if within(2).contains_day(rec.latest(o))
    ]
    for name, years in (("Flexible Sigmoidoscopy", 4), ("Colonoscopy", 9)):
        done = performed(rec.retrieve("Procedure", t.vs(name)), {"completed"})
        found += [p for p in done if ends_during_day(rec.timing(p, "performed"), within(years))]
    found += [
        o
        for o in imaging_studies(ctx, t.vs("CT Colonography"))
        if ends_during_day(rec.timing(o, "effective"), within(4))
    ]
    return found
