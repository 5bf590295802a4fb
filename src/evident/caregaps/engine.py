"""Evaluate measures for one record and report populations, gaps and evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from evident.caregaps.common import Context
from evident.caregaps.content import Content
from evident.caregaps.measures import MEASURES, Outcome, measure_module
from evident.caregaps.record import Record
from evident.caregaps.timing import Interval
from evident.errors import InputError

__all__ = ["MeasureResult", "evaluate_measures", "measurement_period", "results_json"]

_ORDER = (
    "initial-population",
    "denominator",
    "denominator-exclusion",
    "denominator-exception",
    "numerator",
    "numerator-exclusion",
)


@dataclass(frozen=True)
class MeasureResult:
    """One measure's result for one patient (the ``measures[]`` item of the JSON contract).

    Attributes:
        measure: The Measure's name.
        scoring: Its scoring (``proportion``).
        populations: Population code -> 0 or 1, for the codes the Measure defines.
        gap: In the denominator, neither excluded nor excepted, and not in the numerator.
        evidence: ``numerator`` and ``denominator`` -> ``ResourceType/id`` references.
        explanation: One sentence on the decisive criterion.
    """

    measure: str
    scoring: str
    populations: dict[str, int]
    gap: bool
    evidence: dict[str, list[str]]
    explanation: str

    def as_json(self) -> dict[str, Any]:
        """The JSON contract's measure object."""
        return {
            "measure": self.measure,
            "scoring": self.scoring,
            "populations": dict(self.populations),
            "gap": self.gap,
            "evidence": {k: list(v) for k, v in self.evidence.items()},
            "explanation": self.explanation,
        }


def measurement_period(start: date, end: date) -> Interval:
    """The measurement period from the first moment of ``start`` to the last of ``end``."""
    if end < start:
        raise InputError("the measurement period ends before it starts")
    return Interval(
        datetime(start.year, start.month, start.day),
        datetime(end.year, end.month, end.day, 23, 59, 59, 999000),
    )


def evaluate_measures(
    record: Record, content: Content, measures: list[str], period: Interval
) -> list[MeasureResult]:
    """Evaluate each CMS-numbered measure on ``record``.

    Raises:
        InputError: A measure is not in the content or has no implementation, or a
            resource it reads has another shape than FHIR R4's.
    """
    results = []
    for cms in measures:
        module = measure_module(cms)
        if module is None:
            known = ", ".join(MEASURES)
            raise InputError(f"no implementation of measure {cms!r} (known: {known})")
        info = content.measure(content.find_measure(cms))
        ctx = Context(record=record, content=content, period=period, library=module.LIBRARY)
        try:
            outcome: Outcome = module.evaluate(ctx)
        except (AttributeError, TypeError, KeyError, ValueError):
            # Records are read as JSON, not validated as FHIR: a string where a list or a
            # CodeableConcept belongs is bad input, named without the value it holds.
            raise InputError(
                f"{info.name}: a resource of the record has an unexpected shape "
                "(is it valid FHIR R4?)"
            ) from None
        missing = ctx.terms.missing()
        if missing:
            # A measure run without some of its codes can miss a numerator or an exclusion:
            # say so where the reader looks, in the explanation.
            outcome.explanation += f" (Measure content lacks value sets: {', '.join(missing)}.)"
        results.append(_result(info.name, info.scoring, info.populations, outcome))
    return results


def _result(name: str, scoring: str, codes: tuple[str, ...], out: Outcome) -> MeasureResult:
    pops = {code: int(bool(out.populations.get(code, False))) for code in _ordered(codes)}
    _proportion_rules(pops)
    denominator = bool(pops.get("denominator"))
    excluded = bool(pops.get("denominator-exclusion")) or bool(pops.get("denominator-exception"))
    in_numerator = bool(pops.get("numerator"))
    gap = denominator and not excluded and not in_numerator
    denominator_refs = out.evidence.get("initial-population", []) if denominator else []
    evidence = {
        "numerator": out.evidence.get("numerator", []) if in_numerator else [],
        "denominator": denominator_refs,
    }
    return MeasureResult(name, scoring, pops, gap, evidence, out.explanation)


def _proportion_rules(pops: dict[str, int]) -> None:
    """Apply the proportion-measure order: exclusion, then numerator, then exception."""
    counted = pops.get("denominator", 0) and not pops.get("denominator-exclusion", 0)
    if "numerator" in pops:
        pops["numerator"] = int(bool(counted and pops["numerator"]))
    if "denominator-exception" in pops:
        exception = counted and not pops.get("numerator", 0) and pops["denominator-exception"]
        pops["denominator-exception"] = int(bool(exception))
    if "numerator-exclusion" in pops:
        pops["numerator-exclusion"] = int(
            bool(pops.get("numerator", 0) and pops["numerator-exclusion"])
        )


def _ordered(codes: tuple[str, ...]) -> list[str]:
    return sorted(codes, key=lambda c: _ORDER.index(c) if c in _ORDER else len(_ORDER))


def results_json(period: Interval, results: list[MeasureResult]) -> dict[str, Any]:
    """The caregaps JSON document."""
    start, end = period.start_day(), period.end_day()
    return {
        "period": {"start": str(start), "end": str(end)},
        "measures": [r.as_json() for r in results],
    }
