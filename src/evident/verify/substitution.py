"""The substitution checker: a word the statement rests on, absent from the source, where
the aligned source sentence puts a different word in the same syntactic slot.

A coverage score forgives one foreign word in a long sentence, and an antonym or a
finding swapped for another differs from the source by one word. This checker reads
what the statement rests on from its dependency parse (spaCy through
:func:`evident.nlp.load_english`): the content words in the argument and modifier slots
of its predicates (subject, object, complement, the object of a preposition, an
adjective or noun modifier, an adverb). A word of those found nowhere in the source
(stems, and the synonyms of ``findings.json`` and ``phrases.json``, as the polarity
checker reads them) is looked for *in its slot*: its anchor is its head (through a
preposition: "history *of* asthma" is the slot ``of:pobj`` of "history"), or, when the
head is a light word ("is", "reports") or absent, a sibling the source shares ("the
*pain* is better": the complement of the verb whose subject is "pain"). A candidate
segment whose parse gives the same anchor a different content word in the same slot, a
word the statement never uses, is a substitution: "transcript says worse (u3), note
says better".

An absent word with no such rival is a paraphrase as often as an error ("dyspnea" for
"short of breath"), so it is left to the entailer. Slots are compared by a coarse
relation (object, subject, complement, modifier, adverb, ``prep:pobj``), since a note
and a dialogue seldom use the same frame.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from evident.types import Segment, Source
from evident.verify._polarity_cues import canonical, is_cue, norm, words
from evident.verify._polarity_statement import _field_reading
from evident.verify._polarity_views import _sentences, _stop
from evident.verify._sources import PerSource, source_label
from evident.verify.decide import CheckOutcome, CheckResult
from evident.verify.side_words import _SIDES

__all__ = ["OUTCOME", "Rival", "check_substitution", "clear_caches", "rivals"]

#: What a substitution is: a missing hard fact (``substitution`` is in
#: ``decide.HARD_CHECKERS``: unsupported, the reason naming both words). Measured on the
#: development half, ``conflict`` (contradicted) detects the same items and puts its
#: clean false flags (1.2-1.5 points) among the contradicted, where the goal is tighter.
OUTCOME: CheckOutcome = "missing"

#: Coarse slots: a note and a dialogue put the same thing in different frames ("has X" /
#: "X is there"), so relations are compared by role.
_ROLE = {
    "dobj": "obj",
    "attr": "obj",
    "oprd": "obj",
    "nsubjpass": "obj",
    "nsubj": "subj",
    "acomp": "comp",
    "xcomp": "comp",
    "amod": "mod",
    "compound": "mod",
    "nmod": "mod",
    "advmod": "adv",
    "npadvmod": "adv",
    "pobj": "pobj",
}
_COMPS = frozenset({"acomp", "xcomp", "attr", "oprd"})
#: The (slot, part of speech) pairs read: an adjective modifier ("*upper* arm pain"), a
#: complement adjective ("the pain is *better*"), a noun object or object of a
#: preposition ("reports *asthma*", "history of *asthma*"). Chosen on the development
#: half (ACI train, MTS-Dialog train): adverbs, subjects, noun modifiers and verb
#: predicates found paraphrase (clinicians' verbs, "pointer"/"index") more often than
#: errors.
_KEPT = frozenset(
    {("mod", "ADJ"), ("comp", "ADJ"), ("pred", "ADJ"), ("obj", "NOUN"), ("pobj", "NOUN")}
)
_CONTENT_POS = frozenset({"NOUN", "PROPN", "ADJ", "VERB", "ADV"})
_PARSE_SIZE = 8192
_PREFIX = 5  # letters two words share when one derives from the other
_PARSES: OrderedDict[str, Any] = OrderedDict()


@dataclass(frozen=True)
class Rival:
    """A different word the source puts in a statement word's slot.

    Attributes:
        word: The statement's word (as written).
        rival: The source's word in the same slot (as written).
        anchor: The word both hang on.
        segment: The source segment id.
        role: The slot (``obj``, ``pred``, ``mod``, ``of:pobj``, ...).
        pos: The statement word's part of speech.
    """

    word: str
    rival: str
    anchor: str
    segment: str
    role: str = ""
    pos: str = ""


def clear_caches() -> None:
    """Forget every parse and source reading."""
    _PARSES.clear()
    _source_stems.cache_clear()
    _plain_stems.cache_clear()


def _parse(texts: Iterable[str]) -> dict[str, Any]:
    """Parses of texts, cached per text, batched."""
    texts = list(dict.fromkeys(texts))
    missing = [t for t in texts if t not in _PARSES]
    if missing:
        from evident.nlp import load_english

        nlp = load_english(("parser", "lemmatizer"))
        for text, doc in zip(missing, nlp.pipe(missing, batch_size=64), strict=True):
            _PARSES[text] = doc
            if len(_PARSES) > _PARSE_SIZE:
                _PARSES.popitem(last=False)
    return {t: _PARSES[t] for t in texts}


def _content(tok: Any) -> bool:
    """A word that can carry a claim: a content part of speech, alphabetic, not a stop
    or light word ("is", "reports", "patient", "mild")."""
    stop = _stop()
    low = tok.lower_
    return (
        tok.pos_ in _CONTENT_POS
        and low.isalpha()
        and len(low) > 2
        and low not in stop
        and norm(low) not in stop
    )


def _anchor_word(tok: Any) -> bool:
    """A head that can anchor a slot by itself: a content word, or a noun or adjective
    even when light ("history of X"); not a light verb ("is", "has", "reports")."""
    if _content(tok):
        return True
    return tok.pos_ in {"NOUN", "PROPN", "ADJ"} and tok.lower_.isalpha() and len(tok.lower_) > 2


def _stems_of(text: str) -> frozenset[str]:
    """Comparable stems of a text's words, synonyms written as their finding's name."""
    out = {norm(w) for w in words(text) if w.isalpha()}
    out |= {norm(w) for w in words(canonical(text)) if w.isalpha()}
    return frozenset(out)


@PerSource
def _source_stems(source: Source) -> frozenset[str]:
    """Every stem the source uses anywhere."""
    out: set[str] = set()
    for seg in source.segments:
        out |= _stems_of(seg.text)
    return frozenset(out)


def _slot(tok: Any) -> tuple[str, Any] | None:
    """(role, head) of a word: through a coordination to its first conjunct, through a
    preposition to what the preposition hangs on ("history of *asthma*": ``of:pobj``)."""
    t = tok
    while t.dep_ == "conj" and t.head.i != t.i:
        t = t.head
    role = _ROLE.get(t.dep_)
    head = t.head
    if role is None and t.pos_ in {"VERB", "ADJ"}:  # "pressure *decreased*"
        subj = _subject(t)
        return ("pred", subj) if subj is not None else None
    if role == "comp" and not _content(head) and _subject(head) is not None:
        return "pred", _subject(head)  # "the pain is *better*": what is said of the pain
    if role is None or head.i == t.i:
        return None
    if head.pos_ == "ADP" or head.dep_ == "prep":
        role = f"{head.lower_}:{role}"
        if head.head.i == head.i:
            return None
        head = head.head
    return role, head


def _subject(tok: Any) -> Any:
    return next((c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}), None)


def _fillers(head: Any) -> Iterator[tuple[str, Any]]:
    """(role, word) for every word in a slot of ``head`` (conjuncts included)."""
    for child in head.children:
        kids = [child]
        if child.dep_ == "prep":
            kids = list(child.children)
        for k in kids:
            slot = _slot(k)
            if slot is None or slot[1].i != head.i:
                continue
            yield slot[0], k
            yield from ((slot[0], c) for c in k.conjuncts if c.i > k.i)


def _anchors(tok: Any, head: Any, present: frozenset[str]) -> list[tuple[str, str]]:
    """How to find the slot in the source: (``head``, stem of the head) when the head is
    a content word the source uses; else (``sib:<role>``, stem) for each sibling in a
    slot of the same head the source uses (the subject of "is" in "the pain is better")."""
    if head.dep_ in {"nsubj", "nsubjpass"}:  # the predicate: anchored on its subject
        ok = _anchor_word(head) and norm(head.lower_) in present
        return [("head", norm(head.lower_))] if ok else []
    if _anchor_word(head) and norm(head.lower_) in present:
        return [("head", norm(head.lower_))]
    out: list[tuple[str, str]] = []
    mine = {t.i for t in tok.subtree}
    for role, sib in _fillers(head):
        if sib.i in mine or not _content(sib):
            continue
        s = norm(sib.lower_)
        if s in present:
            out.append((f"sib:{role}", s))
    return out


def _rivals_in(doc: Any, anchor: tuple[str, str], role: str) -> Iterator[tuple[Any, Any]]:
    """(anchor token, word) for each content word of ``doc`` in ``role`` of a word
    matching ``anchor``."""
    kind, stem = anchor
    for tok in doc:
        if norm(tok.lower_) != stem:
            continue
        if role == "pred":
            rival = _predicate_of(tok)
            if rival is not None:
                yield tok, rival
            continue
        if kind == "head":
            head = tok
        else:
            slot = _slot(tok)
            if slot is None or f"sib:{slot[0]}" != kind:
                continue
            head = slot[1]
        for r, filler in _fillers(head):
            if r == role and filler.i != tok.i and _content(filler):
                yield tok, filler


def _rival(
    tok: Any, rival: Any, anchor: Any, mine: frozenset[str], content: frozenset[str]
) -> bool:
    """Whether a source word in the slot is a different word for the same role: of the
    same part of speech, not a word of the statement nor a derivation of the statement's
    word (a shared prefix of five letters: "immunosuppressant" / "immunosuppressive"),
    not in a question, in a sentence that shares another content word with the statement (beside the
    anchor), so that the two sentences say something of the same thing."""
    if _coarse(rival) != _coarse(tok) or norm(rival.lower_) in mine:
        return False
    if rival.sent.text.rstrip().endswith("?"):
        return False  # a question offers a word, it does not say it ("any history of X?")
    if _common_prefix(rival.lower_, tok.lower_) >= _PREFIX:
        return False
    others = content - {norm(anchor.lower_), norm(tok.lower_)}
    if not others:
        return True
    sent = {norm(w.lower_) for w in rival.sent if _content(w)}
    return bool(sent & others)


def _coarse(tok: Any) -> str:
    """The part of speech, a participle read as the adjective it acts as ("elevated")."""
    return "ADJ" if tok.tag_ == "VBN" else tok.pos_


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _predicate_of(subj: Any) -> Any:
    """What a source sentence predicates of its subject: the verb or adjective it is the
    subject of, or that verb's complement when the verb is light ("pressure *is*
    elevated"); None for an object or a light verb with no complement."""
    if subj.dep_ not in {"nsubj", "nsubjpass"}:
        return None
    head = subj.head
    if _content(head) and head.pos_ in {"VERB", "ADJ"}:
        return head
    return next((c for c in head.children if c.dep_ in _COMPS and _content(c)), None)


def rivals(statement: str, candidates: Sequence[Segment], source: Source) -> list[Rival]:
    """The statement's carried words that the source lacks, each with the different word
    a candidate segment puts in its slot (none when no candidate has a rival).

    Args:
        statement: The statement's text.
        candidates: Its candidate segments (most relevant first).
        source: The source (its words, for what is absent).

    Returns:
        One :class:`Rival` per substituted word, in statement order.
    """
    statement = _field_reading(statement)  # "Musculoskeletal: ..." without its heading
    present = _source_stems(source)
    if not candidates or not _absent_words(statement, present):
        return []  # the cheap tests first: most statements are not parsed
    shared = _plain_stems(statement) & present
    sents = [
        (seg.id, t)
        for seg in candidates
        for t in _sentences(seg.text)
        if not t.rstrip().endswith("?") and len(_plain_stems(t) & shared) >= min(2, len(shared))
    ]
    if not sents or not shared:
        return []  # no source sentence says anything of the same things
    parsed = _parse([statement, *(t for _, t in sents)])  # one batch
    doc = parsed[statement]
    content = frozenset(norm(t.lower_) for t in doc if _content(t))
    mine = content | _stems_of(statement)
    wanted: list[tuple[Any, str, Any, list[tuple[str, str]]]] = []
    for tok in doc:
        if not _carried(tok) or norm(tok.lower_) in present:
            continue
        slot = _slot(tok)
        if slot is None or (slot[0].split(":")[-1], _coarse(tok)) not in _KEPT:
            continue
        anchors = _anchors(tok, slot[1], present)
        if anchors:
            wanted.append((tok, slot[0], slot[1], anchors))
    if not wanted:
        return []
    stems = {stem for *_, anchors in wanted for _, stem in anchors}
    sents = [(i, t) for i, t in sents if _has(t, stems)]
    docs = parsed
    out: list[Rival] = []
    for tok, role, _head, anchors in wanted:
        hit = next(
            (
                Rival(tok.text, r.text, a.text, seg_id, role, tok.pos_)
                for anchor in anchors
                for seg_id, text in sents
                for a, r in _rivals_in(docs[text], anchor, role)
                if _rival(tok, r, a, mine, content)
            ),
            None,
        )
        if hit is not None:
            out.append(hit)
    return out


def _absent_words(statement: str, present: frozenset[str]) -> bool:
    """Whether the statement has a word that could be carried and that the source lacks
    (read without a parse)."""
    stop = _stop()
    return any(
        w.isalpha()
        and len(w) > 2
        and w not in stop
        and w not in _SIDES
        and not is_cue(w)
        and (n := norm(w)) not in stop
        and n not in present
        for w in words(statement)
    )


@lru_cache(maxsize=50000)
def _plain_stems(text: str) -> frozenset[str]:
    """Stems of a text's words but the plain stop words ("history" and "pain" count)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(
        norm(w) for w in words(text) if w.isalpha() and len(w) > 2 and w not in STOP_WORDS
    )


def _has(text: str, stems: set[str]) -> bool:
    return any(norm(w) in stems for w in words(text))


def _carried(tok: Any) -> bool:
    """A content word the claim rests on: not a name (the name and drug checkers read
    those), not a negation or denial word (the polarity checkers read those), not a side
    (the side checkers read those)."""
    low = tok.lower_
    return _content(tok) and tok.pos_ != "PROPN" and not is_cue(low) and low not in _SIDES


def check_substitution(
    statement: str, candidates: Sequence[Segment], source: Source
) -> CheckResult | None:
    """Whether a word the statement rests on was swapped for another in its source slot.

    Args:
        statement: The statement's text.
        candidates: Segments retrieved for it (most relevant first).
        source: The source.

    Returns:
        A ``substitution`` result (``missing``, see :data:`OUTCOME`) naming both words,
        or None when every carried word is found or none has a rival.
    """
    found = rivals(statement, candidates, source)
    if not found:
        return None
    r = found[0]
    reason = f"{source_label(source)} says {r.rival} ({r.segment}), note says {r.word}"
    return CheckResult("substitution", OUTCOME, reason, (r.segment,))
