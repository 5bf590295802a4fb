"""Conditions keep their polarity: "if her pain does not improve, we will obtain an MRI"
is not "if her pain improves, we will obtain an MRI".

Advice and plans are not claims that their condition exists (``decide`` drops the
polarity conflicts of a condition), so a flipped condition, or a flipped plan under a
condition, would pass on its wording alone. :func:`check_condition` reads the
conditional sentences of the statement and of the source from the dependency parse: a
clause hung on its main verb (``advcl``) and opened by "if" or "unless" (of
``advice.json``'s ``conditional_marks``, those that state a condition rather than a time;
"unless" is "if not"). Each becomes a
:class:`Conditional`: the condition's predicate (its head, or what a light verb such as
"be", "get" or "see" governs: "no *improvement*", "gets *better*"), whether an odd number
of negations hold it, the main clause's content words and whether its verbs are negated.

A source conditional *matches* the statement's when their main clauses share a content
word and their predicates are related: a shared stem (five letters: "improve" ~
"improvement"), or WordNet's same or opposite senses (the antonym table's ``senses`` and
pairs: "better" is "improve", "worse" its opposite, which turns the polarity round).
The statement's condition conflicts when every matching source conditional has the other
polarity; with the same condition, its plan conflicts when every such one negates the
plan the other way. Nothing matching, nothing is said. No clinical word list takes part:
the negators and light verbs are ``polarity.json``'s closed-class words, the senses
WordNet's.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from evident.types import Segment, Source
from evident.verify._polarity_cues import canonical, cues, norm
from evident.verify._polarity_parity import MAX_TOKENS
from evident.verify._polarity_statement import _field_reading
from evident.verify._polarity_views import _sentences
from evident.verify._sources import PerSource, source_label
from evident.verify.advice import load_advice_cues
from evident.verify.decide import CheckResult

__all__ = ["Conditional", "check_condition", "clear_caches", "conditionals_of"]

_INVERTING = frozenset({"unless"})  # "unless X" is "if not X"
_CONDITIONAL = frozenset({"if", "unless"})  # closed-class subordinators of a condition
_PREFIX = 5
_PREDICATE_DEPS = frozenset({"acomp", "attr", "dobj", "oprd", "xcomp"})
_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
_NEGATING_DEPS = frozenset({"neg", "det", "advmod", "preconj"})
_SNIPPET = 60
# the window read around a conditional mark in a long run: a main clause before it
# ("we'll get an MRI if ..."), the condition and a main clause after it
_BEFORE, _AFTER = 12, 24
_OPENERS = frozenset({"INTJ", "ADV", "CCONJ", "PUNCT", "PART"})
_OPENER_DEPS = frozenset({"mark", "advmod", "aux"})  # how a mark hangs on its clause
_WORD = re.compile(r"[a-z']+")
_CACHE: OrderedDict[str, tuple[Conditional, ...]] = OrderedDict()
_CACHE_SIZE = 20000


@dataclass(frozen=True)
class Conditional:
    """One conditional clause and the clause it conditions.

    Attributes:
        predicate: Stem of the condition's predicate ("improv", "better").
        negated: Whether the condition is negated (an odd number of negations, "unless"
            counting as one).
        main: Stems of the main clause's content words.
        main_negated: Whether the main clause's verbs are negated.
        condition: The condition as written (for reasons).
        plan: The main clause as written, without its condition (for reasons).
        word: The predicate as written, lowercased (which source sentences to parse).
    """

    predicate: str
    negated: bool
    main: frozenset[str]
    main_negated: bool
    condition: str
    plan: str
    word: str


@cache
def _marks() -> frozenset[str]:
    """The conditional marks of ``advice.json`` that state a condition rather than a
    time: "if", "unless" ("when I walk", "until it heals" mostly say when)."""
    return frozenset(load_advice_cues().conditional_marks) & _CONDITIONAL


def _may_hold(text: str) -> bool:
    """The cheap surface test: only texts with a conditional mark are parsed."""
    return bool(_marks() & set(_WORD.findall(text.lower())))


@cache
def _negators() -> frozenset[str]:
    """The negators that negate a predicate ("without" and "non" negate a noun)."""
    return cues().negators - {"without", "non"}


def _negations(tokens: Iterable[Any], heads: set[int]) -> int:
    """How many negators hang directly on one of ``heads`` (token indexes)."""
    negators = _negators()
    return sum(
        1 for t in tokens if t.lower_ in negators and t.dep_ in _NEGATING_DEPS and t.head.i in heads
    )


def _predicate(clause: Any) -> Any:
    """The condition's predicate: its head, or what a light verb governs."""
    if clause.lemma_.lower() not in cues().light_lemmas:
        return clause
    governed = [c for c in clause.children if c.dep_ in _PREDICATE_DEPS]
    return governed[0] if governed else clause


def _content(tokens: Iterable[Any]) -> frozenset[str]:
    light = cues().light_lemmas
    return frozenset(
        norm(t.lemma_.lower())
        for t in tokens
        if t.pos_ in _CONTENT_POS and t.lemma_.lower() not in light and len(t.lemma_) > 2
    )


def _chain(verb: Any, skip: int) -> set[int]:
    """The main verb and the verbs conjoined to it (not the condition's)."""
    out = {verb.i}
    for c in verb.children:
        if c.dep_ == "conj" and c.i != skip:
            out |= _chain(c, skip)
    return out


def _read(clause: Any, mark: str) -> Conditional:
    pred = _predicate(clause)
    negs = _negations(clause.subtree, {clause.i, pred.i})
    negated = (negs + (mark in _INVERTING)) % 2 == 1
    inside = {t.i for t in clause.subtree}
    main = clause.head
    rest = [t for t in main.subtree if t.i not in inside]
    main_negs = _negations(rest, _chain(main, clause.i))
    words = " ".join(t.text for t in clause.subtree)
    plan = " ".join(t.text for t in _trimmed(rest) if not t.is_punct)
    return Conditional(
        predicate=norm(pred.lemma_.lower()),
        negated=negated,
        main=_content(rest),
        main_negated=main_negs % 2 == 1,
        condition=words[:_SNIPPET],
        plan=plan[:_SNIPPET],
        word=pred.lower_,
    )


def _trimmed(tokens: list[Any]) -> list[Any]:
    """Without the discourse words that open it ("okay so then we'll ...")."""
    start = 0
    while start < len(tokens) and tokens[start].pos_ in _OPENERS:
        start += 1
    return tokens[start:]


def clear_caches() -> None:
    """Forget every reading (for measuring a cold start)."""
    _CACHE.clear()
    _prefixes.cache_clear()
    _pieces.cache_clear()
    _marked.cache_clear()


def conditionals_of(text: str) -> tuple[Conditional, ...]:
    """The conditional clauses of ``text`` read from its parse (empty without a mark)."""
    return _read_all((text,))[text]


def _read_all(texts: tuple[str, ...]) -> dict[str, tuple[Conditional, ...]]:
    """Each text's conditionals, from the parses the polarity checker makes and keeps
    (:func:`~evident.verify.polarity.docs_of`: one batch, shared); a text without a mark
    is not parsed, nor one too long to parse well (a run of dictation)."""
    from evident.verify.polarity import docs_of

    todo = [
        t
        for t in dict.fromkeys(texts)
        if t not in _CACHE and _may_hold(t) and len(t.split()) <= MAX_TOKENS
    ]
    for text, doc in docs_of(todo).items():
        _CACHE[text] = () if doc is None else _from_doc(doc)
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return {t: _CACHE.get(t, ()) for t in texts}


def _from_doc(doc: Any) -> tuple[Conditional, ...]:
    marks = _marks()
    out = []
    for t in doc:
        if t.dep_ != "advcl" or t.head is t:
            continue
        mark = next(
            (c.lower_ for c in t.children if c.dep_ in _OPENER_DEPS and c.lower_ in marks), None
        )
        if mark is not None:
            out.append(_read(t, mark))
    return tuple(out)


@lru_cache(maxsize=8192)
def _prefixes(text: str) -> frozenset[str]:
    """The five-letter prefixes of a text's words, as written and normalised."""
    out = set()
    for w in _WORD.findall(text.lower()):
        out.add(w[:_PREFIX])
        out.add(norm(w)[:_PREFIX])
    return frozenset(out)


@PerSource
def _marked(source: Source) -> tuple[tuple[str, str, frozenset[str]], ...]:
    """The source's sentences (or windows of a long run) that hold a conditional mark,
    with the segment they are in and the prefixes of their content words."""
    return tuple(
        (seg.id, piece, _content_prefixes(piece))
        for seg in source.segments
        for piece in _pieces(seg.text)
        if _may_hold(piece)
    )


def _content_prefixes(text: str) -> frozenset[str]:
    """The prefixes of a text's words, without the short and the closed-class ones."""
    light = cues().light_lemmas | _marks()
    return frozenset(p for p in _prefixes(text) if len(p) > 2 and p not in light)


@lru_cache(maxsize=4096)
def _pieces(text: str) -> tuple[str, ...]:
    """A segment's sentences; of a run too long to parse well (unpunctuated dictation),
    a window of words around each conditional mark instead."""
    out: list[str] = []
    marks = _marks()
    for sent in _sentences(text):
        ws = sent.split()
        if len(ws) <= MAX_TOKENS:
            out.append(sent)
            continue
        at = [i for i, w in enumerate(ws) if w.lower().strip(".,;:!?") in marks]
        out.extend(" ".join(ws[max(0, i - _BEFORE) : i + _AFTER]) for i in at)
    return tuple(out)


def _names(text: str, heads: tuple[str, ...]) -> bool:
    """Whether a word of ``text`` opens like one of the predicates (irregular forms such
    as "went" for "go" are missed: a cheap filter, not the match)."""
    return any(w.startswith(heads) for w in _WORD.findall(text.lower()))


def _same(a: str, b: str) -> bool:
    return a[:_PREFIX] == b[:_PREFIX]


@cache
def _polar() -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """WordNet's opposed senses and antonym pairs (the antonym table), as prefixes."""
    from evident.verify.antonym_table import load_antonyms

    return tuple(
        (frozenset(w[:_PREFIX] for w in a), frozenset(w[:_PREFIX] for w in b))
        for a, b in load_antonyms().polar_senses()
    )


def _keys(c: Conditional) -> frozenset[str]:
    """The predicate's prefixes, as read (its lemma) and as written ("better", whose
    lemma is "well")."""
    return frozenset({c.predicate[:_PREFIX], c.word[:_PREFIX]})


@lru_cache(maxsize=4096)
def _relation(a: frozenset[str], b: frozenset[str]) -> int:
    """1 when two predicates say the same (a prefix in common, or one side of an opposed
    sense: "improve" and "better"), -1 when they say the opposite (the two sides:
    "improve" and "worsen"), 0 when unrelated or both."""
    if a & b:
        return 1
    same = opposite = False
    for x, y in _polar():
        for p, q in ((x, y), (y, x)):
            if a & p:
                same = same or bool(b & p)
                opposite = opposite or bool(b & q)
    return 0 if same == opposite else (1 if same else -1)


def _related(keys: frozenset[str]) -> frozenset[str]:
    """The prefixes of every predicate that says the same as, or the opposite of, one
    of ``keys``."""
    return frozenset().union(*(x | y for x, y in _polar() if keys & (x | y)))


def _matches(st: Conditional, src: Conditional) -> int:
    """How the source conditional's predicate relates to the statement's (see
    :func:`_relation`) where their main clauses share a word; 0 when they do not match."""
    if not any(_same(a, b) for a in st.main for b in src.main):
        return 0
    return _relation(_keys(st), _keys(src))


def check_condition(
    statement: str, candidates: Sequence[Segment], source: Source
) -> CheckResult | None:
    """A conflict when the statement's condition, or its plan under the same condition,
    has the other polarity than every matching conditional of the source (see module);
    None otherwise (agreeing adds nothing to what the other checkers found).

    Args:
        statement: The statement's text.
        candidates: Segments retrieved for it (unused: the whole source is searched).
        source: The source.
    """
    if not _may_hold(statement):
        return None
    marked = _marked(source)
    if not any(p & _prefixes(statement) for _, _, p in marked):
        return None  # no conditional sentence of the source shares a word: not parsed
    mine = conditionals_of(canonical(_field_reading(statement)))
    if not mine:
        return None
    # a match shares a word of the plan and the predicate: only the sentences naming
    # both are parsed, in the words the polarity checker reads them (finding names for
    # their synonyms)
    plans = frozenset(k[:_PREFIX] for c in mine for k in c.main)
    keys = frozenset().union(*(_keys(c) for c in mine))
    heads = tuple(keys | _related(keys))
    texts = [
        (sid, canonical(piece))
        for sid, piece, prefixes in marked
        if plans & prefixes and _names(piece, heads)
    ]
    read = _read_all(tuple(t for _, t in texts))
    theirs = [(sid, c) for sid, t in texts for c in read[t]]
    for st in mine:
        # a condition said with the opposite predicate has the other polarity ("if it
        # gets worse" is "if it does not improve")
        found = [(i, c, r) for i, c in theirs if (r := _matches(st, c))]
        if not found:
            continue
        same = [(i, c) for i, c, r in found if (c.negated != (r < 0)) == st.negated]
        label = source_label(source)
        if not same:
            sid, c, _ = found[0]
            reason = f'{label} says "{c.condition}", note says "{st.condition}"'
            return CheckResult("condition", "conflict", reason, (sid,))
        if all(c.main_negated != st.main_negated for _, c in same):
            sid, c = same[0]
            reason = f'{label} says "{c.plan}" {c.condition}, note says "{st.plan}"'
            return CheckResult("condition", "conflict", reason, (sid,))
    return None
