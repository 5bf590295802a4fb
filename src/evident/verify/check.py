"""The validation layer: a verdict for every statement of a draft, from its sources.

For each statement: candidate segments from the whole source (BM25 over segment terms and
fact keys; the author's citations only as extra candidates), the statement's clinical
facts checked one by one against the source facts (:mod:`evident.verify.compare`),
laterality checked per body site, and lexical coverage for what no extractor parses.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from pydantic import ValidationError

from evident.errors import ConfigError, InputError
from evident.types import (
    Draft,
    Finding,
    Report,
    Segment,
    Source,
    Statement,
    Verdict,
    VerdictLabel,
)
from evident.verify._borne_out import denials_borne_out, findings_borne_out
from evident.verify._statement_read import (
    in_review,
    no_clinical_content,
    statement_text,
    under_family_heading,
)
from evident.verify.advice import is_advice, needs_parse
from evident.verify.antonyms import check_antonym
from evident.verify.conditions import check_condition
from evident.verify.decide import CheckResult, Decision, borderline, decide, open_to_entailer
from evident.verify.denials import check_denial, lay_conflicts
from evident.verify.drug_actions import check_drug_action
from evident.verify.entail import (
    Entailer,
    Entailment,
    LexicalEntailer,
    cutoff_of,
    judge_band_of,
)
from evident.verify.experiencer import check_experiencer
from evident.verify.factchecks import fact_results
from evident.verify.facts import Analysis, analyze
from evident.verify.index import IndexedSegment, SourceIndex, check_source_size
from evident.verify.judge import Judge, JudgeDecision
from evident.verify.measure_words import check_measure_words
from evident.verify.omissions import find_omissions
from evident.verify.options import SUPPORT_THRESHOLD, VerifyOptions
from evident.verify.polarity import check_polarity, claims_of, polarity_texts
from evident.verify.readability import reading_level_finding
from evident.verify.side_words import check_side_words
from evident.verify.substitution import check_substitution

__all__ = [
    "CHECKERS",
    "MAX_STATEMENTS",
    "SUPPORT_THRESHOLD",
    "VERIFIER",
    "Checker",
    "under_family_heading",
    "verify",
]

logger = logging.getLogger(__name__)

VERIFIER = "rules/2"
MAX_STATEMENTS = 5000
MAX_STATEMENT_CHARS = 4000

#: A statement-level checker: the statement's text, its candidate segments from one
#: source (most relevant first) and that source (for the dialogue around a candidate);
#: a :class:`CheckResult` or None when it has nothing to say.
Checker = Callable[[str, Sequence[Segment], Source], CheckResult | None]

#: The statement-level checkers, run after the fact checks, in this order. The
#: structural polarity checker (``verify/polarity.py``: conflicts), the denial checker
#: (``verify/denials.py``: a denial needs a denial) and the experiencer checker
#: (``verify/experiencer.py``) join here.
CHECKERS: tuple[Checker, ...] = (
    check_polarity,
    check_denial,
    check_condition,
    check_experiencer,
    check_side_words,
    check_drug_action,
    check_measure_words,
    check_antonym,
    check_substitution,
)


@dataclass(frozen=True)
class _Outcome:
    verdict: Verdict
    undecided: bool
    candidates: tuple[IndexedSegment, ...]
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class _Context:
    """What every statement of one verification is judged with."""

    index: SourceIndex
    owners: tuple[Source, ...]  # the source of each indexed segment, by position
    options: VerifyOptions
    lexical: LexicalEntailer
    entailer: Entailer | None  # None: the lexical score decides
    threshold: float  # the configured entailer's cutoff (the option, or its own)
    wording_threshold: float  # the lexical score's cutoff (advice is judged on it)
    band: tuple[float, float]  # around ``threshold``: borderline verdicts go to a judge
    sources: tuple[Source, ...] = ()  # each source once, in order


def verify(
    draft: Draft,
    sources: Sequence[Source],
    *,
    options: VerifyOptions | None = None,
    judge: Judge | None = None,
    entailer: Entailer | None = None,
    patient_facing: bool | None = None,
    **legacy: Any,
) -> Report:
    """Judge every statement of ``draft`` against ``sources``; report omissions.

    Args:
        draft: The draft to check, whoever wrote it.
        sources: What it should rest on (transcripts, notes, passages).
        options: How to judge (entailer, support threshold, dense retrieval, omissions,
            polarity); None for the defaults.
        judge: Optional judge (LLM, NLI) for statements the rules leave undecided.
        entailer: A ready entailer instead of the one ``options.entailer`` names.
        patient_facing: Report the reading level (a ``reading_level`` finding); None
            decides from the draft's task and ``meta["audience"]``.
        **legacy: Fields of :class:`VerifyOptions` given one by one (``omissions=``,
            ``max_omissions=``, ``embeddings=``, ``support_threshold=``); they override
            ``options``.

    Returns:
        The report: one verdict per statement, omissions, findings and metrics. A draft
        that nothing supports gets a full report with a ``source_mismatch`` error finding.

    Raises:
        InputError: No source segments, or inputs over the size limits.
        ConfigError: Invalid options or an unknown entailer.
    """
    opts = _options(options, legacy)
    t0 = time.process_time()
    if not any(s.segments for s in sources):
        raise InputError("nothing to verify against: the sources have no segments")
    check_source_size(sources)
    statements = draft.statements
    if len(statements) > MAX_STATEMENTS:
        raise InputError(
            f"draft has {len(statements)} statements, over the limit of {MAX_STATEMENTS}"
        )
    index = SourceIndex(sources)
    ctx = _context(index, sources, opts, entailer)
    try:
        return _verify(draft, ctx, judge, patient_facing, t0)
    finally:
        close = getattr(ctx.entailer, "close", None)
        if entailer is None and callable(close):
            close()  # an entailer loaded here from its spec is closed here


def _verify(
    draft: Draft, ctx: _Context, judge: Judge | None, patient_facing: bool | None, t0: float
) -> Report:
    index, opts, statements = ctx.index, ctx.options, draft.statements
    dense = _dense_hits(statements, index) if opts.embeddings else [[] for _ in statements]
    read = [_read_statement(st, ctx, hits) for st, hits in zip(statements, dense, strict=True)]
    if opts.polarity:
        _parse_ahead(read, ctx)
    verdicts: list[Verdict] = []
    findings: list[Finding] = []
    judged = 0
    for st, one in zip(statements, read, strict=True):
        outcome = _judge_statement(st, ctx, one)
        verdict = outcome.verdict
        if judge is not None and outcome.undecided:
            verdict = _ask_judge(judge, st, outcome, verdict, findings)
            judged += verdict.judge != "rules"
        verdicts.append(verdict)
        findings.extend(outcome.findings)
        findings.extend(_citation_findings(st, index))
    omitted = (
        find_omissions(statements, index, limit=opts.max_omissions, cited=_rested_on(verdicts))
        if opts.omissions
        else ()
    )
    level = reading_level_finding(draft, patient_facing)
    if level is not None:
        findings.append(level)
    metrics = _metrics(verdicts, len(omitted), judged)
    metrics["entailer_errors"] = float(sum(f.kind == "entailer_error" for f in findings))
    metrics["cpu_ms"] = round((time.process_time() - t0) * 1000, 3)
    verifier = VERIFIER + opts.describe()
    used = ctx.entailer.name if ctx.entailer is not None else "lexical"
    if used not in {opts.entailer, opts.entailer.partition(":")[0]}:  # given, or fallen back
        verifier += f"+entail:{used}"
    if judge is not None:
        verifier += f"+judge:{judge.name}"
    mismatch = _source_mismatch(metrics)
    return Report(
        verdicts=tuple(verdicts),
        omissions=tuple(omitted),
        findings=(*mismatch, *findings),
        metrics=metrics,
        verifier=verifier,
    )


def _options(options: VerifyOptions | None, legacy: dict[str, Any]) -> VerifyOptions:
    """The options with the one-by-one keyword arguments applied (validated)."""
    given = {k: v for k, v in legacy.items() if v is not None}
    if not given:
        return options or VerifyOptions()
    base = (options or VerifyOptions()).model_dump()
    try:
        return VerifyOptions(**{**base, **given})
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]).replace("_", " ") or "options"
        raise ConfigError(f"verify option {where}: {err['msg']}") from None


def _context(
    index: SourceIndex, sources: Sequence[Source], opts: VerifyOptions, entailer: Entailer | None
) -> _Context:
    """What every statement is judged with: the entailer (a ready one, or the one the
    options name), bound to this source, and its cutoff (the option, else its own)."""
    from evident.verify.support_model import default_entailer

    owners = tuple(src for src in sources for _ in src.segments)
    if entailer is None:
        entailer = default_entailer(opts.entailer)
    prepare = getattr(entailer, "prepare", None)
    if callable(prepare):
        entailer = prepare(index)
    threshold = opts.support_threshold or cutoff_of(entailer)
    band = judge_band_of(entailer)
    if isinstance(entailer, LexicalEntailer):
        return _Context(
            index, owners, opts, entailer, None, threshold, threshold, band, tuple(sources)
        )
    lexical = LexicalEntailer(index)
    wording = cutoff_of(lexical)
    return _Context(
        index, owners, opts, lexical, entailer, threshold, wording, band, tuple(sources)
    )


def _source_mismatch(metrics: dict[str, float]) -> tuple[Finding, ...]:
    """A prominent error finding (first in the report) when nothing is supported."""
    if metrics["clinical_statements"] >= 3 and metrics["supported"] == 0:
        message = "no clinical statement is supported: the source may not match this draft"
        return (Finding(kind="source_mismatch", severity="error", message=message),)
    return ()


@cache
def _dense_hits(
    statements: Sequence[Statement], index: SourceIndex
) -> list[list[tuple[int, float]]]:
    from evident.verify.embed import DenseIndex

    dense = DenseIndex([s.segment.text for s in index.segments])
    return dense.search_many([st.text[:MAX_STATEMENT_CHARS] for st in statements], k=3)


def _candidates(
    st: Statement, an: Analysis, index: SourceIndex, dense: Sequence[tuple[int, float]] = ()
) -> list[IndexedSegment]:
    ranked = [index.segments[p] for p, _ in index.search(an.terms, k=5)]
    seen = {c.pos for c in ranked}
    for p, _ in dense:
        if p not in seen:
            ranked.append(index.segments[p])
            seen.add(p)
    for cid in st.citations[:10]:
        seg = index.by_id.get(cid)
        if seg is not None and seg.pos not in seen:
            ranked.append(seg)
            seen.add(seg.pos)
    return ranked


@dataclass(frozen=True)
class _Read:
    """A statement as read before it is judged: its text, analysis, reading findings,
    candidates (None: no clinical content) and dense hits."""

    text: str
    an: Analysis
    findings: list[Finding]
    cands: list[IndexedSegment] | None
    dense: list[tuple[int, float]]


def _read_statement(st: Statement, ctx: _Context, dense: list[tuple[int, float]]) -> _Read:
    text, findings = statement_text(st, MAX_STATEMENT_CHARS)
    an = under_family_heading(st.section, analyze(text))
    cands = None if no_clinical_content(st, an) else _candidates(st, an, ctx.index, dense)
    return _Read(text, an, findings, cands, dense)


def _parse_ahead(read: list[_Read], ctx: _Context) -> None:
    """Parse in one batch what the polarity checker parses first for every statement, and
    the statements the advice reading parses."""
    texts: list[str] = []
    for r in read:
        if r.cands is None:
            continue
        for source, segments in _by_source(r.cands, ctx).values():
            texts.extend(polarity_texts(r.text, segments, source))
        if needs_parse(r.text):
            texts.append(r.text)
    claims_of(texts)


def _judge_statement(st: Statement, ctx: _Context, read: _Read) -> _Outcome:
    text, an, findings, cands, dense = read.text, read.an, read.findings, read.cands, read.dense
    threshold = ctx.threshold
    if cands is None:
        d = decide((), None, clinical=False, threshold=threshold)
        return _Outcome(_verdict(st, d), False, ())
    results = fact_results(an, ctx.index, cands, review=in_review(st))
    results = denials_borne_out(results + _statement_checks(text, cands, ctx), an)
    results = findings_borne_out(results)
    if ctx.options.polarity:
        results = lay_conflicts(results, an.facts, ctx.sources)
    segments = [c.segment for c in cands]
    lexical = ctx.lexical.entail(text, segments)
    if dense:  # paraphrase similarity: cosine 0.35 -> 0, 0.75 -> 1
        similar = min(1.0, max(0.0, (dense[0][1] - 0.35) / 0.4))
        lexical = replace(lexical, score=max(lexical.score, similar))
    if not any(f.kind != "quantity" for f in an.facts):
        findings.append(
            Finding(
                kind="no_clinical_facts",
                severity="info",
                where=st.id,
                message="no clinical fact recognised; judged on wording overlap only",
            )
        )
    advice = is_advice(text)
    entailment = lexical
    if ctx.entailer is not None and open_to_entailer(results, advice=advice):
        entailment = _entail(ctx.entailer, st, text, segments, findings) or lexical
    d = decide(
        results,
        entailment,
        clinical=True,
        threshold=threshold,
        advice=advice,
        wording=lexical,
        wording_threshold=ctx.wording_threshold,
    )
    undecided = borderline(d, entailment, checked=bool(results), threshold=threshold, band=ctx.band)
    return _Outcome(_verdict(st, d), undecided, tuple(cands), tuple(findings))


def _by_source(
    cands: list[IndexedSegment], ctx: _Context
) -> dict[int, tuple[Source, list[Segment]]]:
    """The candidates grouped by their source; with none (no shared word: "no
    hemoptysis" - "any blood when you cough?"), every source whole: the polarity readers
    read it with their synonyms from data."""
    by_source: dict[int, tuple[Source, list[Segment]]] = {}
    for c in cands:
        owner = ctx.owners[c.pos]
        by_source.setdefault(id(owner), (owner, []))[1].append(c.segment)
    return by_source or {id(src): (src, list(src.segments)) for src in ctx.sources}


def _statement_checks(text: str, cands: list[IndexedSegment], ctx: _Context) -> list[CheckResult]:
    """The statement-level checkers of :data:`CHECKERS`, once per source the candidates
    come from; a disabled checker's results are dropped."""
    if not CHECKERS:
        return []
    by_source = _by_source(cands, ctx)
    out: list[CheckResult] = []
    for checker in CHECKERS:
        if checker in (check_polarity, check_denial, check_condition) and not ctx.options.polarity:
            continue  # off: not run at all (it parses)
        if checker is check_substitution and not ctx.options.substitution:
            continue
        if checker is check_antonym and not ctx.options.antonyms:
            continue
        for source, segments in by_source.values():
            result = checker(text, segments, source)
            if result is not None and (ctx.options.polarity or result.checker != "polarity"):
                out.append(result)
    return out


def _entail(
    entailer: Entailer,
    st: Statement,
    text: str,
    segments: list[Segment],
    findings: list[Finding],
) -> Entailment | None:
    """The entailer's reading, or None with an ``entailer_error`` finding when it fails
    (the statement is then decided on its wording)."""
    try:
        return entailer.entail(text, segments)
    except Exception as exc:  # any plugin or backend failure: recorded, never lost
        logger.warning("entailer %s failed: %s", entailer.name, type(exc).__name__)
        message = f"entailer {entailer.name} failed ({type(exc).__name__}); decided on wording"
        findings.append(
            Finding(kind="entailer_error", severity="warning", where=st.id, message=message)
        )
        return None


def _verdict(st: Statement, d: Decision) -> Verdict:
    return Verdict(
        statement_id=st.id,
        label=d.label,
        evidence=d.evidence,
        reason=d.reason,
        score=d.score,
        decided_by=d.decided_by,
    )


def _ask_judge(
    judge: Judge, st: Statement, outcome: _Outcome, verdict: Verdict, findings: list[Finding]
) -> Verdict:
    segments = tuple(c.segment for c in outcome.candidates[:5])
    try:
        decision: JudgeDecision = judge.decide(st, segments)
    except Exception as exc:  # a failing judge must not lose the rules' verdict
        logger.warning("judge %s failed: %s", judge.name, type(exc).__name__)
        message = f"judge {judge.name} failed ({type(exc).__name__}); the rules' verdict stands"
        findings.append(
            Finding(kind="judge_error", severity="warning", where=st.id, message=message)
        )
        return verdict
    label: VerdictLabel = decision.label
    evidence = tuple(i for i in decision.evidence if any(s.id == i for s in segments))
    return verdict.model_copy(
        update={
            "label": label,
            "reason": decision.reason or verdict.reason,
            "evidence": evidence or verdict.evidence,
            "judge": judge.name,
            "decided_by": f"judge:{judge.name}",
            "score": decision.score if decision.score is not None else verdict.score,
        }
    )


def _citation_findings(st: Statement, index: SourceIndex) -> list[Finding]:
    return [
        Finding(kind="citation_missing", where=st.id, message=f"cites unknown segment {c}")
        for c in st.citations
        if c not in index.by_id
    ]


def _metrics(verdicts: list[Verdict], n_omissions: int, judged: int) -> dict[str, float]:
    clinical = [v for v in verdicts if v.label != "no_clinical_content"]
    n = len(clinical)

    def share(label: str) -> float:
        return round(sum(v.label == label for v in clinical) / n, 4) if n else 0.0

    return {
        "statements": float(len(verdicts)),
        "clinical_statements": float(n),
        "supported": share("supported"),
        "unsupported": share("unsupported"),
        "contradicted": share("contradicted"),
        "omissions": float(n_omissions),
        "judged": float(judged),
    }


def _rested_on(verdicts: Sequence[Verdict]) -> list[str]:
    """The segments the supported statements rest on (their evidence)."""
    return [i for v in verdicts if v.label == "supported" for i in v.evidence]
