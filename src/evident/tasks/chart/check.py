"""The chart's structured check: does a statement's status, value and date match what it cites?

:func:`check_facts` reads each statement's claims - a status word ("active", "stopped"),
numbers with units, ISO dates - and compares them with the typed facts of the resources the
statement cites. A claim the cited resources contradict makes the statement
``contradicted`` (a resolved condition called active, a stopped drug called current, a
value or date the record does not have); a citation that names no resource of the record
makes it ``unsupported``. Each adjustment comes with a :class:`~evident.types.Finding`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from evident.sources import ResourceFacts
from evident.tasks.chart.record import ChartRecord
from evident.tasks.chart.rules import StatusWord, status_words
from evident.types import Draft, Finding, Report, Severity, Statement, Verdict

__all__ = ["Mismatch", "check_facts", "statement_mismatch"]

JUDGE = "chart-facts"
GAP_JUDGE = "caregaps"
_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_NUMBER = re.compile(r"(?<![\w.-])(-?\d+(?:\.\d+)?)\s*(%|[A-Za-z\[\]{}/*0-9^_.]+)?")


@dataclass(frozen=True)
class Mismatch:
    """Why a statement disagrees with what it cites.

    Attributes:
        label: ``contradicted`` or ``unsupported``.
        kind: ``status``, ``value``, ``date`` or ``citation``.
        reason: One line for a clinician ("record says resolved, statement says active").
        evidence: The resources that disagree.
    """

    label: str
    kind: str
    reason: str
    evidence: tuple[str, ...]


def statement_mismatch(statement: Statement, record: ChartRecord) -> Mismatch | None:
    """The first disagreement between ``statement`` and the resources it cites, if any."""
    cited = [record.by_ref[c] for c in statement.citations if c in record.by_ref]
    missing = [c for c in statement.citations if c not in record.by_ref]
    if missing:
        return Mismatch(
            "unsupported",
            "citation",
            f"cites {missing[0]}, which is not in the record",
            tuple(missing),
        )
    if not cited:
        return None
    text = statement.text.lower()
    return _status(text, cited) or _dates(statement.text, cited) or _values(statement.text, cited)


def _claims(text: str, kind: str) -> list[StatusWord]:
    return [
        w
        for w in status_words()
        if w.resource_type == kind
        and any(re.search(rf"\b{re.escape(word)}\b", text) for word in w.words)
    ]


def _status(text: str, cited: list[ResourceFacts]) -> Mismatch | None:
    for facts in cited:
        claims = _claims(text, facts.resource_type)
        if not claims or not facts.status:
            continue
        if not any(facts.status in claim.statuses for claim in claims):
            said = "/".join(c.claim for c in claims)
            reason = f"{facts.ref} is {facts.status}, the statement calls it {said}"
            return Mismatch("contradicted", "status", reason, (facts.ref,))
    return None


def _dates(text: str, cited: list[ResourceFacts]) -> Mismatch | None:
    known = {d.isoformat() for f in cited for d in (f.date, f.end) if d}
    known |= {f.meta["deceased"] for f in cited if f.meta.get("deceased")}
    for stated in _DATE.findall(text):
        if known and stated not in known:
            reason = (
                f"the record dates the cited resources {', '.join(sorted(known))}, not {stated}"
            )
            return Mismatch("contradicted", "date", reason, tuple(f.ref for f in cited))
    return None


def _values(text: str, cited: list[ResourceFacts]) -> Mismatch | None:
    by_unit: dict[str, set[float]] = {}
    for facts in cited:
        for value, unit in _facts_numbers(facts):
            by_unit.setdefault(unit, set()).add(value)
    if not by_unit:
        return None
    stripped = _DATE.sub(" ", text)
    for number, unit in _NUMBER.findall(stripped):
        unit_key = _unit(unit)
        if unit_key not in by_unit:
            continue
        value = float(number)
        if not any(
            abs(value - known) <= 1e-6 * max(1.0, abs(known)) for known in by_unit[unit_key]
        ):
            shown = ", ".join(f"{v:g}" for v in sorted(by_unit[unit_key]))
            reason = f"the cited record says {shown} {unit}, the statement says {number} {unit}"
            return Mismatch("contradicted", "value", reason, tuple(f.ref for f in cited))
    return None


def _facts_numbers(facts: ResourceFacts) -> list[tuple[float, str]]:
    out = []
    if facts.number is not None and facts.unit:
        out.append((facts.number, _unit(facts.unit)))
    for part in facts.meta.get("components", "").split(";"):
        if "=" in part:
            match = _NUMBER.match(part.split("=", 1)[1].strip())
            if match and match.group(2):
                out.append((float(match.group(1)), _unit(match.group(2))))
    return out


def _unit(unit: str) -> str:
    return unit.strip().rstrip(".,;)").lower()


def _gap_verdict(
    statement: Statement, gaps: Sequence[Mapping[str, Any]], record: ChartRecord
) -> Verdict | None:
    """A care-gap statement is decided by the measure logic that computed it.

    An absence ("no mammogram since ...") cannot be found in the record's text; the
    statement is supported when it states one of the gaps :mod:`evident.caregaps` computed
    from this record (its measure and explanation), cites that gap's evidence, and every
    cited resource is in the record.
    """
    for gap in gaps:
        measure = str(gap.get("title") or gap.get("measure") or "")
        cites = tuple(str(c) for c in gap.get("evidence", ()))
        explanation = str(gap.get("explanation") or "")
        said = measure in statement.text and explanation in statement.text
        if not measure or not said or statement.citations != cites:
            continue
        if all(c in record.by_ref for c in cites):
            reason = f"computed by the {gap.get('measure')} measure logic from the cited resources"
            return Verdict(
                statement_id=statement.id,
                label="supported",
                evidence=cites,
                reason=reason,
                score=1.0,
                judge=GAP_JUDGE,
            )
    return None


def check_facts(
    draft: Draft, report: Report, record: ChartRecord, gaps: Sequence[Mapping[str, Any]] = ()
) -> Report:
    """Adjust ``report``: statements whose cited facts disagree become contradicted/unsupported.

    Statements of the ``Care gaps`` section that match a computed gap are decided by the
    measure logic (``judge: caregaps``).
    """
    verdicts = {v.statement_id: v for v in report.verdicts}
    for statement in draft.statements:
        decided = (
            _gap_verdict(statement, gaps, record) if statement.section == "Care gaps" else None
        )
        if decided is not None:
            verdicts[statement.id] = decided
    findings: list[Finding] = []
    checked = 0
    for statement in draft.statements:
        mismatch = statement_mismatch(statement, record)
        checked += 1
        if mismatch is None:
            continue
        severity: Severity = "error" if mismatch.label == "contradicted" else "warning"
        findings.append(
            Finding(
                kind=f"chart_{mismatch.kind}_mismatch",
                severity=severity,
                where=statement.id,
                message=mismatch.reason,
            )
        )
        verdicts[statement.id] = Verdict(
            statement_id=statement.id,
            label=mismatch.label,  # type: ignore[arg-type]
            evidence=mismatch.evidence,
            reason=mismatch.reason,
            score=0.0,
            judge=JUDGE,
        )
    ordered = tuple(verdicts[st.id] for st in draft.statements if st.id in verdicts)
    metrics = {
        **report.metrics,
        "chart_fact_mismatches": float(len(findings)),
        "chart_statements_checked": float(checked),
    }
    return report.model_copy(
        update={"verdicts": ordered, "findings": (*report.findings, *findings), "metrics": metrics}
    )
