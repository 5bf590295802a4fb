"""What a parsed word is said of, for the antonym checker: its *anchors* (the content
words it is said of in its parse), whether a negation or a condition holds it, and the
circumstance it is said under. See :mod:`evident.verify.antonyms`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evident.verify._polarity_cues import is_cue, norm
from evident.verify._polarity_views import _stop

__all__ = ["_anchors", "_circumstances", "_conditional", "_negated"]

_MIN_LEN = 3
_NEGATION_REACH = 8  # heads walked up: "no pain to palpation of the lateral aspect"
_CONDITION_MARKS = frozenset({"if", "unless", "whether"})
_NEGATING_DEPS = frozenset({"neg"})
_ANCHOR_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
_OPEN_DEPS = frozenset({"xcomp", "acomp", "aux", "auxpass"})
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "prep"})


def _negated(tok: Any) -> bool:
    """A negation holds the word: on it or on the words it hangs on, up to its clause's
    verb ("not worse", "no increase", "did not decrease", "without improvement")."""
    t = tok
    for _ in range(_NEGATION_REACH):
        for c in t.children:
            if c.dep_ in _NEGATING_DEPS or (c.dep_ == "det" and is_cue(c.lower_)):
                return True
        if t.i != tok.i and is_cue(t.lower_):
            return True  # "denies worse pain", "without improvement"
        if t.head.i == t.i or (t.pos_ in {"VERB", "AUX"} and t.dep_ not in _OPEN_DEPS):
            return False  # the clause's verb is read: a negation above it is another's
        t = t.head
    return False


def _conditional(tok: Any) -> bool:
    """The word is in a condition ("if it gets worse", "should his symptoms worsen") or
    a question clause."""
    for t in [tok, *tok.ancestors]:
        if any(c.dep_ == "mark" and c.lower_ in _CONDITION_MARKS for c in t.children):
            return True
        if _inverted_condition(t):
            return True
    return False


def _inverted_condition(t: Any) -> bool:
    """A clause opened by "should" before its subject ("should his symptoms worsen"): a
    condition, as "if" opens one."""
    aux = [c for c in t.children if c.dep_ == "aux" and c.lower_ in {"should", "had", "were"}]
    subj = [c for c in t.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return bool(aux and subj) and aux[0].i < subj[0].i and t.dep_ != "ROOT"


def _circumstances(tok: Any) -> frozenset[str]:
    """Stems of what a word is said under ("worse *with walking*", "aggravated *by
    standing*", "better *when I rest*"): a phrase of a circumstance preposition or a
    when-clause on the word or on the verb it is said with."""
    out: set[str] = set()
    for t in {tok.i: tok, tok.head.i: tok.head}.values():
        for c in t.children:
            opened = c.dep_ in {"prep", "agent"} and c.lower_ in _CIRCUMSTANCE_PREPS
            opened = opened or (
                c.dep_ == "advcl" and any(m.lower_ in _WHEN_MARKS for m in c.children)
            )
            if opened:
                out.update(
                    norm(w.lower_) for w in c.subtree if w.is_alpha and w.pos_ in _ANCHOR_POS
                )
    return frozenset(out)


_CIRCUMSTANCE_PREPS = frozenset({"with", "by", "during", "upon", "after", "when"})  # not "on exam"
_WHEN_MARKS = frozenset({"when", "whenever", "while", "after", "once"})


def _own_arguments(tok: Any) -> bool:
    """A verb with its own object or subject ("..., and I want to continue you on the
    aspirin") is not said of what the verb it is joined to is said of."""
    return tok.pos_ == "VERB" and any(c.dep_ in _ARGUMENT_DEPS for c in tok.children)


def _anchors(tok: Any, refer: Callable[[Any], frozenset[str]] | None = None) -> frozenset[str]:
    """Stems of the content words the word is said of (with ``refer``, what the pronouns
    among them stand for: :mod:`evident.verify._antonym_refs`)."""
    out: list[Any] = []
    t = tok
    while t.dep_ == "conj" and t.head.i != t.i and not _own_arguments(t):
        t = t.head  # "increased redness and *swelling*": said of what the first is
    head = t.head
    if t.dep_ in {"amod", "compound", "advmod", "npadvmod"} and head.i != t.i:
        out.append(head)
        if t.dep_ == "advmod" and head.dep_ in {"amod", "compound"}:
            out.append(head.head)  # "*less* frequent falls": said of the falls too
    if (
        t.dep_ in {"acomp", "attr", "xcomp", "oprd"}
        or (t.pos_ in {"ADJ", "VERB"} and t.dep_ == "ROOT")
        or (t.pos_ == "ADJ" and t.dep_ == "dobj")  # "doing *worse*": the parser's object
    ):
        verb = head if t.dep_ != "ROOT" else t
        out.extend(c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"})
        if t.dep_ == "xcomp":
            out.extend(c for c in verb.children if c.dep_ == "dobj")
    if t.dep_ == "advmod":
        out.extend(c for c in head.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"})
    if t.pos_ in {"VERB", "NOUN"}:
        for c in t.children:
            if c.dep_ in {"nsubj", "nsubjpass", "dobj", "xcomp", "attr"}:
                out.append(c)
            elif c.dep_ == "prep":
                out.extend(g for g in c.children if g.dep_ == "pobj")
        if t.pos_ == "NOUN" and t.dep_ in {"dobj", "nsubj", "pobj"} and head.i != t.i:
            out.append(head if head.dep_ != "prep" else head.head)
    if t.pos_ == "ADJ" or (t.pos_ == "ADV" and t.dep_ == "ROOT"):  # a line's "Best with"
        out.extend(_prep_objects(t, bare=not out))
    out.extend(c for a in list(out) for c in a.conjuncts)  # "stop X and Y" is said of Y
    stop = _stop()
    said = frozenset(
        norm(a.lower_)
        for a in out
        if a.pos_ in _ANCHOR_POS and a.is_alpha and a.lower_ not in stop and len(a) >= _MIN_LEN
    )
    if refer is None:
        return said
    return said | frozenset(x for a in out if a.pos_ == "PRON" for x in refer(a))


def _prep_objects(tok: Any, bare: bool) -> list[Any]:
    """What an adjective's prepositions name ("stable *to varus stress*"); a
    circumstance ("best *with the first steps*") only where nothing else is what it is
    said of (a line of findings with no subject)."""
    return [
        g
        for c in tok.children
        if c.dep_ == "prep" and (bare or c.lower_ not in _CIRCUMSTANCE_PREPS)
        for g in c.children
        if g.dep_ == "pobj"
    ]
