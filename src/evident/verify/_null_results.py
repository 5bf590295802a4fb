"""A null result denies every effect on what it measured.

"There was no significant difference in retinal vessel calibre between the groups",
"serum phosphate did not differ": a denial of an effect word that says nothing of a
direction (``polarity.json``'s ``effects``, class ``any``) denies every effect on that
measure, so "retinal vessel calibre was increased in the kidney disease group" or
"phosphate was lower" conflicts with it though its head is another word. A denial of a
directed effect denies only its own direction: "did not reduce mortality" leaves
"increased mortality" open, and a denial in the statement is never a conflict here
("did not increase X" is borne out by "X fell"). The words are one closed class of
comparison and effect predicates, read from the parse's head phrase, not a list of
findings.
"""

from __future__ import annotations

from evident.verify._polarity_cues import effect_classes, norm, words
from evident.verify._polarity_read import Claim

__all__ = ["null_conflict"]

# content words the two clauses must share besides their effect words: one alone ("calcium")
# may be measured against another thing ("calcium is lower in smokers" - "no difference
# in calcium across age groups")
_SHARED = 2


def _effect(c: Claim) -> str | None:
    """The class of the effect word in a claim's head phrase, if it has one."""
    classes = effect_classes()
    said = c.core | {norm(w) for w in words(c.phrase)}  # "worse", whose lemma is "bad"
    return next((classes[s] for s in sorted(said) if s in classes), None)


def null_conflict(st: Claim, src: Claim) -> bool:
    """Whether the source's denied effect is a null result that the statement's affirmed
    effect contradicts: the source's effect is undirected or of the statement's own
    direction, and the two name the same measure (their clauses share two content words
    besides effect words, what the source's circumstance holds aside, one of them a word
    of what the statement says changed: its subject, object or head phrase)."""
    if st.negated or not src.negated or st.family != src.family:
        return False
    mine, theirs = _effect(st), _effect(src)
    if mine is None or theirs is None or theirs not in ("any", mine):
        return False
    classes = effect_classes()
    theirs_ = {s for s in src.content - src.circumstance if s not in classes}
    shared = {s for s in st.content if s not in classes} & theirs_
    measured = {s for s in st.subject | st.objects | st.core if s not in classes}
    return len(shared) >= _SHARED and bool(measured & shared or not measured)
