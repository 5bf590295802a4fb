"""Clinical prose from spoken sentences, read through spaCy's dependency parse.

The minimal rewrite (:mod:`evident.tasks.scribe.rewrite`) cleans a sentence and puts the
patient in the third person. This pass reads the result's parse and decides, by structure
rather than by the sentence's words, what a note keeps of it:

- a clinician's first-person clause becomes what it reports: "I hear crackles at the
  base" -> "Crackles at the base", "I think this is a sprain" -> "This is a sprain",
  "My assessment is a meniscus tear" -> "A meniscus tear";
- a clinician's intention becomes an order: "I am going to order an MRI" -> "Order an
  MRI", "I want him to keep taking ibuprofen" -> "The patient will keep taking ibuprofen";
- a clinician's imperative is an order in the plan and an instruction elsewhere ("Take
  some deep breaths") that the note drops; "Let me take a listen" is dropped;
- a subordinate clause about the clinician ("the x-ray we took") is removed;
- a patient's fragment is kept only as a medication line ("Lisinopril 10 mg once daily");
  "it"/"they" as a patient's subject is resolved from the clinician's question before;
- whatever still speaks in the first or second person is dropped.

The pass only removes words, reorders none, and adds at most "The patient will" or a
noun phrase taken from the conversation, so statements stay extractive and verifiable.
Verb classes are lemma lists in ``resources/prose.yaml``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from evident.tasks.scribe.rules import prose_rules
from evident.tasks.scribe.tree import DOUBLE as _DOUBLE
from evident.tasks.scribe.tree import LEAD as _LEAD
from evident.tasks.scribe.tree import SPACE_BEFORE as _SPACE_BEFORE
from evident.tasks.scribe.tree import child as _child
from evident.tasks.scribe.tree import first_subject as _first_subject
from evident.tasks.scribe.tree import nlp as _nlp
from evident.tasks.scribe.tree import person_words
from evident.tasks.scribe.tree import render as _render
from evident.tasks.scribe.tree import subtree as _subtree
from evident.tasks.scribe.tree import word_sets as _sets
from evident.tasks.scribe.units import matchers

__all__ = ["ProseInput", "person_words", "to_prose"]

# A patient's sentence that starts with its verb left its subject out ("Been taking ...").
_ELIDED = {
    "VBN": "{S} has",
    "VBD": "{S}",
    "VBZ": "{S}",
    "VBG": "{S} is",
}
_CUT_DEPS = {"conj", "parataxis", "advcl", "ccomp"}
_MIN_SPLIT = 6  # tokens: shorter sentences are kept or dropped whole
_FULL = {"'ve": "have", "'re": "are", "'ll": "will", "'d": "would"}
_CLAUSE_DEPS = {"advcl", "relcl", "ccomp", "acl", "conj", "xcomp", "parataxis"}
# Modifiers cut whole with a first- or second-person word inside them ("with me").
_PRUNABLE = {
    "prep",
    "relcl",
    "advcl",
    "acl",
    "intj",
    "npadvmod",
    "parataxis",
    "appos",
    "dative",
    "ccomp",
    "conj",
    "advmod",
}


@dataclass(frozen=True)
class ProseInput:
    """One rewritten sentence to turn into prose.

    Attributes:
        text: The sentence after the minimal rewrite (cleaned, patient in third person).
        speaker: ``doctor``/``nurse`` (clinician), ``patient`` or another role.
        category: The engine's category (``plan``, ``exam``, ...).
        context: The clinician's question just before a patient's sentence, rewritten, or "".
        subject: How a sentence names the patient as its subject ("She", "The patient").
    """

    text: str
    speaker: str | None
    category: str
    context: str = ""
    subject: str = "The patient"


def _strip_subject(verb: Any, drop: set[int]) -> None:
    """Drop a clause's subject and auxiliaries ("I will also", "we are going to")."""
    sets = _sets()
    for c in verb.children:
        if c.dep_ in {"nsubj", "nsubjpass", "aux", "auxpass", "neg"} and c.dep_ != "neg":
            drop |= _subtree(c)
        elif c.dep_ in {"advmod", "intj"} and c.lower_ in sets["fillers"] and c.i < verb.i:
            drop.add(c.i)


def _action(root: Any) -> tuple[Any, Any | None]:
    """The verb a clinician's intention is about, and its own subject if not the clinician.

    "I am going to order" -> (order, None); "I want him to keep taking" -> (keep, him).
    """
    sets = _sets()
    verb = root
    for _ in range(3):
        nxt = _child(verb, {"xcomp", "ccomp"})
        if nxt is None or not (verb.lemma_ == "go" or verb.lower_ in sets["intent"]):
            break
        own = _child(nxt, {"nsubj"})
        if own is not None and own.lower_ not in sets["first"]:
            return nxt, own
        verb = nxt
    return verb, None


def _drop_first_person_clauses(doc: Any, drop: set[int], root: Any) -> None:
    """Remove subordinate clauses about the clinician; strip the subject of coordinated ones."""
    for tok in doc:
        if tok.i == root.i or tok.dep_ not in _CLAUSE_DEPS or not _first_subject(tok):
            continue
        if tok.dep_ == "conj" and tok.head.i == root.i and tok.lemma_ not in _sets()["empty"]:
            _strip_subject(tok, drop)
        else:
            drop |= _subtree(tok)
            drop |= {c.i for c in tok.children if c.dep_ in {"mark", "cc"}}
            j = tok.left_edge.i - 1
            while j >= 0 and doc[j].dep_ in {"cc", "punct"} and doc[j].head.i in {tok.i, root.i}:
                drop.add(j)
                j -= 1


def _clinician(doc: Any, category: str, subject: str = "The patient") -> str:
    sets = _sets()
    root = next(iter(doc.sents)).root
    everything = {t.i for t in doc}
    drop: set[int] = set()
    swap: dict[int, str] = {}
    subj = _child(root, {"nsubj", "nsubjpass", "expl", "csubj"})
    if root.lemma_ == "let" and any(c.lower_ in {"me", "us", "'s"} for c in root.children):
        inner = _child(root, {"ccomp", "xcomp"})
        if category not in sets["orders"] or inner is None:
            return ""
        keep = _subtree(inner) - {c.i for c in inner.children if c.dep_ == "nsubj"}
        return _order(doc, keep)
    if subj is None and root.pos_ in {"VERB", "AUX"}:
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in root.children)
        if root.tag_ != "VB" or infinitive or category not in sets["orders"]:
            return ""
        return "" if root.lemma_ in sets["narration"] else _order(doc, everything)
    if subj is not None and subj.lower_ in sets["first"]:
        comp = _child(root, {"ccomp"})
        if root.lemma_ in sets["perception"] and category not in sets["orders"]:
            obj = comp or _child(root, {"dobj", "attr"})
            if obj is None:
                return ""
            keep = {t.i for t in doc if t.i >= obj.left_edge.i and t.i not in _subtree(subj)}
            return _render(doc, keep)
        if root.lemma_ in sets["cognition"] and comp is not None:
            keep = _subtree(comp) - {c.i for c in comp.children if c.dep_ == "mark"}
            return _render(doc, keep) if not _first_subject(comp) else ""
        verb, own = _action(root)
        past = verb is root and root.tag_ == "VBD"
        if category not in sets["orders"] and not past:
            return ""
        if own is not None:
            return _patient_plan(doc, root, verb, own, subject)
        if _empty(verb) or verb.lemma_ in sets["narration"]:
            return ""
        drop = {t.i for t in doc if t.i < verb.i and t.i not in _subtree(verb)}
        drop |= {t.i for t in doc if t.i < verb.i and t.dep_ in {"nsubj", "aux"}}
        _strip_subject(verb, drop)
        if verb is not root:
            drop |= _subtree(subj) | {root.i}
        _drop_first_person_clauses(doc, drop, root)
        return _order(doc, everything - drop)
    poss = _child(subj, {"poss"}) if subj is not None else None
    if poss is not None and poss.lower_ in sets["first"] and root.lemma_ == "be":
        attr = _child(root, {"attr", "acomp", "ccomp"})
        if attr is None:
            return ""
        return _render(doc, {t.i for t in doc if t.i >= attr.left_edge.i})
    _drop_first_person_clauses(doc, drop, root)
    return _render(doc, everything - drop, swap)


def _patient_plan(doc: Any, root: Any, verb: Any, own: Any, subject: str) -> str:
    """ "I want him to rest, and I will refer him" -> "The patient will rest. Refer ..." """
    keep = {t.i for t in doc if t.i >= verb.i or t.i in _subtree(verb)}
    keep -= {c.i for c in verb.children if c.dep_ == "aux" and c.lower_ == "to"}
    keep -= _subtree(own)
    orders = []
    for conj in [c for c in root.children if c.dep_ == "conj" and _first_subject(c)]:
        part = _subtree(conj)
        j = conj.left_edge.i - 1
        while j >= 0 and doc[j].dep_ in {"cc", "punct"}:
            part.add(j)
            j -= 1
        keep -= part
        inner, _ = _action(conj)
        drop = {t.i for t in doc if t.i in part and t.i < inner.i and t.i not in _subtree(inner)}
        orders.append(_order(doc, part - drop - {c.i for c in inner.children if c.dep_ == "aux"}))
    text = _render(doc, keep)
    first = f"{subject} will {text[0].lower()}{text[1:]}" if text else ""
    return " ".join(t for t in [first, *orders] if t)


def _order(doc: Any, keep: set[int]) -> str:
    """An order: filler words before the verb go, object pronouns become the patient."""
    sets = _sets()
    drop = {t.i for t in doc if t.lower_ in sets["fillers"] and t.dep_ in {"intj", "advmod"}}
    drop |= {t.i for t in doc if t.lower_ in {"go", "ahead"} and t.dep_ in {"aux", "advmod"}}
    root = next(iter(doc.sents)).root
    _drop_first_person_clauses(doc, drop, root)
    swap = {t.i: "the patient" for t in doc if t.lower_ in sets["objects"] and t.dep_ == "dobj"}
    return _render(doc, keep - drop, swap)


def _medication_line(doc: Any) -> str:
    """A patient's fragment naming a dose: "Just his lisinopril, 10 mg daily" -> a line."""
    units = _sets()["units"]
    if not any(t.like_num and t.i + 1 < len(doc) and doc[t.i + 1].lower_ in units for t in doc):
        return ""
    keep = set()
    owner = {i for t in doc if t.dep_ == "poss" for i in _subtree(t)}
    for t in doc:
        if t.i in owner or t.text == ",":
            continue
        if t.dep_ == "advmod" and t.i < t.head.i and t.head.dep_ == "ROOT":
            continue
        if t.lower_ == "the" and t.dep_ == "det" and t.head.dep_ == "ROOT":
            continue
        keep.add(t.i)
    return _render(doc, keep)


def _referent(context: str, number: str) -> str:
    """The noun phrase of the clinician's question that a patient's "it"/"they" names."""
    if not context:
        return ""
    doc = _nlp()(context)
    for chunk in doc.noun_chunks:
        head = chunk.root
        if head.pos_ not in {"NOUN", "PROPN"}:
            continue
        if (head.tag_ in {"NNS", "NNPS"}) == (number == "plural"):
            words = [t for t in chunk if t.dep_ != "det" or t.lower_ in {"the"}]
            return "".join(t.text_with_ws for t in words).strip()
    return ""


def _first_word(doc: Any) -> int:
    return next((t.i for t in doc if not t.is_punct and t.dep_ not in {"advmod", "intj"}), 0)


def _patient(doc: Any, context: str, subject: str = "The patient") -> str:
    root = next(iter(doc.sents)).root
    subj = _child(root, {"nsubj", "nsubjpass", "expl"})
    if root.pos_ not in {"VERB", "AUX"} and subj is None:
        return _medication_line(doc)
    if subj is None:
        lead = _ELIDED.get(root.tag_)
        if lead is None or root.i != _first_word(doc):
            return ""
        text = _render(doc, {t.i for t in doc})
        lead = lead.replace("{S}", subject)
        return f"{lead} {text[0].lower()}{text[1:]}" if text else ""
    swap: dict[int, str] = {}
    wanted = prose_rules().resolvable_subjects
    if subj is not None and subj.lower_ in wanted:
        name = _referent(context, wanted[subj.lower_])
        if name:
            swap[subj.i] = name if subj.i else name[0].upper() + name[1:]
            nxt = doc[subj.i + 1] if subj.i + 1 < len(doc) else None
            if nxt is not None and nxt.lower_ in _FULL:
                swap[nxt.i] = " " + _FULL[nxt.lower_]
    return _render(doc, {t.i for t in doc}, swap)


def _intends(doc: Any) -> bool:
    """Whether a clinician's sentence states what the clinician will do ("we will repeat")."""
    sets = _sets()
    root = next(iter(doc.sents)).root
    if not _first_subject(root):
        return False
    future = any(c.dep_ == "aux" and c.lower_ in {"will", "'ll", "shall"} for c in root.children)
    verb, _ = _action(root)
    if not future and verb is root:
        return False
    return not _empty(verb) and verb.lemma_ not in sets["narration"] | sets["perception"]


def _empty(verb: Any) -> bool:
    """Whether a verb says nothing clinical ("I have a question"; not "get an x-ray")."""
    sets = _sets()
    if verb.lemma_ not in sets["empty"]:
        return False
    obj = _child(verb, {"dobj"})
    return not (verb.lemma_ in sets["object_orders"] and obj is not None and obj.pos_ == "NOUN")


def to_prose(items: Sequence[ProseInput], split: bool = True) -> list[tuple[str, str]]:
    """Turn rewritten sentences into note prose; "" marks a sentence the note drops.

    Args:
        items: The sentences, with speaker, category and the question before them.
        split: Retry a long sentence dropped as a whole clause by clause.

    Returns:
        One (text, category) per item, in order: the prose, or "" when nothing of it
        belongs in a note (conversation, instructions given during the exam, first or
        second person left); the category is the item's, or ``plan`` for what the
        clinician says they will do.
    """
    docs_kept = list(_nlp().pipe([it.text for it in items], batch_size=64))
    out = [_write(it, doc) for it, doc in zip(items, docs_kept, strict=True)]
    if split:
        _split_failures(items, docs_kept, out)
    for n, (it, doc) in enumerate(zip(items, docs_kept, strict=True)):
        pruned = "" if out[n][0] else _without_person(doc)
        if pruned:
            out[n] = _write(replace(it, text=pruned), _nlp()(pruned))
    return out


def _write(it: ProseInput, doc: Any) -> tuple[str, str]:
    """One sentence as prose by its structure; "" when nothing of it belongs in a note."""
    category = it.category
    if not len(doc):
        return "", category
    if it.speaker in {"doctor", "nurse"}:
        category = "plan" if _intends(doc) else category
        text = _clinician(doc, category, it.subject)
    else:
        text = _patient(doc, it.context, it.subject)
    return ("" if person_words(text) or _dropped(text) else text), category


def _dropped(text: str) -> bool:
    """What the note drops from the conversation it drops from the prose too: a rewrite
    can bring an utterance to a dropped form ("Do physical exam.")."""
    low = text.lower()
    return any(p.search(low) for p in matchers().drop)


def _without_person(doc: Any) -> str:
    """The sentence without the modifiers that speak in the first or second person.

    "A murmur, which I have heard before" -> "A murmur"; "called for a follow-up with
    me" -> "called for a follow-up". A person word is cut with the nearest modifier
    (phrase or clause) holding it; the subject of a main clause, and its owner ("my
    assessment is"), are left for the structural reading. "" when a person word sits in
    the main clause itself, or there is none to cut.
    """
    person = _sets()["person"]
    drop: set[int] = set()
    for sent in doc.sents:
        root = sent.root
        for tok in sent:
            if tok.lower_ not in person or tok.i in drop or _read_structurally(tok, root):
                continue
            node = tok
            while node.i != root.i and node.dep_ not in _PRUNABLE:
                node = node.head
            if node.i == root.i:
                return ""
            span = _subtree(node)
            j = min(span) - 1
            while j >= 0 and doc[j].dep_ in {"cc", "punct", "mark"}:
                span.add(j)
                j -= 1
            drop |= span
    if not drop:
        return ""
    text = "".join(t.text_with_ws for t in doc if t.i not in drop)
    return _LEAD.sub("", _DOUBLE.sub(" ", _SPACE_BEFORE.sub(r"\1", text)).strip())


def _read_structurally(tok: Any, root: Any) -> bool:
    """Whether a person word is one the structural reading handles (a main subject)."""
    if tok.dep_ in {"nsubj", "nsubjpass"} and tok.head.i == root.i:
        return True
    head = tok.head
    return tok.dep_ == "poss" and head.dep_ in {"nsubj", "nsubjpass"} and head.head.i == root.i


def _clauses(doc: Any) -> list[str]:
    """A long sentence cut before each coordinated clause that has its own subject."""
    roots = {s.root.i for s in doc.sents}
    cuts: list[int] = [s.start for s in doc.sents]
    for tok in doc:
        own = _child(tok, {"nsubj", "nsubjpass", "expl"})
        if tok.dep_ in _CUT_DEPS and tok.i not in roots and own is not None:
            j = tok.left_edge.i
            while j > 0 and doc[j - 1].dep_ in {"cc", "punct"}:
                j -= 1
            cuts.append(j)
            if tok.i < tok.head.i and tok.dep_ in {"ccomp", "parataxis"}:
                # A clause before the one it belongs to also ends a piece.
                cuts.append(tok.right_edge.i + 1)
    bounds = sorted({0, *cuts, len(doc)})
    pieces = []
    for a, b in itertools.pairwise(bounds):
        lead = a
        while lead < b and (doc[lead].dep_ in {"cc", "punct"} or doc[lead].lower_ == "that"):
            lead += 1
        if b > lead and doc[lead].dep_ != "mark":
            # A piece left starting with "if"/"because" lost the clause it qualifies.
            pieces.append(doc[lead:b].text.strip(" ,;"))
    return [p for p in pieces if p]


def _split_failures(
    items: Sequence[ProseInput], docs: list[Any], out: list[tuple[str, str]]
) -> None:
    """Retry a long sentence that failed as a whole clause by clause, keeping what reads."""
    for n, (it, doc) in enumerate(zip(items, docs, strict=True)):
        if out[n][0] or len(doc) < _MIN_SPLIT:
            continue
        pieces = _clauses(doc)
        if len(pieces) < 2:
            continue
        parts = to_prose([replace(it, text=p) for p in pieces], split=False)
        kept = [(t, c) for t, c in parts if t]
        if kept:
            out[n] = (" ".join(t for t, _ in kept), kept[0][1])
