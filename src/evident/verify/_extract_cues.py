"""Word-context predicates of the fact extractor (:mod:`evident.verify._extract`).

Each reads the tokens around one mention: whether "smoke" is the habit, whether a
"drink" is alcohol, whether a negation is a remedy's, a field's answer, a "non-" prefix,
the anchor of a rating scale, or drugs coordinated with alcohol. Their word sets are data
(``resources/words.json``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from evident.verify._polarity_degree import degree_of
from evident.verify._words import sequences, words
from evident.verify.lexicon import Entry, concept_index

__all__ = [
    "drinks_alcohol",
    "negated_before",
    "non_prefix",
    "none_after",
    "remedy_for",
    "scale_anchor",
    "smoking_verb",
    "with_coordinated_drugs",
]

# "smoke" is the habit only as a verb: "do you smoke", "she does not smoke"
_SMOKE_SUBJECT = words("smoke_subject")


def smoking_verb(tokens: Sequence[str], start: int) -> bool:
    """ "do you smoke", "drink, smoke, or use drugs", "Smoke or drink?"."""
    return start == 0 or tokens[start - 1] in _SMOKE_SUBJECT


_DRINK = words("drink")
_NOT_ALCOHOL = words("not_alcohol")


_EATING = words("eating")
_INTAKE = words("intake")


def drinks_alcohol(tokens: Sequence[str], start: int) -> bool:
    """ "do you drink?", "I drink a little", "drinks socially" speak of alcohol; "drinking
    plenty of water" and "drinks through a straw" do not. A bare "drink" or "drank" must be a
    verb ("the drink" is no habit)."""
    tok = tokens[start]
    if tok not in _DRINK:
        return True
    lo = start
    while lo > 0 and start - lo < 8 and tokens[lo - 1] not in {".", "?", "!", ";"}:
        lo -= 1
    if _NOT_ALCOHOL.intersection(tokens[lo : start + 5]):
        return False  # "she is not a big milk drinker, but she does try to drink some"
    if (start >= 2 and tokens[start - 1] == "and" and tokens[start - 2] in _EATING) or (
        tokens[start + 1 : start + 2] and tokens[start + 1] in _INTAKE
    ):
        return False  # "he is eating and drinking well": intake, not alcohol
    return (
        tok in {"drinking", "drinker", "drinkers"}
        or smoking_verb(tokens, start)
        or tokens[start - 1] in {"a", "social"}
        or (tok == "drinks" and _counted(tokens, start))
    )


def _counted(tokens: Sequence[str], start: int) -> bool:
    """Drinks counted ("two drinks", "a few drinks", "a couple of drinks"): the count of
    standard drinks, alcohol."""
    prev = tokens[start - 1] if start else ""
    if prev == "of" and start >= 2:
        prev = tokens[start - 2]
    return prev[:1].isdigit() or prev in {"few", "several", "couple"}


_REMEDY = words("remedy")
_DETERMINER = words("determiner")


def remedy_for(tokens: Sequence[str], start: int) -> bool:
    """The finding is what a remedy is for: "anything for the cough", "no medication for
    pain"."""
    j = start - 1
    if j >= 0 and tokens[j] in _DETERMINER:
        j -= 1
    return j >= 1 and tokens[j] == "for" and bool(_REMEDY.intersection(tokens[max(0, j - 3) : j]))


_NONE = words("none")


def none_after(tokens: Sequence[str], end: int) -> bool:
    """A templated "Back pain: None." or "Alcohol use, denies." (the answer closes its
    field: "Cough: no, fever: yes" negates only the cough; "Musculoskeletal: denies joint
    pain" is no answer)."""
    return (
        end + 1 < len(tokens)
        and tokens[end] in {":", ","}
        and (tokens[end + 1] in _NONE or tokens[end + 1].startswith("non-"))
        and (end + 2 == len(tokens) or tokens[end + 2] in {".", ",", ";"})
    )


def non_prefix(tokens: Sequence[str], start: int, key: str) -> bool:
    """ "non-smoker", "nontender", "a non-cigarette smoker": the prefix denies the
    finding (not "non-healing ulcer", "non-cardiac chest pain": there it qualifies another
    word, except for a habit's "non-cigarette smoker"; nor where the finding is itself a
    "non" word: "non-compliant" is noncompliance)."""
    if key.startswith("non"):
        return False
    if tokens[start].startswith("non-") or tokens[start] in _NON_WORDS:
        return True
    if concept_index().prefix_negated(tokens[start]):  # "afebrile", "anicteric"
        return True
    return key in _HABITS and start > 0 and tokens[start - 1].startswith("non-")


def negated_before(tokens: Sequence[str], start: int) -> bool:
    """A negation right before a word, or before its article ("not afebrile", "is not a
    nonsmoker"): with a negating prefix, the two denials cancel."""
    before = [t for t in tokens[max(0, start - 2) : start] if t not in {"a", "an"}]
    return bool(before) and before[-1] in _RIGHT_BEFORE


_RIGHT_BEFORE = frozenset({"not", "n't", "never"})


def partial_denial(tokens: Sequence[str], start: int, end: int) -> bool:
    """A denial of how much or how often ("not *much* pain", "does not have pain *every*
    time he eats", "not *always* painful"; ``words.json``'s ``partial``) in the finding's
    phrase: it does not deny the finding ("not at all" and "as well" are no degree)."""
    before = list(tokens[max(0, start - _PARTIAL_BEFORE) : start])
    ends = [i for i, t in enumerate(before) if t in PHRASE_END]
    before = before[ends[-1] + 1 :] if ends else before
    after = list(
        itertools.takewhile(lambda t: t not in PHRASE_END, tokens[end : end + _PARTIAL_AFTER])
    )
    return bool(degree_of(before) or degree_of(after))


def in_circumstance(tokens: Sequence[str], start: int) -> bool:
    """A finding in a clause that says when another holds ("does it get worse *when you
    cough*?", ``words.json``'s ``circumstance_openers``): a no to the question denies
    what holds then, not the finding of the clause."""
    before = list(tokens[max(0, start - _CIRCUMSTANCE_REACH) : start])
    ends = [i for i, t in enumerate(before) if t in _CLAUSE_END]
    before = before[ends[-1] + 1 :] if ends else before
    return bool(_CIRCUMSTANCE_OPENERS.intersection(before))


_CIRCUMSTANCE_OPENERS = words("circumstance_openers")
_CIRCUMSTANCE_REACH = 4
_CLAUSE_END = frozenset({".", "?", "!", ";", ",", ":", "but"})


# what ends a finding's phrase, for the words said with it
PHRASE_END = frozenset({".", "?", "!", ";", ",", ":", "and", "or", "but"})
_PARTIAL_BEFORE = 2
_PARTIAL_AFTER = 4
_HABITS = words("habits")
_NON_WORDS = words("non_words")


def scale_anchor(tokens: Sequence[str], j: int) -> bool:
    """An end of a rating scale, not a value: "0 being none", "10 being the worst", "on a
    scale of 1 to 10", "a 1 to 10 scale"."""
    tok = tokens[j]
    if tok not in {"0", "1", "10"}:
        return False
    if tokens[j + 1 : j + 2] == ["being"]:
        return True
    if tok == "10" and j >= 2 and tokens[j - 1] == "to" and tokens[j - 2] in {"0", "1"}:
        lo = j - 2
    elif tok in {"0", "1"} and tokens[j + 1 : j + 3] == ["to", "10"]:
        lo = j
    else:
        return False
    return "scale" in tokens[max(0, lo - 3) : lo] or tokens[lo + 3 : lo + 4] == ["scale"]


_DRUG_TOKENS = words("drug_tokens")
_AND_ALCOHOL = sequences("and_alcohol")


def with_coordinated_drugs(
    tokens: list[str], concepts: list[tuple[int, int, Entry]]
) -> list[tuple[int, int, Entry]]:
    """ "any drug or alcohol abuse", "drugs or alcohol": the drugs are substance use too,
    though the phrase that names it ("drug abuse") is split by the alcohol."""
    if _DRUG_TOKENS.isdisjoint(tokens):
        return concepts
    covered = {i for s, n, _ in concepts for i in range(s, s + n)}
    hits = [
        j
        for j, tok in enumerate(tokens)
        if tok in _DRUG_TOKENS and j not in covered and tokens[j + 1 : j + 3] in _AND_ALCOHOL
    ]
    if not hits:
        return concepts
    m = concept_index().match(["drug", "use"], 0)
    if m is None:
        return concepts
    return sorted([*concepts, *((j, 1, m[0]) for j in hits)], key=lambda c: c[0])
