"""A FHIR source read back as a chart: resources grouped by type with their typed facts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from evident.sources import ResourceFacts, resource_facts
from evident.tasks.chart.rules import reference_ranges
from evident.types import Source

__all__ = ["ChartRecord", "abnormal", "chart_record", "latest_date"]

_ABNORMAL_CODES = {"H", "HH", "L", "LL", "A", "AA", "HU", "LU", "POS", "DET", ">", "<"}


@dataclass
class ChartRecord:
    """The facts of a record, by resource type, and the date the chart is written for.

    Attributes:
        by_type: Resource type -> facts in record order.
        by_ref: ``ResourceType/id`` -> facts.
        as_of: The chart's date ("recent" means the year before it).
    """

    by_type: dict[str, list[ResourceFacts]] = field(default_factory=dict)
    by_ref: dict[str, ResourceFacts] = field(default_factory=dict)
    as_of: date = field(default_factory=date.today)

    def of(self, kind: str) -> list[ResourceFacts]:
        """Facts of every resource of type ``kind``."""
        return self.by_type.get(kind, [])


def chart_record(sources: Sequence[Source], as_of: date | None = None) -> ChartRecord:
    """The chart record of the ``fhir`` sources (other sources are ignored)."""
    record = ChartRecord()
    for source in sources:
        if source.kind != "fhir":
            continue
        for segment in source.segments:
            facts = resource_facts(segment)
            record.by_type.setdefault(facts.resource_type, []).append(facts)
            record.by_ref[facts.ref] = facts
    record.as_of = as_of or latest_date(record) or date.today()
    return record


def latest_date(record: ChartRecord) -> date | None:
    """The latest clinical date in the record (its encounters, results and orders)."""
    kinds = ("Encounter", "Observation", "MedicationRequest", "Procedure", "Immunization")
    dates = [f.date for k in kinds for f in record.of(k) if f.date]
    return max(dates) if dates else None


def abnormal(facts: ResourceFacts) -> str:
    """``high``, ``low`` or ``abnormal`` when a result is out of range, else ``""``.

    The record's own interpretation or reference range decides; without them, the adult
    range of :func:`reference_ranges` for the result's LOINC code (same unit only).
    """
    code = facts.interpretation.upper()
    if code in _ABNORMAL_CODES:
        return "high" if code.startswith("H") else "low" if code.startswith("L") else "abnormal"
    value = facts.number
    if value is None:
        return ""
    low, high = facts.ref_low, facts.ref_high
    if low is None and high is None:
        known = reference_ranges().get(facts.code.rsplit("|", 1)[-1])
        if known is None or not _same_unit(known.unit, facts.unit):
            return ""
        low, high = known.low, known.high
    if high is not None and value > high:
        return "high"
    if low is not None and value < low:
        return "low"
    return ""


def _same_unit(expected: str, unit: str) -> bool:
    return not unit or expected.lower().replace(" ", "") == unit.lower().replace(" ", "")
