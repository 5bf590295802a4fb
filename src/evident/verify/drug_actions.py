"""The drug-action checker: what is done with a drug, against what the source does with it.

A plan says what happens to each drug: it is started, stopped, continued, increased or
decreased ("stop the zolpidem", "lower the amlodipine to 5", "continue Spiriva",
"allopurinol was discontinued"). The action is the word of ``words.json``'s
``drug_actions`` just before the drug (at most ``_REACH`` tokens, within its clause) or
a past participle just after it. A statement's action the source never says of the
drug while it says the opposite one (continue or start against stop, increase against
decrease, stop against increase: an increase keeps the drug) is a conflict
(``check:drug_action``, *transcript says stop zolpidem, note says continue*), a plan
against a plan and what was done against what was done ("she decreased her
doxycycline" is no conflict with "increase the doxycycline" now).
Questions, negated and conditional actions say nothing ("should we stop it?", "don't
stop the metformin", "if it gets worse, stop it").
"""

from __future__ import annotations

from collections.abc import Sequence

from evident.types import Segment, Source
from evident.verify._polarity_cues import is_cue
from evident.verify._sources import PerSource, source_label
from evident.verify._words import mapping, words
from evident.verify.decide import CheckResult
from evident.verify.facts import analyze

__all__ = ["check_drug_action", "drug_actions"]

_ACTIONS = mapping("drug_actions")
_AFTER = words("drug_action_after")  # past participles that may follow the drug
_CONDITIONAL = words("condition_subordinators")
_CLAUSE_END = frozenset({".", "?", "!", ";", ",", "and", "but", "or", "then"})
_REACH = 4
_OPPOSED = frozenset(
    {("continue", "stop"), ("start", "stop"), ("increase", "decrease"), ("increase", "stop")}
    | {("stop", "continue"), ("stop", "start"), ("decrease", "increase"), ("stop", "increase")}
)  # a drug increased is kept on; one decreased may be tapered off, so no conflict with stop

Action = tuple[str, str, str, str]  # drug, action, time (past or plan), the words as said
_PAST = words("drug_action_past")  # past forms that do not end in "ed"


def drug_actions(text: str) -> list[Action]:
    """The (drug, action, time, words) a text says, questions, negated and conditional
    ones left out; the time is ``past`` for a past form ("stopped", "was decreased"),
    else ``plan``."""
    an = analyze(text)
    toks = list(an.tokens)
    out: list[Action] = []
    for f in an.facts:
        if f.kind != "medication" or f.polarity in {"asked", "negated"} or f.conditional:
            continue
        start, end, question = _sentence(an.sentences, f.position)
        if question or _CONDITIONAL.intersection(toks[start : f.position]):
            continue
        found = _before(toks, f.position, start)
        if found is None:
            found = _after(toks, f.end, end)
        if found is not None:
            lo, hi = min(found, f.position), max(found + 1, f.end)
            word = toks[found]
            time = "past" if word.endswith("ed") or word in _PAST else "plan"
            out.append((f.key, _ACTIONS[word], time, " ".join(toks[lo:hi])))
    return out


def _sentence(spans: Sequence[tuple[int, int, bool]], i: int) -> tuple[int, int, bool]:
    return next((s for s in spans if s[0] <= i < s[1]), (0, i + 1, False))


def _before(toks: list[str], position: int, start: int) -> int | None:
    """The action word nearest before the drug in its clause, not under a negation."""
    for j in range(position - 1, max(start, position - _REACH) - 1, -1):
        if toks[j] in _CLAUSE_END:
            return None
        if toks[j] in _ACTIONS:
            negated = any(is_cue(w) for w in toks[max(start, j - 2) : j])
            return None if negated else j
    return None


def _after(toks: list[str], end: int, stop: int) -> int | None:
    """A past participle of an action just after the drug ("zolpidem was stopped")."""
    for j in range(end, min(stop, end + 3)):
        if toks[j] in _CLAUSE_END or is_cue(toks[j]):
            return None
        if toks[j] in _AFTER:
            return j
    return None


@PerSource
def _source_actions(source: Source) -> tuple[tuple[Action, str], ...]:
    return tuple((a, seg.id) for seg in source.segments for a in drug_actions(seg.text))


def check_drug_action(
    statement: str, candidates: Sequence[Segment], source: Source
) -> CheckResult | None:
    """Whether the source does with each of the statement's drugs what it says.

    Args:
        statement: The statement's text.
        candidates: Unused: a plan may be said anywhere in the source.
        source: The source.

    Returns:
        ``conflict`` (checker ``drug_action``) when the source says only an opposed
        action of a drug, ``agree`` when it says the same, None otherwise.
    """
    mine = drug_actions(statement)
    if not mine:
        return None
    said = _source_actions(source)
    agree: CheckResult | None = None
    for drug, action, time, _ in mine:
        theirs = [(a, seg) for a, seg in said if a[0] == drug]
        same = [seg for a, seg in theirs if a[1] == action]
        # a plan against a plan, what was done against what was done: "she decreased
        # her doxycycline" is no conflict with "increase the doxycycline" now
        opposed = [(a, seg) for a, seg in theirs if (action, a[1]) in _OPPOSED and a[2] == time]
        if opposed and not same:
            (_, _, _, words_said), seg = opposed[0]
            reason = f'{source_label(source)} says "{words_said}" ({seg}), note says {action}'
            return CheckResult("drug_action", "conflict", reason, (seg,))
        if same and agree is None:
            agree = CheckResult("drug_action", "agree", f"the same action ({same[0]})", (same[0],))
    return agree
