"""The decision table: checker results and an entailment in, one verdict out.

:func:`decide` is pure. Rows, first match wins:

==========================  ===============================  ===========================
condition                   label                            ``decided_by``
==========================  ===============================  ===========================
not clinical                ``no_clinical_content``          ``no_clinical_content``
a checker conflict          ``contradicted``                 ``check:<checker>``
a hard fact missing         ``unsupported``                  ``check:<checker>``
advice (conditional, an     its wording coverage blended     ``advice``
instruction)                with its conditions found,
                            against the wording cutoff
entailer says contradicted  ``contradicted``                 ``entail:<entailer>``
decisive entailer (a        entailed -> supported,           ``entail:<entailer>``
model's label)              neutral -> unsupported
graded entailer (lexical,   soft agreements blended with     ``entail:<entailer>``
support)                    its score, against the threshold
==========================  ===============================  ===========================

Advice ("return if fever develops") is not a claim that its condition exists: a conflict
of the condition's checkers (finding, polarity, anatomy...) does not contradict it; their
agreements still count as support, and the value checkers (dose, number, side...) still
decide. What advice claims is that the instruction was given, so it is judged on what the
source says of it - the wording coverage of the instruction (``wording``, the lexical
score, against ``wording_threshold``) and its checked values - whichever entailer is
configured: a model scoring claims of fact has no reading of an instruction.

``threshold`` is the configured entailer's cutoff; :func:`borderline` says which graded
verdicts lie close enough to it (the entailer's ``judge_band``) to ask a judge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from evident.types import VerdictLabel
from evident.verify.entail import Entailment

__all__ = [
    "CONDITION_CHECKERS",
    "HARD_CHECKERS",
    "CheckOutcome",
    "CheckResult",
    "Decision",
    "borderline",
    "decide",
    "open_to_entailer",
]

CheckOutcome = Literal["agree", "conflict", "missing"]

#: Checkers whose missing fact makes a statement unsupported on its own (a number, a
#: drug, a date, a side cannot be paraphrased away; nor can a finding no word of which
#: the source has: :attr:`CheckResult.strict`).
HARD_CHECKERS = frozenset(
    {
        "dose",
        "unit",
        "route",
        "frequency",
        "number",
        "date",
        "side",
        "level",
        "allergy",
        "drug",
        "vital",
        "lab",
        "range",
        "denial",
        "negation",
        "experiencer",
        "substitution",
    }
)
#: Checkers that read whether a condition exists: advice does not claim it does.
CONDITION_CHECKERS = frozenset({"finding", "polarity", "anatomy", "history", "order"})

_SOFT_WEIGHT = 0.6
_BARE = frozenset({"number", "date"})
#: Hard checkers whose reason is generic: another missing fact's reason is shown instead.
_GENERIC = frozenset({"negation"})


@dataclass(frozen=True)
class CheckResult:
    """What one checker found for one fact of a statement.

    Attributes:
        checker: Which checker (``dose``, ``number``, ``side``, ``finding``, ``polarity``...).
        outcome: ``agree`` (the source bears it out), ``conflict`` or ``missing``.
        reason: One line a clinician understands ("transcript says 400 mg, note says 800 mg").
        segments: Source segment ids it rests on.
        about: Stems of the content it is about, where a checker names it (the denied
            claims a denial was or was not found for); empty otherwise.
        strict: This missing fact makes the statement unsupported whatever its checker
            (an affirmed finding no word of which any source has).
    """

    checker: str
    outcome: CheckOutcome
    reason: str
    segments: tuple[str, ...] = ()
    about: frozenset[str] = frozenset()
    strict: bool = False

    @property
    def hard(self) -> bool:
        """Whether a missing fact of this checker makes the statement unsupported."""
        return self.strict or self.checker in HARD_CHECKERS


@dataclass(frozen=True)
class Decision:
    """The verdict for one statement and what decided it."""

    label: VerdictLabel
    decided_by: str
    reason: str
    evidence: tuple[str, ...]
    score: float


def decide(
    checks: Sequence[CheckResult],
    entailment: Entailment | None,
    *,
    clinical: bool,
    threshold: float,
    advice: bool = False,
    wording: Entailment | None = None,
    wording_threshold: float | None = None,
) -> Decision:
    """Combine a statement's checker results and its entailment into a verdict.

    Args:
        checks: The checkers' results, in the order they ran (the first conflict or
            missing hard fact names the reason; a named fact before a bare number).
        entailment: The entailer's reading of the statement against its evidence, or
            None (no entailer: the checkers' agreements alone).
        clinical: Whether the statement has clinical content at all.
        threshold: The configured entailer's cutoff: the score a statement decided by a
            graded entailer needs to be supported.
        advice: The statement is advice or an instruction ("call if the pain worsens").
        wording: The wording coverage advice is judged on (the lexical entailer's
            reading); None: ``entailment``.
        wording_threshold: The cutoff of ``wording``; None: ``threshold``.

    Returns:
        The decision: label, ``decided_by``, one-line reason, evidence ids and score.
    """
    if not clinical:
        reason = "no clinical content (greeting, heading or boilerplate)"
        return Decision("no_clinical_content", "no_clinical_content", reason, (), 0.0)
    ent = entailment or Entailment("neutral", 0.0, ())
    if advice:  # its condition's findings still count as found or not, never as conflicts
        checks = [_as_condition(c) for c in checks if not _condition_conflict(c)]
        ent = _graded(wording or ent)
        threshold = threshold if wording_threshold is None else wording_threshold
    conflict = next((c for c in checks if c.outcome == "conflict"), None)
    if conflict is not None:
        score = round(min(0.2, ent.score * 0.2), 3)
        return Decision(
            "contradicted", f"check:{conflict.checker}", conflict.reason, conflict.segments, score
        )
    agreed = _agreed_segments(checks)
    hard_missing = _by_kind([c for c in checks if c.outcome == "missing" and c.hard])
    score = _score(checks, ent, threshold)
    if hard_missing:
        c = hard_missing[0]
        if c.checker in _GENERIC:  # a named fact's reason says more than "never denies"
            named = [m for m in checks if m.outcome == "missing" and m.checker not in _GENERIC]
            c = named[0] if named else c
        return Decision("unsupported", f"check:{c.checker}", c.reason, agreed, min(score, 0.4))
    evidence = agreed or ent.segments
    by = f"entail:{ent.entailer or 'none'}"
    if advice:
        label: VerdictLabel = "supported" if _passes(ent, score, threshold) else "unsupported"
        reason = "advice or instruction: not a claim that its condition exists"
        return Decision(label, "advice", reason, evidence, score)
    if ent.label == "contradicted":
        return Decision(
            "contradicted",
            by,
            ent.reason or "the evidence contradicts it",
            ent.segments,
            min(score, 0.2),
        )
    if _passes(ent, score, threshold):
        n_ok = sum(c.outcome == "agree" for c in checks)
        reason = f"{n_ok} of {len(checks)} clinical facts found" if checks else "wording found"
        if ent.decisive and ent.reason:
            reason = ent.reason
        return Decision("supported", by, reason, evidence, score)
    missing = _by_kind([c for c in checks if c.outcome == "missing"])
    reason = missing[0].reason if missing else "no source segment carries this content"
    if ent.decisive and ent.reason:
        reason = ent.reason
    return Decision("unsupported", by, reason, ent.segments, score)


def open_to_entailer(checks: Sequence[CheckResult], *, advice: bool = False) -> bool:
    """Whether the checkers leave the statement to the entailer: no conflict and no
    missing hard fact. Advice never is: it is judged on its wording (see module)."""
    if advice:
        return False
    return not any(c.outcome == "conflict" or (c.outcome == "missing" and c.hard) for c in checks)


def borderline(
    decision: Decision,
    entailment: Entailment | None,
    *,
    checked: bool,
    threshold: float,
    band: tuple[float, float],
) -> bool:
    """Whether a judge should see this verdict: a graded entailer decided it and its
    score lies in the band around the entailer's cutoff - unsupported from ``band[0]``
    below it, supported up to ``band[1]`` above it when no checker found a fact.

    Args:
        decision: The table's decision.
        entailment: The reading it rests on (None: no entailer).
        checked: Whether any checker had a result for the statement.
        threshold: The configured entailer's cutoff.
        band: How far below and above ``threshold`` a score is borderline.
    """
    if entailment is None or entailment.decisive:
        return False
    if decision.decided_by != f"entail:{entailment.entailer or 'none'}":
        return False
    low, high = threshold - band[0], threshold + band[1]
    if decision.label == "supported":
        return not checked and decision.score < high
    return decision.label == "unsupported" and decision.score >= low


def _graded(ent: Entailment) -> Entailment:
    """The reading as a graded score (advice is judged on coverage, not on a label)."""
    if not ent.decisive:
        return ent
    return Entailment("neutral", ent.score, ent.segments, ent.reason, ent.entailer, False)


def _condition_conflict(c: CheckResult) -> bool:
    return c.outcome == "conflict" and c.checker in CONDITION_CHECKERS


def _as_condition(c: CheckResult) -> CheckResult:
    """A finding of advice's condition that no one mentions ("return if you have
    seizures") is a soft miss: advice does not claim the condition exists."""
    return replace(c, strict=False) if c.strict and c.checker in CONDITION_CHECKERS else c


def _passes(ent: Entailment, score: float, threshold: float) -> bool:
    if ent.decisive:
        return ent.label == "entailed"
    return score >= threshold


def _by_kind(checks: list[CheckResult]) -> list[CheckResult]:
    """A named fact ("diabetes") explains a confabulation better than a bare number; a
    side or a drug the source never gives better than a finding none of whose words it
    has (which a lay word the lexicon lacks may still say)."""
    return sorted(checks, key=lambda c: (c.checker in _BARE, c.strict))


def _agreed_segments(checks: Sequence[CheckResult]) -> tuple[str, ...]:
    ids: dict[str, None] = {}
    for c in checks:
        if c.outcome == "agree":
            ids.update(dict.fromkeys(c.segments[:2]))
    return tuple(ids)[:5]


def _score(checks: Sequence[CheckResult], ent: Entailment, threshold: float) -> float:
    """Support score in [0, 1]. A decisive entailer's own score stands; a graded one's is
    blended with the soft checkers' agreements (a named finding found counts for more
    than shared words; wording alone cannot support a statement none of whose findings
    is found)."""
    if ent.decisive:
        return round(max(0.0, min(1.0, ent.score)), 3)
    soft = [c for c in checks if not c.hard]
    if soft:
        frac = sum(c.outcome == "agree" for c in soft) / len(soft)
        score = _SOFT_WEIGHT * frac + (1 - _SOFT_WEIGHT) * ent.score
        if frac == 0:
            score = min(score, threshold - 0.01)
    else:
        hard_ok = any(c.hard and c.outcome == "agree" for c in checks)
        hard_missing = any(c.hard and c.outcome == "missing" for c in checks)
        score = 0.5 + 0.5 * ent.score if hard_ok and not hard_missing else ent.score
    return round(max(0.0, min(1.0, score)), 3)
