"""The validation layer: a verdict for every statement of a draft, from its sources.

For each statement: candidate segments from the whole source (BM25 over segment terms and
fact keys; the author's citations only as extra candidates), the statement's clinical
facts checked one by one against the source facts (:mod:`evident.verify.compare`),
laterality checked per body site, and lexical coverage for what no extractor parses.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from evident.errors import ConfigError, InputError
from evident.types import Draft, Finding, Report, Source, Statement, Verdict, VerdictLabel
from evident.verify._resources import load_lexicons
from evident.verify.clause import side_by_clause, statement_context
from evident.verify.compare import Check, check_fact, fmt_quantity
from evident.verify.facts import Analysis, Fact, analyze, elsewhere
from evident.verify.index import MAX_SEGMENTS, IndexedSegment, SourceIndex
from evident.verify.judge import Judge, JudgeDecision
from evident.verify.omissions import find_omissions
from evident.verify.readability import reading_level_finding

__all__ = ["MAX_STATEMENTS", "VERIFIER", "under_family_heading", "verify"]

logger = logging.getLogger(__name__)

VERIFIER = "rules/1"
MAX_STATEMENTS = 5000
MAX_STATEMENT_CHARS = 4000
SUPPORT_THRESHOLD = 0.4
_SOFT_WEIGHT = 0.6


@dataclass(frozen=True)
class _Outcome:
    verdict: Verdict
    undecided: bool
    candidates: tuple[IndexedSegment, ...]
    findings: tuple[Finding, ...] = ()


def verify(
    draft: Draft,
    sources: Sequence[Source],
    *,
    judge: Judge | None = None,
    omissions: bool = True,
    max_omissions: int = 25,
    embeddings: bool = False,
    patient_facing: bool | None = None,
    support_threshold: float = SUPPORT_THRESHOLD,
) -> Report:
    """Judge every statement of ``draft`` against ``sources``; report omissions.

    Args:
        draft: The draft to check, whoever wrote it.
        sources: What it should rest on (transcripts, notes, passages).
        judge: Optional judge (LLM, NLI) for statements the rules cannot decide.
        omissions: Whether to look for important source facts the draft leaves out.
        max_omissions: Cap on the omissions reported (most important first).
        embeddings: Add dense-retrieval candidates and similarity (the ``embeddings``
            extra; off by default, slower).
        patient_facing: Report the reading level (a ``reading_level`` finding); None
            decides from the draft's task and ``meta["audience"]``.
        support_threshold: The score a statement whose facts all check out (or that has
            none) needs to be ``supported``. Lower passes more paraphrase and more
            confabulations that share the source's words; see docs/benchmarks.md for the
            measured trade-off. A statement with a missing or conflicting fact is flagged
            whatever the threshold.

    Returns:
        The report: one verdict per statement, omissions, findings and metrics.

    Raises:
        InputError: No source segments, or inputs over the size limits.
        ConfigError: ``support_threshold`` outside (0, 1].
    """
    if not 0.0 < support_threshold <= 1.0:
        raise ConfigError(f"support threshold must be in (0, 1], got {support_threshold}")
    t0 = time.process_time()
    n_segments = sum(len(s.segments) for s in sources)
    if n_segments == 0:
        raise InputError("nothing to verify against: the sources have no segments")
    if n_segments > MAX_SEGMENTS:
        raise InputError(f"sources have {n_segments} segments, over the limit of {MAX_SEGMENTS}")
    statements = draft.statements
    if len(statements) > MAX_STATEMENTS:
        raise InputError(
            f"draft has {len(statements)} statements, over the limit of {MAX_STATEMENTS}"
        )
    index = SourceIndex(sources)
    dense = _dense_hits(statements, index) if embeddings else [[] for _ in statements]
    verdicts: list[Verdict] = []
    findings: list[Finding] = []
    judged = 0
    for st, hits in zip(statements, dense, strict=True):
        outcome = _judge_statement(st, index, hits, support_threshold)
        verdict = outcome.verdict
        if judge is not None and outcome.undecided:
            verdict = _ask_judge(judge, st, outcome, verdict)
            judged += verdict.judge != "rules"
        verdicts.append(verdict)
        findings.extend(outcome.findings)
        findings.extend(_citation_findings(st, index))
    omitted = find_omissions(statements, index, limit=max_omissions) if omissions else ()
    level = reading_level_finding(draft, patient_facing)
    if level is not None:
        findings.append(level)
    metrics = _metrics(verdicts, len(omitted), judged)
    metrics["cpu_ms"] = round((time.process_time() - t0) * 1000, 3)
    verifier = VERIFIER + ("+dense" if embeddings else "")
    if support_threshold != SUPPORT_THRESHOLD:
        verifier += f"+threshold:{support_threshold:g}"
    if judge is not None:
        verifier += f"+judge:{judge.name}"
    if metrics["clinical_statements"] >= 3 and metrics["supported"] == 0:
        findings.append(
            Finding(
                kind="source_mismatch",
                severity="error",
                message="no clinical statement is supported: is this the right source?",
            )
        )
    return Report(
        verdicts=tuple(verdicts),
        omissions=tuple(omitted),
        findings=tuple(findings),
        metrics=metrics,
        verifier=verifier,
    )


@cache
def _phrase_sets() -> tuple[frozenset[str], tuple[str, ...]]:
    p = load_lexicons().phrases
    return frozenset(p.greetings) | frozenset(p.yes_no_terms) | frozenset(p.labels), p.boilerplate


def _content_terms(an: Analysis) -> list[str]:
    return [t for t in an.terms if not t.startswith("#")]


def _no_clinical_content(st: Statement, an: Analysis) -> bool:
    clinical = [f for f in an.facts if f.kind != "quantity"]
    if clinical:
        return False
    greetings, boilerplate = _phrase_sets()
    lowered = " ".join(an.tokens)
    if any(b in lowered for b in boilerplate):
        return True
    words = [t for t in an.tokens if t[0].isalnum()]
    if not any(t[0].isalpha() for t in words) or " ".join(words) in greetings:
        return True
    if st.text.rstrip().endswith(":") and len(words) <= 6:
        return True
    return not _content_terms(an) and not an.facts


def _section_reading(section: str, text: str) -> str | None:
    """A bare null answer under a heading that gives it meaning ("ALLERGIES: None.") as the
    statement it stands for ("No known allergies."), else None."""
    phrases = load_lexicons().phrases
    reading = phrases.section_denials.get(_section_name(section))
    if reading is None:
        return None
    words = " ".join(text.lower().replace(".", " ").replace(",", " ").split())
    return reading if words in phrases.null_answers else None


_PATIENT_SUBJECTS = frozenset({"i", "she", "he", "patient", "patient's", "pt"})


def under_family_heading(section: str, an: Analysis) -> Analysis:
    """A finding listed under a family-history heading belongs to a relative unless the
    sentence speaks of the patient ("FAMILY HISTORY: Hypertension." is a relative's)."""
    phrases = load_lexicons().phrases
    if _section_name(section) not in phrases.family_sections:
        return an
    if not _PATIENT_SUBJECTS.isdisjoint(an.tokens):
        return an
    social = set(phrases.family_section_social)
    facts = tuple(
        replace(f, family=True)
        if f.kind == "finding" and not f.family and f.key not in social
        else f
        for f in an.facts
    )
    return replace(an, facts=facts) if facts != an.facts else an


def _section_name(section: str) -> str:
    """A heading as the lexicons key it: lower case, single spaces ("REVIEW_OF  SYSTEMS")."""
    return " ".join(section.lower().replace("_", " ").split())


def _in_review(st: Statement) -> bool:
    """Whether the statement belongs to a review of systems."""
    return _section_name(st.section) in {"ros", "review of systems", "review of symptoms"}


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


def _coverage(an: Analysis, index: SourceIndex, cands: list[IndexedSegment]) -> float:
    terms = set(_content_terms(an))
    if not terms:
        return 0.0
    pool: set[str] = set()
    for c in cands[:3]:
        pool.update(c.analysis.terms)
    total = sum(index.idf(t) for t in terms)
    covered = sum(index.idf(t) for t in terms if t in pool)
    return covered / total if total else 0.0


def _judge_statement(
    st: Statement,
    index: SourceIndex,
    dense: list[tuple[int, float]] | None = None,
    threshold: float = SUPPORT_THRESHOLD,
) -> _Outcome:
    findings: list[Finding] = []
    text = st.text
    if len(text) > MAX_STATEMENT_CHARS:
        text = text[:MAX_STATEMENT_CHARS]
        findings.append(
            Finding(
                kind="statement_truncated",
                severity="info",
                where=st.id,
                message=f"statement longer than {MAX_STATEMENT_CHARS} characters was cut",
            )
        )
    reading = _section_reading(st.section, text)
    if reading is not None:
        text = reading
        findings.append(
            Finding(
                kind="section_reading",
                severity="info",
                where=st.id,
                message=f"read as '{reading}' under its heading '{st.section}'",
            )
        )
    an = under_family_heading(st.section, analyze(text))
    if _no_clinical_content(st, an):
        verdict = Verdict(
            statement_id=st.id,
            label="no_clinical_content",
            score=0.0,
            reason="no clinical content (greeting, heading or boilerplate)",
        )
        return _Outcome(verdict, False, ())
    cands = _candidates(st, an, index, dense or [])
    facts = _checkable(an.facts)
    review = _in_review(st)
    checks = [
        check_fact(
            f,
            index,
            cands,
            context=statement_context(an, f),
            review=review,
            other=elsewhere(an.tokens, f.position),
        )
        for f in facts
        if f.kind != "quantity"
    ]
    local: set[int] = set()
    for pos in [c.pos for c in cands] + [
        index.by_id[i].pos for c in checks if c.status == "ok" for i in c.segments[:3]
    ]:
        # one segment back, three forward: answers follow the question that retrieved them
        local.update(range(max(0, pos - 1), min(len(index.segments), pos + 4)))
    measured = _measured_values(checks)
    doses = _dose_spans(checks)
    checks.extend(
        check_fact(f, index, cands, local)
        for f in facts
        if f.kind == "quantity"
        and f.value not in measured
        and not (f.key in _DOSE_DIMENSIONS and any(a < f.position <= b for a, b in doses))
    )
    # an ordinal ("in 3rd grade", "the third problem") counts where found, never missing
    checks = [c for c in checks if not (c.fact.key == "ordinal" and c.status == "missing")]
    checks.extend(_range_checks(an, index, local))
    checks.extend(_laterality_checks(an, index, local))
    coverage = _coverage(an, index, cands)
    if dense:  # paraphrase similarity: cosine 0.35 -> 0, 0.75 -> 1
        coverage = max(coverage, min(1.0, max(0.0, (dense[0][1] - 0.35) / 0.4)))
    if not any(f.kind != "quantity" for f in an.facts):
        findings.append(
            Finding(
                kind="no_clinical_facts",
                severity="info",
                where=st.id,
                message="no clinical fact recognised; judged on wording overlap only",
            )
        )
    verdict, undecided = _decide(
        st, _sites_of_missing_findings_dropped(checks), coverage, cands, threshold
    )
    return _Outcome(verdict, undecided, tuple(cands), tuple(findings))


def _measured_values(checks: list[Check]) -> frozenset[float]:
    """Values of the statement's vitals, labs and doses the source confirmed: the same
    number is not checked again as a bare quantity ("respiratory rate is fourteen"
    confirms the 14 of "Respirations: 14" whatever words stand next to it). A drug's
    dose is judged by the drug's own check whatever it found: "benicar 40 mg" is not
    contradicted by another drug's "10 milligrams" nearby."""
    out: set[float] = set()
    for c in checks:
        judged = c.status == "ok" or (c.fact.kind == "medication" and c.status == "missing")
        if judged and c.fact.kind in {"vital", "lab", "medication"}:
            out.update(v for v in (c.fact.value, c.fact.value2) if v is not None)
    return frozenset(out)


_DOSE_DIMENSIONS = frozenset({"mass", "volume", "units"})


def _dose_spans(checks: list[Check]) -> list[tuple[int, int]]:
    """Token spans just after each drug whose dose its own check judged: a combination
    dose ("Benicar HCT 40-25 mg") belongs to the drug, not to the bare numbers."""
    return [
        (c.fact.position, c.fact.position + 6)
        for c in checks
        if c.fact.kind == "medication" and c.fact.value is not None and c.status != "conflict"
    ]


def _checkable(facts: tuple[Fact, ...]) -> list[Fact]:
    out = []
    for f in facts:
        if f.kind == "quantity" and f.position == 0 and f.value is not None and f.value < 20:
            continue  # list numbering ("1. Hypertension")
        if f.key == "per_day" and not f.text[0].isdigit():
            continue  # "twice a day" is checked with its drug; "2 times a day" is a number
        if f.key == "count":
            continue  # "a daughter" is evidence for "one daughter", no claim of a number
        out.append(f)
    return out


_RANGE_WORDS = frozenset({"to", "-", "or", "and"})
_SIZE_WORDS = frozenset({"x", "by"})


def _ranges(an: Analysis) -> list[tuple[Fact, Fact, str]]:
    """Number ranges and sizes: "6 to 8 hours", "3-5 miles", "two or three times", "2 x 3
    cm" (with " to " or " x " between them, as a clinician writes the pair)."""
    qs = {
        f.position: f
        for f in an.facts
        if f.kind == "quantity" and f.unit != "ratio" and f.text[0].isdigit()  # not "may 2020"
    }
    out = []
    for pos, lo in qs.items():
        hi = qs.get(pos + 1)
        sep = " to "
        if hi is None and pos + 2 in qs:
            word = an.tokens[pos + 1]
            if word in _RANGE_WORDS or word in _SIZE_WORDS:
                hi = qs[pos + 2]
                sep = " x " if word in _SIZE_WORDS else sep
        if hi is not None and (lo.key == hi.key or not lo.key or not hi.key):
            out.append((lo, hi, sep))
    return out


def _range_checks(an: Analysis, index: SourceIndex, local: set[int]) -> list[Check]:
    """A range one of whose bounds the source gives with a different other bound: "every
    6 to 8 hours" said, "every 8 to 8 hours" written (so too a size: "2 by 3 centimeters"
    said, "3 x 3 cm" written). Each number alone is found; the pair is not."""
    mine = _ranges(an)
    if not mine:
        return []
    segments = (index.segments[p] for p in sorted(local))
    theirs = [(s, lo.value, hi.value, sep) for s in segments for lo, hi, sep in _ranges(s.analysis)]
    out = []
    for lo, hi, sep in mine:
        pair = (lo.value, hi.value)
        if any((a, b) == pair for _, a, b, _ in theirs):
            continue
        for s, a, b, their_sep in theirs:
            if (a == lo.value) != (b == hi.value) and sep == their_sep:
                said = f"{fmt_quantity(a)}{their_sep}{fmt_quantity(b, hi.unit)}"
                wrote = f"{fmt_quantity(lo.value)}{sep}{fmt_quantity(hi.value, hi.unit)}"
                reason = f"{index.kind_label} says {said}, note says {wrote}"
                out.append(Check("conflict", lo, (s.segment.id,), reason))
                return out
    return out


def _site_lateralities(
    site: str,
    index: SourceIndex,
    positions: set[int] | None,
    skip: frozenset[str] = frozenset({"asked", "negated"}),
) -> dict[str, IndexedSegment]:
    """Sides the source gives ``site`` (in ``positions``, None for anywhere), with the
    first segment that gives each; mentions of a polarity in ``skip`` do not count."""
    lats: dict[str, IndexedSegment] = {}
    for (kind, _), ms in index.by_key.items():
        if kind not in ("anatomy", "finding", "order"):
            continue
        for s, sf in ms:
            if positions is not None and s.pos not in positions:
                continue
            sf_site = sf.key if kind == "anatomy" else sf.site
            if sf_site == site and sf.laterality and sf.polarity not in skip:
                lats.setdefault(sf.laterality, s)
    return lats


def _finding_lateralities(f: Fact, index: SourceIndex) -> dict[str, IndexedSegment]:
    """Sides the source gives this very finding at this site ("edema of the right knee").

    A side the source gives this finding in a single segment, while it gives the other
    side in two or more, is treated as a passing mention ("and your left knee?").
    """
    segs: dict[str, dict[int, IndexedSegment]] = {}
    for s, sf in index.by_key.get((f.kind, f.key), []):
        if sf.site == f.site and sf.laterality and sf.polarity not in {"negated", "asked"}:
            segs.setdefault(sf.laterality, {})[s.pos] = s
            for g in s.facts:  # "in the toes of your right foot and your left toe also"
                if _also_this_site(g, sf, s.analysis):
                    segs.setdefault(g.laterality, {})[s.pos] = s
    top = max((len(v) for v in segs.values()), default=0)
    return {
        lat: next(iter(v.values())) for lat, v in segs.items() if not (len(v) == 1 and top >= 2)
    }


def _also_this_site(g: Fact, finding: Fact, an: Analysis) -> bool:
    """The other side given the finding's site later in its sentence, not found normal:
    the finding's too ("paresthesia in the toes of your right foot, and your left toe
    has the same problem"; not "swelling of the right knee, left knee normal")."""
    if not (
        g.kind == "anatomy"
        and g.key == finding.site
        and g.laterality
        and g.polarity == "affirmed"
        and g.position > finding.position
    ):
        return False
    if any(a <= finding.position < b and not (a <= g.position < b) for a, b, _ in an.sentences):
        return False
    return not _NORMAL.intersection(an.tokens[g.position : g.position + 5])


_NORMAL = frozenset({"normal", "fine", "unremarkable", "good", "okay", "ok", "intact"})


def _dominant_side(lat: str, site: str, index: SourceIndex) -> dict[str, IndexedSegment]:
    """The other side, when the source gives the site that side in two or more
    segments and the statement's side in at most one (a slip: "left leg, right leg")."""
    if lat not in {"left", "right"}:
        return {}
    other = "right" if lat == "left" else "left"
    segs: dict[str, dict[int, IndexedSegment]] = {"left": {}, "right": {}}
    for s, g in index.by_key.get(("anatomy", site), []):
        if g.laterality in segs and g.polarity not in {"asked", "negated"}:
            segs[g.laterality][s.pos] = s
    if len(segs[lat]) <= 1 and len(segs[other]) >= 2:
        return {other: next(iter(segs[other].values()))}
    return {}


def _both_sides(lat: str, site: str, index: SourceIndex) -> tuple[str, tuple[str, ...]] | None:
    """The source gives the site both sides about as often ("you hurt your left foot" -
    "she fell onto my right foot"): the note's side cannot be borne out."""
    if lat not in {"left", "right"}:
        return None
    segs: dict[str, dict[int, IndexedSegment]] = {"left": {}, "right": {}}
    for (kind, _), ms in index.by_key.items():
        if kind not in ("anatomy", "finding", "order"):
            continue
        for s, g in ms:
            g_site = g.key if kind == "anatomy" else g.site
            if g_site == site and g.laterality in segs and g.polarity not in {"asked", "negated"}:
                segs[g.laterality][s.pos] = s
    n_left, n_right = len(segs["left"]), len(segs["right"])
    if min(n_left, n_right) < 3 or max(n_left, n_right) > 2 * min(n_left, n_right):
        return None
    first = {side: min(v.values(), key=lambda s: s.pos) for side, v in segs.items()}
    reason = (
        f"{index.kind_label} gives the {site} both sides (left in {first['left'].segment.id},"
        f" right in {first['right'].segment.id}); note says {lat}"
    )
    return reason, (first["left"].segment.id, first["right"].segment.id)


def _laterality_conflict(lat: str, lats: dict[str, IndexedSegment]) -> bool:
    """Only left against right conflicts; "bilateral" on either side is not judged."""
    return not (lat == "bilateral" or not lats or lat in lats or "bilateral" in lats)


def _laterality_checks(an: Analysis, index: SourceIndex, local: set[int]) -> list[Check]:
    """Side conflicts per body site: the side of the source clause that best matches the
    statement first, then near the statement's evidence, then anywhere."""
    out: list[Check] = []
    done: set[str] = set()
    for f in an.facts:
        site = f.key if f.kind == "anatomy" else f.site
        if f.kind == "finding" and not site and not f.key.startswith("pain@"):
            site = f.key  # "left kidney stone": the finding is its own site
        if f.key == "pain@" and f.laterality and not site and "pain@" not in done:
            # "pain on the left side": the sides the source gives pain with no named site
            done.add("pain@")
            lats = _finding_lateralities(f, index)
            if _laterality_conflict(f.laterality, lats):
                said, seg = next(iter(lats.items()))
                reason = (
                    f"{index.kind_label} says pain on the {said} side, note says {f.laterality}"
                )
                out.append(Check("conflict", f, (seg.segment.id,), reason))
                break
            continue
        if not f.laterality or not site:
            continue
        if f.laterality != "bilateral" and site not in done and site not in index.sided_sites:
            done.add(site)
            reason = (
                f"{index.kind_label} never gives a side for the {site}; note says {f.laterality}"
            )
            out.append(Check("missing", f, reason=reason, strict=True))
            continue
        by_clause = side_by_clause(f, site, an, index) if site not in done else None
        if by_clause is not None:
            done.add(site)
            said, segs = by_clause
            if f.laterality == said or "bilateral" in {said, f.laterality}:
                continue
            reason = f"{index.kind_label} says {said} {site}, note says {f.laterality} {site}"
            out.append(Check("conflict", f, (segs[0].segment.id,), reason))
            break
        lats = _finding_lateralities(f, index) if f.kind in {"finding", "order"} else {}
        if not lats:
            if site in done:
                continue
            done.add(site)
            near = _site_lateralities(site, index, local)
            lats = near if near else _site_lateralities(site, index, None)
            if not lats and f.laterality in {"left", "right"}:
                # no side affirmed: every side given is a denied or asked one
                denied = set(_site_lateralities(site, index, None, skip=frozenset()))
                if denied and f.laterality not in denied:
                    # the site's only sides are denied ones, and the note's is not among them
                    reason = (
                        f"{index.kind_label} gives the {site} no {f.laterality} side"
                        f" (only {', '.join(sorted(denied))}, denied)"
                    )
                    out.append(Check("missing", f, reason=reason, strict=True))
                    continue
        if not _laterality_conflict(f.laterality, lats):
            lats = _dominant_side(f.laterality, site, index)
            if not lats:
                both = _both_sides(f.laterality, site, index)
                if both is not None:
                    out.append(Check("missing", f, both[1], both[0], strict=True))
                continue
        said, seg = next(iter(lats.items()))
        reason = f"{index.kind_label} says {said} {site}, note says {f.laterality} {site}"
        out.append(Check("conflict", f, (seg.segment.id,), reason))
        break
    return out


def _sites_of_missing_findings_dropped(checks: list[Check]) -> list[Check]:
    """ "Denies knee pain" where the source never speaks of knee pain: the knee, found
    wherever the knee is talked of, does not support the statement on its own."""
    missing = {
        c.fact.site or c.fact.key.partition("@")[2]
        for c in checks
        if c.status == "missing" and c.fact.kind == "finding"
    }
    return [
        c
        for c in checks
        if not (c.status == "ok" and c.fact.kind == "anatomy" and c.fact.key in missing)
    ]


def _decide(
    st: Statement,
    checks: list[Check],
    coverage: float,
    cands: list[IndexedSegment],
    threshold: float = SUPPORT_THRESHOLD,
) -> tuple[Verdict, bool]:
    conflicts = [c for c in checks if c.status == "conflict"]
    top = tuple(c.segment.id for c in cands[:2])
    if conflicts:
        c = conflicts[0]
        score = round(min(0.2, coverage * 0.2), 3)
        v = Verdict(
            statement_id=st.id,
            label="contradicted",
            evidence=c.segments,
            reason=c.reason,
            score=score,
        )
        return v, False
    # A named fact ("diabetes") explains a confabulation better than a bare number ("2").
    hard_missing = sorted(
        (c for c in checks if c.status == "missing" and c.hard),
        key=lambda c: c.fact.kind == "quantity",
    )
    soft = [c for c in checks if not c.hard]
    ok_ids: dict[str, None] = {}
    for c in checks:
        if c.status == "ok":
            ok_ids.update(dict.fromkeys(c.segments[:2]))
    if soft:
        frac = sum(c.status == "ok" for c in soft) / len(soft)
        score = _SOFT_WEIGHT * frac + (1 - _SOFT_WEIGHT) * coverage
        if frac == 0:  # wording alone cannot support a statement none of whose facts is found
            score = min(score, threshold - 0.01)
    else:
        hard_ok = [c for c in checks if c.hard and c.status == "ok"]
        score = 0.5 + 0.5 * coverage if hard_ok and not hard_missing else coverage
    score = round(max(0.0, min(1.0, score)), 3)
    if hard_missing:
        v = Verdict(
            statement_id=st.id,
            label="unsupported",
            evidence=tuple(ok_ids)[:5],
            reason=hard_missing[0].reason,
            score=min(score, 0.4),
        )
        return v, False
    evidence = tuple(ok_ids)[:5] or top
    if score >= threshold:
        n_ok = sum(c.status == "ok" for c in checks)
        reason = f"{n_ok} of {len(checks)} clinical facts found" if checks else "wording found"
        v = Verdict(
            statement_id=st.id, label="supported", evidence=evidence, reason=reason, score=score
        )
        return v, not checks and score < 0.7
    missing = sorted(
        (c for c in checks if c.status == "missing"), key=lambda c: c.fact.kind == "quantity"
    )
    reason = missing[0].reason if missing else "no source segment carries this content"
    v = Verdict(statement_id=st.id, label="unsupported", evidence=top, reason=reason, score=score)
    return v, score >= 0.25


def _ask_judge(judge: Judge, st: Statement, outcome: _Outcome, verdict: Verdict) -> Verdict:
    segments = tuple(c.segment for c in outcome.candidates[:5])
    try:
        decision: JudgeDecision = judge.decide(st, segments)
    except Exception as exc:  # a failing judge must not lose the rules' verdict
        logger.warning("judge %s failed: %s", judge.name, type(exc).__name__)
        return verdict
    label: VerdictLabel = decision.label
    evidence = tuple(i for i in decision.evidence if any(s.id == i for s in segments))
    return verdict.model_copy(
        update={
            "label": label,
            "reason": decision.reason or verdict.reason,
            "evidence": evidence or verdict.evidence,
            "judge": judge.name,
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
