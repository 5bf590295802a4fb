"""Negation parity on aligned wording (for ``polarity.py``).

The claim reader pairs a statement with a source sentence through the heads of their
predicates, so a word that heads no predicate on one side goes unread: "with residual
pigmentation" against "with no residual pigmentation", "in apparent distress" against
"no apparent distress", "it seems to help" against "it doesn't seem to help". This
reading needs no heads: where a statement and one source sentence say nearly the same
content words, each shared word's polarity (how many negations hold it, from the same
dependency scopes as the claims) must agree. A word whose polarity the parse cannot
settle (under a hedge or a condition, behind "stop" or "avoid", said both ways) is not
compared, and a conflict stands only when no other such sentence says the word as the
statement does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from evident.verify._polarity_cues import cues, token_stem
from evident.verify._polarity_degree import degree_at, only_with
from evident.verify._polarity_hedges import _hedged
from evident.verify._polarity_read import _negations, clause_root
from evident.verify._polarity_scope import (
    _SUBJECT_DEPS,
    _behind_barrier,
    _bound,
    _content,
    _cue_root,
    _pseudo,
    _subordinate,
    tested,
)

__all__ = ["WordPolarity", "could_align", "parity_conflict", "read_word_polarities"]

# A statement and a source sentence say nearly the same thing when they share at least
# this many content words, and this share of each side's content words.
MIN_SHARED = 2
MIN_SHARE = 0.67
# A verbless source sentence of at most this many content words, all said in one run of
# the statement's words, is a fragment the statement says ("No apparent distress.").
MAX_FRAGMENT = 4
MAX_TOKENS = 60


@dataclass(frozen=True)
class WordPolarity:
    """One content word of a parsed sentence: its stem, the negations that hold it
    (``counted``: each counts; ``concord``: spoken concord negators, one in speech), and
    whether the parse settles its polarity (not hedged, conditional or behind a barrier
    head); ``said``: its sentence has a verb and asks nothing ("any ...", "ever"): in
    dialogue a bare phrase may echo a question, so only such a sentence affirms."""

    stem: str
    word: str
    counted: int
    concord: int
    settled: bool
    said: bool = True

    def negated(self, *, spoken: bool) -> bool:
        """Whether an odd number of negations hold it: in writing every negation counts;
        in speech concord negators deny once ("I don't have no pain")."""
        return (self.counted + (min(self.concord, 1) if spoken else self.concord)) % 2 == 1


def _unsettled(t: Any, cue_of: dict[int, frozenset[int]]) -> bool:
    chain = [t, *t.ancestors]
    clause = clause_root(t)
    mine = cue_of.get(t.i, frozenset())
    return (
        _hedged(t)
        or _subordinate(clause)
        or any(_behind_barrier(x) or (only_with(x) and x.i in cue_of) for x in chain)
        # "can't exercise without pain", "not sleeping well": a degree its negation holds
        or (bool(mine) and any(cue_of.get(i, frozenset()) & mine for i in degree_at(t.sent)))
    )


def _held_as_subject(doc: Any, i: int, cue: int) -> bool:
    """Whether token ``i`` is in the subject of the clause a negation cue denies, the cue
    outside it: "the count is *not* elevated" says nothing against the count."""
    root = _cue_root(doc[cue])
    if root is None:
        return False
    for ch in root.children:
        lo, hi = ch.left_edge.i, ch.right_edge.i
        if ch.dep_ in _SUBJECT_DEPS and lo <= i <= hi and not lo <= cue <= hi:
            return True
    return False


def _negated_pseudo(t: Any) -> bool:
    """A pseudo head right after a negator ("not *sure*", "don't *know*"): the claim
    reader reads no denial of anything in it, but word for word the head is negated, and
    "he is sure" says the opposite."""
    if t.i == 0 or not _pseudo(t) or _bound(t):
        return False  # "no more than twice a day" sets a limit
    prev = t.doc[t.i - 1]
    return prev.lower_ in cues().negators or prev.dep_ == "neg"


def read_word_polarities(sent: Any) -> tuple[WordPolarity, ...]:
    """Each content word of one parsed sentence with the negations that hold it (none
    for a sentence longer than ``MAX_TOKENS``: an unpunctuated run of dictation parses
    poorly, aligns with no statement, and would cost a walk up the parse per word)."""
    if len(sent) > MAX_TOKENS:
        return ()
    _, _, _, cue_of = _negations(sent)
    doc = sent.doc
    results = _test_results(doc, cue_of, tested(sent))
    concord_words = cues().concord_negators
    said = any(t.pos_ in {"VERB", "AUX"} for t in sent) and not any(
        t.lower_ in cues().npi for t in sent
    )
    out = []
    for t in sent:
        if not _content(t):
            continue
        by = [
            c for c in cue_of.get(t.i, ()) if c not in results and not _held_as_subject(doc, t.i, c)
        ]
        if not by and _negated_pseudo(t):
            by = [t.i - 1]
        concord = sum(1 for c in by if doc[c].lower_ in concord_words or doc[c].dep_ == "neg")
        settled = not _unsettled(t, cue_of)
        out.append(WordPolarity(token_stem(t), t.lower_, len(by) - concord, concord, settled, said))
    return tuple(out)


def _test_results(doc: Any, cue_of: Mapping[int, AbstractSet[int]], said_of: set[int]) -> set[int]:
    """The result words ("negative") said of a test or sign: they say what it found, so
    they negate none of its words ("review of systems negative" is no denial that the
    systems were reviewed)."""
    absence = cues().absence_words
    return {c for i in said_of for c in cue_of.get(i, ()) if doc[c].lower_ in absence}


def _reading(words: Iterable[WordPolarity], *, written: bool) -> dict[str, bool | None]:
    """Stem -> negated (None: unsettled or said both ways)."""
    out: dict[str, bool | None] = {}
    for w in words:
        neg: bool | None = None
        if w.settled:
            neg = w.negated(spoken=not written)
            if not (neg or written or w.said):
                neg = None
        if w.stem not in out:
            out[w.stem] = neg
        elif out[w.stem] != neg:
            out[w.stem] = None
    return out


def _aligned(mine: Sequence[str], theirs: Mapping[str, bool | None], *, verbless: bool) -> set[str]:
    """The content words a statement (its stems in order) shares with a sentence that
    says nearly the same thing, or that is a verbless fragment the statement says in one
    run of its words ("No apparent distress." in "elderly male in apparent distress");
    empty when neither."""
    words, said = set(mine), frozenset(theirs)
    shared = words & said
    if _nearly_same(len(shared), len(words), len(said)):
        return shared
    fragment = verbless and _fragment_of(words, said) and _in_one_run(mine, shared)
    return shared if fragment else set()


def could_align(mine: AbstractSet[str], theirs: AbstractSet[str]) -> bool:
    """Whether a source sentence's content stems could align with a statement's (before
    either is parsed): nearly the same words, or a fragment the statement may say."""
    return _nearly_same(len(mine & theirs), len(mine), len(theirs)) or _fragment_of(mine, theirs)


def _nearly_same(shared: int, mine: int, theirs: int) -> bool:
    """At least ``MIN_SHARED`` words shared, and ``MIN_SHARE`` of each side's."""
    return shared >= MIN_SHARED and shared >= MIN_SHARE * mine and shared >= MIN_SHARE * theirs


def _fragment_of(mine: AbstractSet[str], theirs: AbstractSet[str]) -> bool:
    """Whether a source sentence's content words could be a fragment a statement says
    (all of them among its words, at least two, at most ``MAX_FRAGMENT``)."""
    return MIN_SHARED <= len(theirs) <= MAX_FRAGMENT and theirs <= mine


def _in_one_run(mine: Sequence[str], shared: set[str]) -> bool:
    """Whether the shared words follow one another among the statement's content words
    (one other word between them at most)."""
    first: dict[str, int] = {}
    for i, stem in enumerate(mine):
        if stem in shared:
            first.setdefault(stem, i)
    return max(first.values()) - min(first.values()) + 1 <= len(shared) + 1


def parity_conflict(
    statement: Sequence[WordPolarity],
    sentences: Sequence[tuple[Any, Sequence[WordPolarity]]],
) -> tuple[Any, frozenset[str], bool] | None:
    """The first source sentence that says nearly what the statement says with a shared
    word negated the other way, and no other such sentence saying it the statement's way.

    Args:
        statement: The statement's words (read as written).
        sentences: (key, words) of source sentences said plainly (read as spoken).

    Returns:
        (key, the stems said the other way, negated in the source) or None.
    """
    mine = _reading(statement, written=True)
    order = [w.stem for w in statement]
    settled = {s for s, n in mine.items() if n is not None}
    near = []
    for key, words in sentences:
        theirs = _reading(words, written=False)
        shared = _aligned(order, theirs, verbless=not any(w.said for w in words))
        if shared:
            near.append((key, theirs, shared & settled))
    for key, theirs, shared in near:
        against = [
            stem
            for stem in sorted(shared)
            if theirs[stem] is not None
            and theirs[stem] != mine[stem]
            and not any(o.get(stem) == mine[stem] for k, o, _ in near if k is not key)
        ]
        if against:  # every such word said the same way as the first
            return (
                key,
                frozenset(s for s in against if theirs[s] == theirs[against[0]]),
                bool(theirs[against[0]]),
            )
    return None
