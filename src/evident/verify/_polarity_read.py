"""Read the polarity of every predicate of a parsed sentence (used by ``polarity.py``).

A sentence becomes a tuple of :class:`Claim`: one per predicate head (a verb, a
predicate adjective, or a noun that a light verb, a negation or a denial governs), with
whether it is negated (the number of negation scopes that hold it is odd), the stems of
its head and modifiers, the experiencer and whether it is hedged. The cues are the
closed-class words of ``resources/polarity.json``; no clinical lexicon decides what can
be negated.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from evident.verify._polarity_cues import contrasted, cues, token_stem
from evident.verify._polarity_degree import (
    clause_circumstance,
    degree_words,
    only_with,
)
from evident.verify._polarity_hedges import _hedged
from evident.verify._polarity_marks import (
    Marks,
    negated_object,
    part_of,
    relatives_of,
    semicolons,
    time_or_place,
)
from evident.verify._polarity_scope import (
    _CLAUSE_DEPS,
    _CORE_DEPS,
    _MODIFIER_DEPS,
    _OBJECT_DEPS,
    _SUBJECT_DEPS,
    _antecedents,
    _behind_barrier,
    _content,
    _cue_root,
    _denial,
    _denied_change,
    _governor,
    _light,
    _np_fragment,
    _objects,
    _own_clause,
    _pseudo,
    _scope,
    _subject_stems,
    _subordinate,
    known_clause,
    negated_pseudo,
    result_heads,
    tested,
    time_clause,
    under_time_adjunct,
)
from evident.verify._resources import load_lexicons
from evident.verify._words import words as word_set

__all__ = [
    "Claim",
    "as_written",
    "clause_root",
    "read_claims",
]

# "no pain *with* movement", "no tenderness *to* palpation": a claim under a circumstance
_CIRCUMSTANCE = word_set("circumstance")


@dataclass(frozen=True)
class Claim:
    """One predicate of a sentence with its polarity.

    Attributes:
        head: Stem of the predicate's head word.
        lemma: The head's lemma.
        phrase: The head and its modifiers as written, in order (for reasons).
        negated: Whether an odd number of negation scopes hold the head.
        core: Stems of the head and its modifiers (the content that is negated).
        content: Stems of the content words of the head's clause.
        anaphoric: The clause's subject is a pronoun such as "it" or "that" (what is
            denied is named elsewhere: "it didn't help").
        clause: Where the head's clause starts (its root's token index).
        definite: The head has a definite determiner or a possessive ("the pain", "your
            knee"): a question presupposes it rather than asking about it.
        subordinate: The head's clause is subordinate ("when he walks", "if it hurts").
        clausal: The sentence has a verb (a bare phrase in dialogue may be an echo).
        npi: The sentence has "any" or "ever" without a negation of them: a question.
        family: Relatives named in the head's part of the sentence (their person:
            "mother", "relative").
        hedged: A hedge, modal, condition or advice word in the sentence.
        present: A present-time word in the sentence ("now", "anymore").
        past: A past-time word in the sentence ("ago", "history").
        circumstance: Stems of what a circumstance preposition under the head names
            ("pain *with movement*", "tenderness *to palpation*").
        negations: How many negations hold the head, each concord negator counted
            (``negated`` counts the concord ones once: "i don't have no allergies"
            denies in speech; see :func:`as_written`).
        cue: The token index of the negation cue that holds the head nearest before it
            (-1: none); the items of one denial share it ("denies fever or chills").
        held: Stems of the content words whose nearest cue is ``cue``: what that one
            denial holds ("no recent problems with *chest pain*").
        objects: For a verb, the stems of what it is done to or with (its direct
            objects and the objects of its prepositions, with their modifiers:
            "associated with *a change in mortality*"); empty for any other head.
        antecedents: For an anaphoric claim, the stems of the nouns its sentence names
            before the claim's clause, where its pronoun's referent is ("I tried
            *ibuprofen* but it didn't help"); empty otherwise.
        subject: Stems of the content words of the claim's subject ("*the chest pain*
            radiates"); empty for a pronoun subject.
        tested: A result word is said of the head as a test or sign ("negative Murphy
            sign", "review of systems is negative"): it says what was found, not that
            the review or the test took place.
        known: The head is what a word whose negation denies nothing is about ("do
            you know what kind of *inhaler* it was?"): a no to the question says the
            speaker does not know, not that there is none.
        degree: Degree or quantifier words said of the head or its clause's verb ("not
            sleeping *well*", "not *every* time"): a negation of them denies how much
            or how often, not the head.
        timing: The head's clause says when another holds ("when you walk", "every
            time you eat"): a yes or no to a question does not answer it.
        part: Which semicolon-separated part of its sentence the head is in (0: the
            first).
    """

    head: str
    lemma: str
    phrase: str
    negated: bool
    core: frozenset[str]
    content: frozenset[str]
    anaphoric: bool = False
    clause: int = 0
    definite: bool = False
    subordinate: bool = False
    clausal: bool = True
    npi: bool = False
    family: frozenset[str] = frozenset()
    hedged: bool = False
    present: bool = False
    past: bool = False
    circumstance: frozenset[str] = frozenset()
    negations: int = 0
    cue: int = -1
    held: frozenset[str] = frozenset()
    objects: frozenset[str] = frozenset()
    antecedents: frozenset[str] = frozenset()
    subject: frozenset[str] = frozenset()
    tested: bool = False
    known: bool = False
    degree: frozenset[str] = frozenset()
    timing: bool = False
    part: int = 0


def as_written(claims: tuple[Claim, ...]) -> tuple[Claim, ...]:
    """The claims of a written sentence: in writing every negation counts, so two cancel
    ("there is not no fracture", "does not have no allergies" affirm them); speech keeps
    negative concord ("i don't have no allergies" denies them), so only a draft is read
    this way."""
    return tuple(
        replace(c, negated=c.negations % 2 == 1) if c.negations >= 2 else c for c in claims
    )


def _is_item(t: Any, depth: int = 0) -> bool:
    """Whether ``t`` heads a predicate: the root, a clause, a conjunct of an item, or a
    noun that a light verb, a negation, a denial or an absence word governs."""
    c = cues()
    if not _content(t) or depth > 8 or _behind_barrier(t):
        return False
    if t.head.lower_ in c.absence_words and t.dep_ in _SUBJECT_DEPS | {"compound"}:
        return True  # "Pulses absent."
    if t.dep_ in _MODIFIER_DEPS:
        return False
    if t.head.i == t.i or t.head.pos_ == "INTJ":
        return True  # the root; or hung on a discourse word ("alright, any *loss*?")
    if t.dep_ == "conj":
        return _own_clause(t) or _is_item(t.head, depth + 1) or _light(t.head)
    g = _governor(t)
    if t.dep_ in _SUBJECT_DEPS:
        objects = [ch for ch in g.children if ch.dep_ in _OBJECT_DEPS]
        if _light(g) and objects and any(ch.dep_ == "neg" for ch in g.children):
            # "blood pressure is not 125/75": a negated light verb denies a value of its
            # subject, so the subject is the claim
            return all(o.pos_ == "NUM" for o in objects)
        return _light(g) and not objects
    if t.dep_ == "pobj":
        # "without X", "negative for X", "free of X", "history of X"; not "in the knee"
        prep = t.head
        return (
            prep.lower_ in c.negators
            or negated_object(t)
            or (
                g.lower_ in c.absence_words
                or (prep.lower_ == "of" and _light(g) and not time_or_place(g))
            )
        )
    if _light(g):
        return True
    return t.dep_ in _CLAUSE_DEPS


def _core(t: Any) -> set[Any]:
    out = {t} | _list_distinguished(t)
    stack = [t]
    while stack:
        tok = stack.pop()
        for ch in tok.children:
            if _across_contrast(ch, t):
                continue  # "impingement, not a tear": the tear's phrase starts after "not"
            if ch.dep_ in _CORE_DEPS or (ch.dep_ == "nsubj" and _np_fragment(tok)):
                out.add(ch)
                stack.append(ch)
            elif ch.dep_ == "prep" and ch.lower_ == "of" and tok.pos_ == "NOUN":
                out.update(x for x in ch.subtree if x.i != ch.i)
    # numbers and their units ("325 mg") say how much, not what is affirmed or denied
    return {
        x
        for x in out
        if x.i == t.i
        or (_content(x) and not x.like_num and not any(c.dep_ == "nummod" for c in x.children))
    }


def _across_contrast(a: Any, b: Any) -> bool:
    """Whether a contrastive ", not" stands between two tokens of one parsed phrase."""
    lo, hi = sorted((a.i, b.i))
    doc = a.doc
    return any(doc[k].lower_ == "not" and doc[k - 1].text == "," for k in range(lo + 1, hi))


def _list_distinguished(t: Any) -> set[Any]:
    """The distinguishing word a list's first item opens with, for a later item: "no
    *other* joint deformities, swelling, or tenderness" speaks of other swelling too."""
    first = t
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    if first.i == t.i:
        return set()
    other = cues().distinguishing
    return {ch for ch in first.children if ch.lower_ in other and ch.i < first.i}


_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_CLAUSE_ROOT_DEPS = frozenset({"ROOT", "ccomp", "advcl", "parataxis", "relcl", "acl"})


def clause_root(t: Any) -> Any:
    """The root of the clause ``t`` belongs to (a conjunct with its own subject is one)."""
    for _ in range(20):
        if t.dep_ in _CLAUSE_ROOT_DEPS or t.head.i == t.i or (t.dep_ == "conj" and _own_clause(t)):
            return t
        t = t.head
    return t


def _pronoun_object(prep: Any) -> bool:
    """A preposition whose object is a pronoun such as "it" ("for it")."""
    return prep.dep_ == "prep" and any(
        g.dep_ == "pobj" and g.lower_ in cues().anaphoric_subjects for g in prep.children
    )


def _sentence_marks(
    sent: Any,
) -> tuple[tuple[tuple[int, str], ...], bool, tuple[Any, ...], tuple[Any, ...]]:
    """The relatives of a sentence (where each is said, and its person), its hedge, and
    the clause roots of its present- and past-time words."""
    c = cues()
    relatives = load_lexicons().phrases.relatives
    lows = [t.lower_ for t in sent]
    family = tuple((t.i, relatives[t.lower_]) for t in sent if t.lower_ in relatives)
    hedged = any(
        w in c.hedges or t.lemma_.lower() in c.hedges for w, t in zip(lows, sent, strict=False)
    )
    present = tuple(clause_root(t) for t in sent if t.lower_ in c.present_time)
    past = tuple(clause_root(t) for t in sent if t.lower_ in c.past_time)
    return family, hedged, present, past


def _timed(clause: Any, roots: tuple[Any, ...]) -> bool:
    """Whether a time word of the sentence holds for a clause: said in it, in a clause
    it governs or in one that governs it; not in a clause beside it ("I move better
    *now* and my arm does not hurt": the "now" is the moving's)."""
    return any(r.i == clause.i or _governs(r, clause) or _governs(clause, r) for r in roots)


def _governs(a: Any, b: Any) -> bool:
    """Whether clause ``a`` governs clause ``b`` by subordination, not as the first of
    two coordinate clauses ("... better now and my arm does not hurt")."""
    if not a.is_ancestor(b):
        return False
    t = b
    for _ in range(40):
        if t.i == a.i:
            return True
        if t.dep_ == "conj" and _own_clause(t):
            return False
        t = t.head
    return False


def _negations(
    sent: Any,
) -> tuple[dict[int, int], dict[int, int], list[tuple[Any, set[int]]], dict[int, frozenset[int]]]:
    """Where the sentence's negations hold: concord negators (deny once however many in
    speech; the value is how many hold a token when they are stacked on one predicate,
    see :func:`_stacked`, else 1), counted ones ("not without", "does not deny" cancel),
    each negation's root with the tokens it holds, and the cues that hold each token."""
    concord: dict[
        int, list[tuple[Any, Any]]
    ] = {}  # "i don't have no allergies" denies once (in speech)
    counts: dict[int, int] = {}
    cue_of: dict[int, set[int]] = {}
    roots: list[tuple[Any, set[int]]] = []
    c = cues()
    for t in sent:
        change = _denied_change(t)
        if change is not None:  # "no change in her pain": the change, not the pain;
            # "no ST changes", "no weight changes, headaches": its kind and a list with it
            kind = _scope(change, t) - {
                x.i for ch in change.children if ch.dep_ == "prep" for x in ch.subtree
            }
            roots.append((change, {change.i} | kind))
            for i in {change.i} | kind:
                cue_of.setdefault(i, set()).add(t.i)
                counts[i] = counts.get(i, 0) + 1
            continue
        root = _cue_root(t)
        if root is None:
            continue
        held = _beyond_semicolon(sent, t.i, _scope(root, t))
        contrast = contrasted(t, t.nbor() if t.i + 1 < len(t.doc) else None)
        if contrast is not None and contrast.i == root.i:
            held = {i for i in held if i > t.i}  # "impingement, not a tear": the tear alone
        if t.dep_ in _SUBJECT_DEPS:  # "nothing helped": the verb, not what led up to it
            held = {root.i} | {
                i
                for ch in root.children
                if ch.dep_ in _OBJECT_DEPS - {"ccomp"}
                for i in held
                if ch.left_edge.i <= i <= ch.right_edge.i
            }
        roots.append((root, held))
        for i in held:
            cue_of.setdefault(i, set()).add(t.i)
            if t.lower_ in c.concord_negators or t.dep_ == "neg":
                concord.setdefault(i, []).append((t, root))
            else:
                counts[i] = counts.get(i, 0) + 1
    stacked = {i: _stacked(rs) for i, rs in concord.items()}
    return stacked, counts, roots, {i: frozenset(v) for i, v in cue_of.items()}


def _beyond_semicolon(sent: Any, cue: int, held: set[int]) -> set[int]:
    """A negation's scope stops at a semicolon: it joins two clauses, whatever the parser
    attached across it ("Back pain and heart failure; she denies seizures." denies no
    pain)."""
    semis = [t.i for t in sent if t.text == ";"]
    if not semis:
        return held
    return {i for i in held if not any(min(i, cue) < s < max(i, cue) for s in semis)}


def _stacked(negators: list[tuple[Any, Any]]) -> int:
    """How many concord negations (cue, root) hold a token, where they are stacked on one
    predicate with no punctuation between them ("does not have no allergies": both
    rooted at the verb; "there is not no hernia": the noun phrase is the negated verb's
    attribute), else 1: a list item's own negation under another's scope ("lungs are not
    clear, no wheezing") is not stacked on it."""
    if len(negators) < 2:
        return 1
    for n, (cue_a, a) in enumerate(negators):
        for m, (cue_b, b) in enumerate(negators):
            if n == m or not (a.i == b.i or (b.dep_ in _STACK_DEPS and b.head.i == a.i)):
                continue
            lo, hi = sorted((cue_a.i, cue_b.i))
            if not any(t.is_punct for t in cue_a.doc[lo:hi]):
                return len(negators)
    return 1


_STACK_DEPS = frozenset({"dobj", "attr", "oprd"})


def _claim(t: Any, marks: Marks) -> Claim:
    """The claim headed by ``t``."""
    c = cues()
    doc = t.doc
    clause = clause_root(t)
    content = frozenset(
        token_stem(doc[i])
        for i in _scope(clause, clause, barriers=False) | {clause.i}
        if _content(doc[i])
    )
    anaphoric = any(  # "it didn't help", "never tried anything for it"
        ch.dep_ in _SUBJECT_DEPS | {"dobj", "prep"}
        and (ch.lower_ in c.anaphoric_subjects or _pronoun_object(ch))
        for x in (t, clause)
        for ch in x.children
    )
    core_toks = sorted(_core(t), key=lambda x: x.i)
    core = frozenset(token_stem(x) for x in core_toks)
    negated = (marks.counts.get(t.i, 0) + (t.i in marks.concord)) % 2 == 1 or _unscoped(t, marks)
    return Claim(
        head=token_stem(t),
        lemma=t.lemma_.lower(),
        phrase=" ".join(x.lower_ for x in core_toks),
        negated=negated,
        core=core,
        content=content | core,
        anaphoric=anaphoric,
        clause=clause.i,
        definite=any(ch.dep_ == "poss" or ch.lower_ in _DEFINITE for ch in t.children),
        subordinate=_subordinate(clause) or under_time_adjunct(t),
        clausal=marks.clausal,
        npi=marks.npi and t.i not in marks.concord and t.i not in marks.counts,
        family=relatives_of(t, marks.family, marks.semis),
        part=part_of(marks.semis, t.i),
        hedged=(marks.hedged and _hedged(t)) or (negated and only_with(t)),
        present=_timed(clause, marks.present),
        past=_timed(clause, marks.past),
        negations=marks.counts.get(t.i, 0) + marks.concord.get(t.i, 0),
        cue=(cue := _own_cue(t.i, marks.cue_of.get(t.i, frozenset()))),
        held=marks.held.get(cue, frozenset()),
        objects=_objects(t),
        antecedents=_antecedents(clause) if anaphoric else frozenset(),
        subject=_subject_stems(t, clause),
        tested=t.i in marks.tested,
        known=known_clause(t),
        degree=degree_words(t, clause, lambda i: cue < 0 or cue in marks.cue_of.get(i, ())),
        timing=time_clause(clause),
        circumstance=clause_circumstance(t, clause)
        | frozenset(
            token_stem(x)
            for ch in t.children
            if ch.dep_ == "prep" and ch.lower_ in _CIRCUMSTANCE
            for obj in ch.children
            if obj.dep_ in {"pobj", "pcomp"}
            for x in (obj, *(m for m in obj.children if m.dep_ in _CORE_DEPS))
            if _content(x)
        ),
    )


def _held(sent: Any, cue_of: dict[int, frozenset[int]]) -> dict[int, frozenset[str]]:
    """Each cue's content stems: the content words whose nearest cue it is."""
    out: dict[int, set[str]] = {}
    for i, by in cue_of.items():
        tok = sent.doc[i]
        if _content(tok):
            out.setdefault(_own_cue(i, by), set()).add(token_stem(tok))
    return {k: frozenset(v) for k, v in out.items()}


def _own_cue(head: int, held_by: frozenset[int]) -> int:
    """The cue nearest before the head among those that hold it (else the first)."""
    before = [i for i in held_by if i < head]
    return max(before) if before else min(held_by, default=-1)


def _bare(root: Any, held: set[int], heads: set[int]) -> bool:
    """A negated verb, adjective or noun that holds no predicate of its own: it is what
    is denied ("has not noticed", "does not present today", "will not be going home",
    "in no apparent distress"), even a light verb."""
    return (
        root.pos_ in {"VERB", "ADJ", "NOUN", "PROPN"}
        and root.is_alpha
        and root.i not in heads
        and not heads & held
        and not _denial(root)
        and not _pseudo(root)
    )


def _unscoped(t: Any, marks: Marks) -> bool:
    """A negated knowing word that no negation scope holds ("does not know the type":
    the scope stops at it, so that it does not deny the type) denies the knowing alone."""
    return t.i not in marks.counts and t.i not in marks.concord and negated_pseudo(t)


def read_claims(sent: Any) -> tuple[Claim, ...]:
    """The predicates of one parsed sentence (a spaCy ``Span`` or ``Doc``) with polarity.

    Args:
        sent: A parsed sentence (dependency parse and lemmas).

    Returns:
        One :class:`Claim` per predicate head, in sentence order (a negated verb that
        holds no other predicate is one).
    """
    concord, counts, roots, cue_of = _negations(sent)
    family, hedged, present, past = _sentence_marks(sent)
    marks = Marks(
        family=family,
        hedged=hedged,
        present=present,
        past=past,
        clausal=any(t.pos_ in {"VERB", "AUX"} for t in sent),
        npi=any(t.lower_ in cues().npi for t in sent),
        concord=concord,
        counts=counts,
        cue_of=cue_of,
        held=_held(sent, cue_of),
        tested=frozenset(tested(sent)),
        semis=semicolons(sent),
    )
    heads = {t.i for t in sent if _is_item(t)} | result_heads(sent)
    heads |= {r.i for r, held in roots if _bare(r, held, heads)}
    # what a negative result is said of, each item listed ("lachman and mcmurray tests
    # are negative")
    heads |= {i for i in marks.tested if i in cue_of}
    return tuple(_claim(sent.doc[i], marks) for i in sorted(heads))
