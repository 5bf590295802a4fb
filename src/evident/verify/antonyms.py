"""The antonym checker: the statement says of a thing the opposite of what the source
says of it ("transcript says decreased, note says increased").

Which words are opposites comes from WordNet (``resources/antonyms.json``, see
:mod:`evident.verify.antonym_table`), never from the benchmark's generator. Both sides'
words are reduced to WordNet lemmas by its own detachment rules (and spaCy's lemma). The
structure decides whether the two words speak of the same thing: each word's *anchors*
are the content words it is said of in its parse (the noun an adjective modifies, the
subject of a predicate, a verb's subject and object, the head an adverb modifies, what a
noun's preposition names), and a pair conflicts only where their anchors share a stem.
A negated word ("not worse"), a word in a condition ("if it gets worse"), a question, or
a source sentence that also says the statement's word of the same thing decides
nothing: the source may say it both ways.

Cheap tests come first: a statement is parsed only when one of its words has an
antonym in the table and a candidate sentence (not a question, not saying the word
itself) carries that antonym within four words of a word that stands within four words
of the statement's word; parses are cached per text (the substitution checker's cache).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from evident.types import Segment, Source
from evident.verify._antonym_parse import _anchors, _circumstances, _conditional, _negated
from evident.verify._antonym_refs import (
    Referents,
    Turns,
    bare,
    statement_near,
    statement_referent,
)
from evident.verify._polarity_cues import cues, is_cue, norm, words
from evident.verify._polarity_statement import _field_reading
from evident.verify._polarity_views import _sentences, _stop
from evident.verify._sources import source_label
from evident.verify._words import mapping, sequences
from evident.verify.advice import imperative, is_advice, load_advice_cues
from evident.verify.antonym_table import load_antonyms
from evident.verify.decide import CheckResult
from evident.verify.side_words import _SIDES, _asks
from evident.verify.substitution import _parse

__all__ = ["Opposed", "check_antonym", "clear_caches", "lemmas", "opposed", "opposites"]

_MIN_LEN = 3
_WINDOW = 4  # words between a word and what it is said of, read before parsing
_SUBJECT = "We will "  # what a note's order leaves out ("Discontinue aspirin.")


@dataclass(frozen=True)
class Opposed:
    """A statement word and the source's opposite word, said of the same thing.

    Attributes:
        word: The statement's word (as written).
        opposite: The source's word (as written).
        anchor: The stem both are said of.
        segment: The source segment id.
    """

    word: str
    opposite: str
    anchor: str
    segment: str


_ANY = "*"  # every part of speech: the cheap test before a parse
_CHANGES = mapping("comparative_changes")  # "worse" is also "worsen"
_NONE: frozenset[str] = frozenset()


@cache
def _lexicon() -> dict[str, tuple[dict[str, frozenset[str]], tuple[tuple[str, str], ...]]]:
    """Per WordNet part of speech (and ``*`` for any): each word to its antonyms, and
    that part of speech's detachment rules."""
    from spacy.lang.en.stop_words import STOP_WORDS

    table = load_antonyms()
    out: dict[str, tuple[dict[str, frozenset[str]], tuple[tuple[str, str], ...]]] = {}
    every: dict[str, set[str]] = {}
    for pos, pairs in table.pairs.items():
        opp: dict[str, set[str]] = {}
        for item in pairs:
            a, b = item.split()
            opp.setdefault(a, set()).add(b)
            opp.setdefault(b, set()).add(a)
        # words other checkers read (sides, negation cues) and function words are not
        # ours; the light lemmas ("start", "stop", "mild") are
        skip = {w for w in opp if w in STOP_WORDS or w in _SIDES or is_cue(w) or len(w) < _MIN_LEN}
        kept = {w: frozenset(o - skip) for w, o in opp.items() if w not in skip and o - skip}
        out[pos] = kept, tuple(table.morphy.get(pos, ()))
    for part, a, b in sequences("added_opposites"):  # anatomical directions WordNet lacks
        kept = out[part][0]
        kept[a], kept[b] = kept.get(a, _NONE) | {b}, kept.get(b, _NONE) | {a}
    actions = mapping("drug_actions")  # what is done with a drug: its own checker's
    _add_senses(
        out,
        table.polar_senses(),
        skip_word=lambda w: w in STOP_WORDS or is_cue(w) or w in actions,
    )
    for kept, _ in out.values():
        for w, o in kept.items():
            every.setdefault(w, set()).update(o)
    rules = tuple(dict.fromkeys(r for rs in table.morphy.values() for r in rs))
    out[_ANY] = {w: frozenset(o) for w, o in every.items()}, rules
    return out


def _add_senses(
    out: dict[str, tuple[dict[str, frozenset[str]], tuple[tuple[str, str], ...]]],
    senses: tuple[tuple[frozenset[str], frozenset[str]], ...],
    skip_word: Any,
) -> None:
    """Opposed word senses (WordNet synsets joined by an antonym pointer, "better
    improve | decline worsen"): every word of one side is opposed to every word of the
    other, as the part of speech each word is in the table already (a verb where it is
    in none). Function words, negation cues and the drug-action checker's words
    ("stop", "continue": read there with their time) are left out."""
    for a_side, b_side in senses:
        for mine, theirs in ((a_side, b_side), (b_side, a_side)):
            for w in mine:
                if skip_word(w) or w in _SIDES or len(w) < _MIN_LEN:
                    continue
                kept_in = [pos for pos, (kept, _) in out.items() if w in kept] or ["v"]
                for pos in kept_in:
                    kept = out[pos][0]
                    kept[w] = kept.get(w, frozenset()) | frozenset(
                        t for t in theirs if not skip_word(t) and t not in _SIDES
                    )


def clear_caches() -> None:
    """Forget the sentence readings (the parses are :mod:`substitution`'s cache)."""
    opposites.cache_clear()
    _reading.cache_clear()


@cache
def _forms() -> dict[str, dict[str, frozenset[str]]]:
    """Per part of speech, every inflected form WordNet's detachment rules read as one of
    the table's lemmas (the rules run backwards once, so reading a word is one lookup)."""
    out: dict[str, dict[str, frozenset[str]]] = {}
    for pos, (opp, rules) in _lexicon().items():
        forms: dict[str, set[str]] = {}
        for lem in opp:
            forms.setdefault(lem, set()).add(lem)
            for end, base in rules:
                stem = lem[: len(lem) - len(base)] if base else lem
                if lem.endswith(base) and len(stem) >= _MIN_LEN - 1:
                    forms.setdefault(stem + end, set()).add(lem)
            if len(lem) > 1:  # a doubled consonant: "thinner" is "thin", "stopped" "stop"
                for end in ("ed", "er"):
                    forms.setdefault(lem + lem[-1] + end, set()).add(lem)
        out[pos] = {f: frozenset(ls) for f, ls in forms.items()}
    return out


def lemmas(word: str, pos: str = _ANY) -> frozenset[str]:
    """The table's lemmas a word form may be as a ``pos`` (``a``, ``r``, ``v``, ``n``;
    any by default): itself, or by WordNet's detachment rules ("increased" is
    "increased" and "increase")."""
    found = _forms()[pos].get(word.lower(), _NONE)
    change = _CHANGES.get(word.lower()) if pos == _ANY else None
    if change is not None and change in _lexicon()[_ANY][0]:
        return found | {change}  # the cheap test reads "worse" as "worsen" too
    return found


@lru_cache(maxsize=50000)
def opposites(word: str, pos: str = _ANY) -> frozenset[str]:
    """The antonyms (lemmas) of whatever lemma a word form may be as a ``pos``."""
    opp = _lexicon()[pos][0]
    return frozenset(o for lem in lemmas(word, pos) for o in opp[lem])


def _wordnet_pos(tok: Any) -> tuple[str, ...]:
    """The WordNet parts of speech a parsed word may be (a participle may be the
    adjective: "increased", "worsening")."""
    if tok.pos_ == "ADJ":
        return ("a",)
    if tok.pos_ == "ADV":
        return ("r", "a")  # "better", "worse" are tagged adverbs after a verb
    if tok.pos_ == "PROPN":
        return ("n", "a")  # a capitalised adjective opening a line ("Acute pain.")
    if tok.pos_ == "NOUN":
        return ("n",)
    if tok.pos_ == "VERB":
        return ("v", "a") if tok.tag_ in {"VBN", "VBG"} else ("v",)
    return ()


def _senses(tok: Any) -> frozenset[tuple[str, str]]:
    """(part of speech, lemma) the parsed word may be; a comparative is also the change
    it says ("gotten *worse*" as "worsen", "*more* bruises" as "increase")."""
    out = {
        (pos, lem)
        for pos in _wordnet_pos(tok)
        for form in {tok.lower_, tok.lemma_.lower()}
        for lem in lemmas(form, pos)
    }
    change = _CHANGES.get(tok.lower_)
    if change is not None and change in _lexicon()["v"][0]:
        out.add(("v", change))
    return frozenset(out)


def _opposite_senses(tok: Any) -> frozenset[tuple[str, str]]:
    opp = _lexicon()
    return frozenset((pos, o) for pos, lem in _senses(tok) for o in opp[pos][0][lem])


def _lemmas_of(tok: Any) -> frozenset[str]:
    return lemmas(tok.lower_) | lemmas(tok.lemma_.lower())


def _near(ws: Sequence[str], i: int) -> frozenset[str]:
    """Stems of the content words within a few words of position ``i``."""
    stop = _stop()
    lo, hi = max(0, i - _WINDOW), i + _WINDOW + 1
    return frozenset(
        norm(w) for j, w in enumerate(ws[lo:hi], lo) if j != i and w.isalpha() and w not in stop
    )


@lru_cache(maxsize=50000)
def _reading(
    sentence: str, confirmed: bool = False
) -> tuple[tuple[str, ...], tuple[frozenset[str], ...], frozenset[str]]:
    """A sentence's words, the table's lemmas of each and all of them together (empty for
    a question: it offers a word, it does not say it, unless the reply confirms it: "You
    have chronic pain?" - "Yes, I do."); no parse, read once per sentence."""
    if not confirmed and _asks(sentence):  # a statement closed by a tag ("..., okay?") is read
        return (), (), frozenset()
    ws = tuple(words(sentence))
    lems = tuple(lemmas(w) for w in ws)
    return ws, lems, frozenset(x for lem in lems for x in lem)


def _gate(
    statement: str, candidates: Sequence[Segment], source: Source | None
) -> list[tuple[str, str, Referents]]:
    """(segment id, sentence, its referents) of the candidates and the turns that reply
    to them: their statements (not questions, but for a turn's closing question answered
    yes) where an antonym of a statement word stands near a word that stands near the
    statement word (or near a pronoun said of one), and the statement word itself is
    absent; no parse. The source's turns are read only for a statement with a word that
    has an opposite."""
    ws = words(statement)
    wanted = [
        (lemmas(w), opposites(w), _near(ws, i) | statement_near(_window(ws, i)))
        for i, w in enumerate(ws)
        if opposites(w)
    ]
    if not wanted:
        return []
    every = frozenset(o for _, opp, _ in wanted for o in opp)
    turns = Turns(source)
    out: list[tuple[str, str, Referents]] = []
    for seg in turns.with_replies(candidates):
        sents = _sentences(seg.text)
        for n, sent in enumerate(sents):
            sw, lems, said = _reading(sent)
            if not sw and n == len(sents) - 1 and turns.confirmed(seg):
                sw, lems, said = _reading(sent, confirmed=True)
            if not said & every:
                continue  # most sentences: no antonym of any statement word
            refs = turns.referents(seg, n)
            if any(
                not own & said and near & (_near(sw, k) | refs.near(_window(sw, k)))
                for own, opp, near in wanted
                for k, lem in enumerate(lems)
                if lem & opp
            ):
                out.append((seg.id, sent, refs))
    return out


def _window(ws: Sequence[str], i: int) -> Sequence[str]:
    return ws[max(0, i - _WINDOW) : i + _WINDOW + 1]


def _said(lems: frozenset[str], anchors: frozenset[str], candidates: Sequence[Segment]) -> bool:
    """Whether a candidate sentence (not a question) says one of the statement word's
    lemmas beside one of its anchors: the source says it too (of another part, at
    another time), so the opposite word decides nothing. No parse."""
    for seg in candidates:
        for sent in _sentences(seg.text):
            ws, _, said = _reading(sent)
            if said & lems and any(norm(w) in anchors for w in ws):
                return True
    return False


def _order_reading(text: str, doc: Any) -> Any:
    """A note's order ("Discontinue aspirin 81 mg daily.") parsed with the subject it
    leaves out: the small parser reads a capitalised verb opening a verbless line as a
    name or an adjective. Only a first word the table knows as a verb and not as an
    adjective is read so, and the reading with "We will" is kept only where it makes
    that word a verb with a noun object, so a line of findings ("Weak pulses.", "Decrease
    in pain.") keeps its own parse."""
    first = doc[0] if len(doc) else None
    if first is None or not first.is_alpha or any(t.pos_ in {"VERB", "AUX"} for t in doc):
        return doc
    if not lemmas(first.lower_, "v") or lemmas(first.lower_, "a"):
        return doc  # only a word WordNet knows as a verb and not as an adjective ("Weak")
    alt = _SUBJECT + first.lower_ + text[first.idx + len(first.text) :]
    verb = _parse([alt])[alt][len(_SUBJECT.split())]
    if verb.tag_ == "VB" and any(
        c.dep_ == "dobj" and c.pos_ in {"NOUN", "PROPN"} for c in verb.children
    ):
        return verb.doc
    return doc


def _plan(doc: Any, parse: Any) -> bool:
    """A statement of what is to be done: an order ("Increase lisinopril", read with a
    subject by :func:`_order_reading`), an imperative, or a modal or future ("she will
    increase", "should stand up slowly") or a recommendation ("I recommend that she
    report to therapy"), which an instruction in the source speaks to."""
    future = cues().future | load_advice_cues().instructing_words
    return (
        doc is not parse
        or imperative(doc)
        or any(t.tag_ == "MD" or t.lower_ in future for t in doc)
    )


def opposed(
    statement: str, candidates: Sequence[Segment], source: Source | None = None
) -> list[Opposed]:
    """The statement's words whose antonym a candidate sentence says of the same thing.

    Args:
        statement: The statement's text.
        candidates: Its candidate segments (most relevant first).
        source: Their source: the turns before a candidate tell what its pronouns are
            said of (none: pronouns are said of nothing).

    Returns:
        One :class:`Opposed` per conflicting word, in statement order (none when the
        source also says the statement's word of the same thing).
    """
    statement = _field_reading(statement)
    sents = _gate(statement, candidates, source)
    if not sents:
        return []
    parsed = _parse([statement, *(t for _, t, _ in sents)])
    doc = _order_reading(statement, parsed[statement])
    st_lemmas = frozenset(lem for t in doc for lem in _lemmas_of(t))
    # "stand up slowly" instructs; it says nothing of how she stood up when dizzy
    told = not _plan(doc, parsed[statement]) and not is_advice(statement)
    out: list[Opposed] = []
    for tok in doc:
        opp = frozenset((p, o) for p, o in _opposite_senses(tok) if o not in st_lemmas)
        if not opp or _negated(tok) or _conditional(tok):
            continue
        anchors = _anchors(tok, statement_referent) - {norm(tok.lower_)}
        if not anchors:
            continue
        plain = _anchors(tok)
        own = _lemmas_of(tok)
        mine = _circumstances(tok) - anchors  # "continue you *on the aspirin*": what it
        # is said of, no circumstance
        hits: list[Opposed] = []
        for seg_id, text, refs in sents:
            if any(_lemmas_of(r) & own for r in parsed[text]):
                continue  # the sentence says it both ways ("worse, then better")
            for r in parsed[text]:
                if not _senses(r) & opp or _negated(r) or _conditional(r):
                    continue
                if told and imperative(r.sent):
                    continue
                shared = _anchors(r, refs.of) & anchors
                if not shared & plain & _anchors(r) and not (bare(tok) and bare(r)):
                    continue  # through a pronoun: "able to walk" is not "unable to lift"
                theirs = _circumstances(r) - _anchors(r)
                if mine and theirs and not mine & theirs:
                    continue  # "worse with walking" against "better when I rest"
                if shared:
                    hits.append(Opposed(tok.text, r.text, sorted(shared)[0], seg_id))
        if hits and not _said(own, anchors, candidates):
            out.append(hits[0])
    return out


def check_antonym(
    statement: str, candidates: Sequence[Segment], source: Source
) -> CheckResult | None:
    """Whether the statement says of a thing the opposite of what the source says of it.

    Args:
        statement: The statement's text.
        candidates: Segments retrieved for it (most relevant first).
        source: The source they belong to.

    Returns:
        An ``antonym`` conflict naming both words, or None.
    """
    found = opposed(statement, candidates, source)
    if not found:
        return None
    o = found[0]
    reason = f"{source_label(source)} says {o.opposite} ({o.segment}), note says {o.word}"
    return CheckResult("antonym", "conflict", reason, (o.segment,))
