""" "No" to a question about medications, allergies or a history (for ``_answers.py``):
"any medications?" - "no" is no medications, "any allergies?" - "none" no known
allergies, "any surgeries?" - "no" no surgical history; what the question names is
read from its words.
"""

from __future__ import annotations

from dataclasses import replace

from evident.verify.facts import Analysis, Fact

__all__ = ["_allergy_word", "no_allergies", "no_history", "no_medications"]


_MEDICATION_WORDS = frozenset({"medications", "medication", "medicines", "medicine", "meds"})


# "any old or new medications?", "any daily meds?": which drugs, not what for
_MEDICATION_KINDS = frozenset(
    {"old", "new", "or", "current", "daily", "regular", "prescription", "prescribed", "home"}
)


def _any_medications(toks: tuple[str, ...], at: int) -> bool:
    """Whether "any" opens the medication words at ``at`` ("any medications I should
    know about?"; not "any problems with your medications?")."""
    j = at - 1
    while j >= 0 and toks[j] in _MEDICATION_KINDS:
        j -= 1
    return j >= 0 and toks[j] == "any"


def no_medications(question: Analysis, reply: Analysis) -> list[Fact]:
    """ "Are you taking any medications?" - "no": no current medications, unless the
    question asks about one purpose ("any medications for the pain?") or the reply names
    a drug."""
    toks = question.tokens
    at = next((i for i, t in enumerate(toks) if t in _MEDICATION_WORDS), None)
    if at is None or not (
        {"taking", "take", "on"} & set(toks[max(0, at - 4) : at]) or _any_medications(toks, at)
    ):
        return []
    if "for" in toks[at + 1 : at + 3] or any(f.kind == "medication" for f in question.facts):
        return []
    if any(f.kind in {"allergy", "medication"} for f in reply.facts):
        return []
    return [_none_of("medication", question, at)]


_ALLERGY_WORDS = frozenset({"allergies", "allergy", "allergic"})
# "any adverse reactions to medications?" asks about drug allergies too
_REACTION_WORDS = frozenset({"reaction", "reactions"})
_DRUG_WORDS = _MEDICATION_WORDS | {"drug", "drugs"}


def _allergy_word(toks: tuple[str, ...] | list[str]) -> int | None:
    """Where a question asks about allergies: an allergy word, or "reaction(s)" to a drug."""
    for i, t in enumerate(toks):
        if t in _ALLERGY_WORDS:
            return i
        if t in _REACTION_WORDS and _DRUG_WORDS & set(toks[i + 1 : i + 4]):
            return i
    return None


def no_allergies(question: Analysis, reply: Analysis) -> list[Fact]:
    """ "Any known drug allergies?" - "no": no known allergies, unless the reply names
    what the patient is allergic to."""
    at = _allergy_word(question.tokens)
    if at is None or any(f.kind in {"allergy", "medication"} for f in reply.facts):
        return []
    if any(f.kind == "allergy" for f in question.facts):
        return []  # "allergic to penicillin?" asks about one drug
    return [_none_of("allergy", question, at)]


# "anyone sick in your family?", "any medical problems?", "any previous surgeries?"
_FAMILY_WORDS = frozenset({"family", "familial"})
_SURGERY_WORDS = frozenset({"surgery", "surgeries", "operation", "operations", "surgical"})
_MEDICAL_WORDS = frozenset({"medical", "health"})
_ILLNESS_WORDS = frozenset({"illness", "illnesses"})
_HISTORY_WORDS = frozenset(
    {
        "history",
        "sick",
        "disease",
        "diseases",
        "illness",
        "illnesses",
        "problems",
        "problem",
        "conditions",
        "issues",
        "medical",
        "health",
        "run",
        "runs",
        "hereditary",
        "genetic",
    }
)


_EXAMPLE_CUES = frozenset({"like", "such", "including"})


def _history_asked(question: Analysis) -> list[tuple[str, int]]:
    """Which histories a question asks about without naming a disease or a body part, and
    the token that says so: family ("anyone sick in your family?"), surgical ("any
    previous surgeries?") or medical ("any medical problems?"); both of the last two in
    "any past medical problems or surgeries?"."""
    toks = question.tokens
    # "major illnesses in the family like diabetes or high BP?": the diseases are examples
    examples = next((i for i, t in enumerate(toks) if t in _EXAMPLE_CUES), len(toks))
    if any(
        f.kind in {"finding", "anatomy", "medication"} and f.position < examples
        for f in question.facts
    ):
        return []  # "any diabetes in the family?", "surgery on that knee?": that one only
    asked: list[tuple[str, int]] = []
    for which, words, needs_history in (
        ("family", _FAMILY_WORDS, True),
        ("surgical", _SURGERY_WORDS, False),
        ("medical", _MEDICAL_WORDS, True),
        ("medical", _ILLNESS_WORDS, False),
    ):
        at = next((i for i, t in enumerate(toks) if t in words), None)
        if at is None or any(w == which for w, _ in asked):
            continue
        if needs_history and _HISTORY_WORDS.isdisjoint(toks[:at] + toks[at + 1 :]):
            continue  # "is your family here?" asks no history; another word may
        if which == "family":
            return [(which, at)]  # "any medical problems in the family?": theirs only
        asked.append((which, at))
    return asked


_COMPLAINT_WORDS = frozenset(
    {"complaints", "complaint", "concerns", "symptoms", "problems", "issues", "going"}
)


def _others_asked(question: Analysis) -> tuple[str, int] | None:
    """ "Any other complaints today?", "anything else going on?": a review of the rest,
    which a "no" leaves negative."""
    toks = question.tokens
    for i, t in enumerate(toks):
        if t == "going" and toks[i + 1 : i + 2] != ("on",):
            continue  # "is the other knee going to need surgery?" asks about the knee
        if t in _COMPLAINT_WORDS and {"other", "else"} & set(toks[max(0, i - 3) : i]):
            return "review", i
    return None


def no_history(question: Analysis, reply: Analysis) -> list[Fact]:
    """ "Anyone sick in your family?" / "Any previous surgeries?" / "Any medical
    problems?" - "no": that history is unremarkable, unless the reply names a disease or
    a procedure."""
    asked = _history_asked(question)
    if not asked and (others := _others_asked(question)):
        asked = [others]
    if not asked:
        return []
    if any(f.kind in {"finding", "order"} and f.polarity == "affirmed" for f in reply.facts):
        return []
    return [
        replace(_none_of("history", question, at), key=which, family=which == "family")
        for which, at in asked
    ]


def _none_of(kind: str, question: Analysis, at: int) -> Fact:
    """ "None" of a kind the question asked about at token ``at`` (no drugs, no allergies)."""
    return Fact(kind=kind, key="none", text=question.tokens[at], polarity="negated", position=at)
