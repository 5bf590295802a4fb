"""Citation verification of an answer through the verify stage.

Every cited passage must be one that was retrieved, and every sentence must be supported
by the passage it cites: the verify stage judges each sentence against all passages, and
when its evidence is not among the sentence's own citations the sentence is re-judged
against the cited passages alone. Cited passages older than a configurable age are
flagged as stale.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from evident.tasks.evidence_qa.evidence import age_years, passage_segments
from evident.tasks.evidence_qa.settings import load_settings
from evident.types import Draft, Finding, Report, Section, Segment, Source, Statement, Verdict
from evident.verify import verify

__all__ = ["check_citations", "verify_answer"]


def _restricted(segments: list[Segment]) -> Source:
    """A source holding only the given segments, with offsets into its own text."""
    parts, segs, offset = [], [], 0
    for s in segments:
        segs.append(s.model_copy(update={"start": offset, "end": offset + len(s.text)}))
        parts.append(s.text)
        offset += len(s.text) + 2
    return Source(id="cited", kind="literature", text="\n\n".join(parts), segments=tuple(segs))


def _supported_by_cited(st: Statement, draft: Draft, cited: list[Segment]) -> tuple[bool, str]:
    single = draft.model_copy(update={"sections": (Section(name=st.section, statements=(st,)),)})
    sub = verify(single, [_restricted(cited)]).verdict(st.id)
    if sub is None:
        return False, "unverified"
    return sub.label in ("supported", "no_clinical_content"), sub.label


def _check_statement(
    st: Statement, draft: Draft, report: Report, segs: dict[str, Segment]
) -> tuple[list[Finding], bool]:
    findings: list[Finding] = []
    if not st.citations:
        msg = "this sentence cites no retrieved passage"
        return [Finding(kind="citation_absent", severity="error", where=st.id, message=msg)], False
    reported = {(f.where, f.message) for f in report.findings if f.kind == "citation_missing"}
    for c in st.citations:
        if c not in segs and not any(w == st.id and c in m for w, m in reported):
            findings.append(
                Finding(
                    kind="citation_missing",
                    severity="error",
                    where=st.id,
                    message=f"cites {c}, which is not a retrieved passage",
                )
            )
    cited = [segs[c] for c in st.citations if c in segs]
    if not cited:
        return findings, False
    verdict = report.verdict(st.id)
    if verdict and verdict.label == "supported" and set(verdict.evidence) & set(st.citations):
        return findings, True
    ok, label = _supported_by_cited(st, draft, cited)
    if not ok:
        elsewhere = ""
        if verdict and verdict.label == "supported" and verdict.evidence:
            elsewhere = f"; the verifier found support in {', '.join(verdict.evidence)} instead"
        findings.append(
            Finding(
                kind="citation_unsupported",
                severity="error" if label == "contradicted" else "warning",
                where=st.id,
                message=f"the cited passage(s) {', '.join(s.id for s in cited)} do not support"
                f" this sentence (verdict: {label}){elsewhere}",
            )
        )
    return findings, ok


def _stale(
    cited: list[str], segs: dict[str, Segment], max_age: float, today: date | None
) -> list[Finding]:
    out: list[Finding] = []
    for pid in dict.fromkeys(cited):
        seg = segs.get(pid)
        when = seg.meta.get("date", "") if seg else ""
        age = age_years(when, today) if when else None
        if seg is None:
            continue
        if age is None:
            out.append(
                Finding(
                    kind="evidence_undated",
                    severity="info",
                    where=pid,
                    message=f"cited passage {pid} has no date; its currency is unknown",
                )
            )
        elif age > max_age:
            out.append(
                Finding(
                    kind="stale_evidence",
                    severity="warning",
                    where=pid,
                    message=f"cited passage {pid} is dated {when}, older than {max_age:g} years",
                )
            )
    return out


def check_citations(
    draft: Draft,
    report: Report,
    sources: Sequence[Source],
    max_age_years: float | None = None,
    today: date | None = None,
) -> tuple[list[Finding], dict[str, float]]:
    """Findings about an answer's citations, and citation metrics.

    Args:
        draft: The answer.
        report: The verify stage's report on it.
        sources: The literature sources (retrieved passages) it was written from.
        max_age_years: Cited evidence older than this is stale (default from settings).
        today: Reference date for staleness (default: today).

    Returns:
        Findings (``citation_absent``, ``citation_missing``, ``citation_unsupported``,
        ``stale_evidence``, ``evidence_undated``) and metrics (``citations``,
        ``citations_retrieved``, ``sentences_supported_by_citation``, ``stale_citations``).
    """
    max_age = load_settings().max_age_years if max_age_years is None else max_age_years
    segs = passage_segments(sources)
    if draft.meta.get("abstained"):
        return [], {"citations": 0.0, "abstained": 1.0}
    findings: list[Finding] = []
    supported = 0
    statements = draft.statements
    for st in statements:
        found, ok = _check_statement(st, draft, report, segs)
        findings.extend(found)
        supported += ok
    cited = [c for st in statements for c in st.citations]
    stale = _stale(cited, segs, max_age, today)
    findings.extend(stale)
    metrics = {
        "citations": float(len(cited)),
        "citations_retrieved": float(sum(c in segs for c in cited)),
        "sentences_supported_by_citation": supported / len(statements) if statements else 0.0,
        "stale_citations": float(sum(f.kind == "stale_evidence" for f in stale)),
        "abstained": 0.0,
    }
    return findings, metrics


def verify_answer(
    draft: Draft,
    sources: Sequence[Source],
    report: Report | None = None,
    max_age_years: float | None = None,
    today: date | None = None,
) -> Report:
    """The verify stage's report with the citation findings and metrics added."""
    base = report or verify(draft, sources)
    findings, metrics = check_citations(draft, base, sources, max_age_years, today)
    verdicts = base.verdicts
    if draft.meta.get("abstained"):
        # An abstention states that the evidence does not answer: it is no clinical claim.
        verdicts = tuple(
            Verdict(statement_id=st.id, label="no_clinical_content", reason="abstention")
            for st in draft.statements
        )
    return base.model_copy(
        update={
            "verdicts": verdicts,
            "findings": (*base.findings, *findings),
            "metrics": {**base.metrics, **metrics},
        }
    )
