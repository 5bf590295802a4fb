"""A ConText-style rule engine: negated, uncertain, historical and family context.

This is the algorithm of ConText (Harkema et al., 2009) as medspaCy implements it, on
our own tokens and with trigger terms as data (``resources/context.json``): a forward
trigger modifies concepts after it within ``window`` tokens, a backward trigger concepts
before it, a result trigger ("negative" ending a phrase: "HIV negative.") only the phrase
it follows; a terminator ("but", "however", ...) or a sentence boundary stops the scope, and a
clause terminator ("there is") stops every scope but a family one.
We run our own engine instead of medspaCy's because the whole verify stage has a budget
of 50 ms per encounter; see docs/verify.md for the measurement.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

from evident.verify._polarity_cues import cues
from evident.verify._polarity_degree import degree_answer
from evident.verify._resources import load_lexicons
from evident.verify.lexicon import context_index
from evident.verify.normalize import tokenize

__all__ = [
    "Context",
    "ContextEngine",
    "answer_polarity",
    "question_openers",
    "sentence_spans",
]

_BOUNDARY = {".", "?", "!", ";"}
# the words a result word's phrase may have besides the concept ("pregnancy *test*
# negative", "hepatitis *c antibody* negative")
_RESULT_REACH = 2


@dataclass(frozen=True)
class Context:
    """The context categories that apply to one concept mention."""

    negated: bool = False
    uncertain: bool = False
    historical: bool = False
    family: bool = False
    conditional: bool = False


# hesitation skipped when reading a question's first words and an answer's ("uh no, but
# ...", "well yes")
_FILLERS = frozenset(
    {",", ".", "!", "um", "uh", "uhm", "umm", "mm", "er", "erm", "ah", "hmm", "oh", "well"}
)
_AUXILIARY = frozenset({"are", "is", "do", "does", "did", "have", "has", "was", "were", "can"})


def _yes_no(words: list[str]) -> bool:
    """A wh-opening that still asks yes or no: "how about any fever?", "what about
    swelling?", "and when you walk , any pain?", "when i lift your leg , does that
    hurt?"."""
    if "about" in words[1:4] or "bout" in words[1:4] or "any" in words:
        return True
    if words[:1] and words[0] in _AUXILIARY and words[1:2] and words[1] in _OPENING_SUBJECTS:
        return True  # "do they get worse when you cough?": it opens inverted
    if _inverted_after(words, _JOINERS):
        return True  # "when was your last period, and could you be pregnant?"
    when = next((i for i, w in enumerate(words) if w in _CONDITIONAL), None)
    return when is not None and any(
        words[j] in _AUXILIARY and words[j + 1] in _SUBJECTS
        for j in range(when + 2, len(words) - 1)
    )


def opens_inverted(words: list[str]) -> bool:
    """Whether an unpunctuated utterance opens as a yes-no question, after discourse
    words ("hmm okay and *does anything* make the pain feel better"): an auxiliary
    before its subject."""
    ws = [w for w in words if w not in _FILLERS]
    k = 0
    while k < len(ws) and ws[k] in _DISCOURSE:
        k += 1
    return k + 1 < len(ws) and ws[k] in _AUXILIARY and ws[k + 1] in _OPENING_SUBJECTS | _INDEFINITE


_DISCOURSE = frozenset({"hmmm", "hmm", "okay", "ok", "and", "so", "alright", "now", "right"})
_INDEFINITE = frozenset({"anything", "anyone", "anybody", "something", "someone"})


def _inverted_after(ws: list[str], joiners: frozenset[str]) -> bool:
    """A later clause opened inverted after a joiner ("when was your last period, *and
    could you* be pregnant?", "how is the knee*, is it* swollen?"): it asks yes or no."""
    return any(
        w in joiners and ws[k + 1] in _INVERTING and ws[k + 2] in _OPENING_SUBJECTS
        for k, w in enumerate(ws[1:-2], start=1)
    )


_JOINERS = frozenset({"and", "or"})  # commas are not among a sentence's words here
_COMMA = frozenset({","})


_INVERTING = _AUXILIARY | frozenset({"could", "would", "should", "will", "may", "might"})


_CONDITIONAL = frozenset({"when", "while", "if"})
_SUBJECTS = frozenset({"that", "it", "this", "you", "there"})
# what may follow an auxiliary that opens a yes-no question ("do *they*", "is *your*")
_OPENING_SUBJECTS = _SUBJECTS | frozenset(
    {"they", "he", "she", "we", "i", "the", "your", "my", "his", "her", "their", "these"}
)


def _asks_later(words: list[str], openers: frozenset[tuple[str, ...]]) -> bool:
    if words[:1] and words[0] in _AUXILIARY:
        return True
    return any(tuple(words[i : i + 2]) in openers for i in range(len(words)))


def _opens_wh(
    words: list[str],
    openers: frozenset[tuple[str, ...]],
    wh: frozenset[tuple[str, ...]],
) -> bool:
    """The first question cue is a wh-word: "how long have you had it?", also after
    "thank you , and" (but not "do you know how long it lasted?")."""
    for i in range(len(words)):
        for n in (2, 1):
            cue = tuple(words[i : i + n])
            if cue == ("tell", "me") and _asks_later(words[i + 2 :], openers):
                continue  # "so , tell me , are your hemorrhoids painful?", "tell me
                # something , do you smoke or drink?"
            if cue in wh:
                return True
            if cue in openers:
                return False
    return False


def sentence_spans(tokens: list[str]) -> list[tuple[int, int, bool]]:
    """Sentences as ``(start, end, is_question)`` token ranges.

    A sentence is a question when it ends with "?" (or opens like one and ends the
    text), unless it is a tag question ("..., okay?") or a wh-question ("how is the
    pain?"), which presuppose what they mention rather than ask about it; a wh-question
    that offers examples ("what, like high blood pressure?") asks about them.
    """
    openers, tags, wh = _question_cues()
    spans: list[tuple[int, int, bool]] = []
    start = 0
    for i, tok in enumerate([*tokens, "."]):
        if tok in _BOUNDARY or i == len(tokens):
            if i > start:
                words = [t for t in tokens[start:i] if t not in _FILLERS]
                first = tuple(words[:2])
                question = tok == "?" or (
                    i == len(tokens) and (first[:1] in openers or first in openers)
                )
                # "do you smoke? or drink or have ever used any drugs." goes on asking
                question = question or (first[:1] == ("or",) and bool(spans) and spans[-1][2])
                if question and (
                    tuple(words[-1:]) in tags
                    or tuple(words[-2:]) in tags
                    or (
                        _opens_wh(words, openers, wh)
                        and not _yes_no(words)
                        and not _inverted_after(tokens[start:i], _COMMA)
                        and "like" not in words
                    )
                ):
                    question = False
                spans.append((start, i, question))
            start = i + 1
    return spans


@cache
def _question_cues() -> tuple[frozenset[tuple[str, ...]], ...]:
    rules = load_lexicons().context
    return (
        frozenset(tuple(tokenize(o)) for o in rules.question_openers),
        frozenset(tuple(tokenize(o)) for o in rules.tag_questions),
        frozenset(tuple(tokenize(o)) for o in rules.wh_words),
    )


@cache
def _answers() -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    rules = load_lexicons().context
    yes = tuple(sorted((tuple(tokenize(a)) for a in rules.yes_answers), key=len, reverse=True))
    no = tuple(sorted((tuple(tokenize(a)) for a in rules.no_answers), key=len, reverse=True))
    return yes, no


def question_openers() -> frozenset[tuple[str, ...]]:
    """Token tuples that open a question ("do you", "any", "have you")."""
    return _question_cues()[0]


def answer_polarity(tokens: list[str]) -> str | None:
    """``affirmed`` / ``negated`` when an answer opens with yes / no, else None."""
    words = [t for t in tokens[:8] if t not in _FILLERS][:6]
    if degree_answer(tokens):
        return None  # "not every time", "not much": some of the time, no "no"
    if _framed_no(words):
        return "negated"
    yes, no = _answers()
    for phrase in no:
        if tuple(words[: len(phrase)]) == phrase:
            # "i don't know", "i'm not sure": a negation that denies nothing
            return None if _denies_nothing(tokens, len(phrase)) else "negated"
    for phrase in yes:
        if tuple(words[: len(phrase)]) == phrase:
            # "I have never used drugs": the yes-like opening is denied at once
            return (
                "negated"
                if words[len(phrase) : len(phrase) + 1] in (["never"], ["not"])
                else "affirmed"
            )
    return None


def _framed_no(words: list[str]) -> bool:
    """Whether an answer opens with a frame of the polarity reader's
    ``negative_answer_frames`` ("not that we know of", "not that she noticed"): the same
    frames for both readers. A frame followed by a distinguishing word ("nothing else")
    answers nothing."""
    c = cues()
    for frame in _frames():
        n = len(frame)
        if tuple(words[:n]) == frame and not set(words[n : n + 1]) & c.distinguishing:
            return True
    return False


@cache
def _frames() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(tokenize(f)) for f in cues().negative_answer_frames)


def _denies_nothing(tokens: list[str], opening: int) -> bool:
    """Whether an answer's no-like opening (``opening`` words) ends a clause with one
    word whose negation denies nothing (``polarity.json``'s ``pseudo_heads``: "i don't
    know.", "uh, i do not remember, maybe"); "i don't know of any" still denies."""
    said = itertools.dropwhile(lambda t: t in _FILLERS, tokens)
    clause = list(itertools.takewhile(lambda t: t not in _CLAUSE_ENDS, said))
    return len(clause) == opening + 1 and clause[-1] in cues().pseudo_heads


_CLAUSE_ENDS = frozenset({",", ".", "!", "?", ";", ":"})


def _answer_no(tokens: list[str], start: int, n: int) -> bool:
    """A "no" set off by a comma is an answer, not a negation of what follows it."""
    return n == 1 and tokens[start] == "no" and start + 1 < len(tokens) and tokens[start + 1] == ","


_UNABLE = frozenset({"hard", "difficult", "can't", "cannot", "unable", "couldn't", "impossible"})


def _cannot_without(tokens: list[str], start: int) -> bool:
    """ "It's hard for me to stand up without significant pain": the pain is there."""
    if tokens[start] != "without":
        return False
    before = tokens[max(0, start - 6) : start]
    return bool(_UNABLE.intersection(before)) and not _BOUNDARY.intersection(before)


@cache
def _pending_openers() -> frozenset[str]:
    return frozenset(load_lexicons().context.pending_openers)


def _own_verb_conjuncts(tokens: list[str]) -> set[int]:
    """Where a conjunct with its own auxiliary starts ("no blood in her stools *and has
    had* nausea", "denies chest pain *but is* short of breath"): a negation before it
    does not reach past it, as the polarity reader's parse says of a conjunct with its
    own tense. The auxiliaries are ``polarity.json``'s question openers."""
    aux = _auxiliaries()
    return {
        i
        for i, (tok, nxt) in enumerate(itertools.pairwise(tokens))
        if tok in ("and", "but") and nxt in aux
    }


@cache
def _auxiliaries() -> frozenset[str]:
    return cues().question_openers - {"any"}


class ContextEngine:
    """Finds ConText triggers in a token list and answers which apply to a span.

    Distances and blocking are prefix sums, and only triggers within ``_REACH`` tokens are
    examined, so a long text costs linear time.
    """

    _REACH = 80

    def __init__(self, tokens: list[str], concept_positions: frozenset[int] = frozenset()) -> None:
        self.tokens = tokens
        self.window = load_lexicons().context.window
        # list words and the concepts of a list do not use up the scope window:
        # "denies fever, chills, nausea, vomiting, diarrhea or burning with urination"
        free = {",", "or", "and", "nor", "any"}
        terminators: set[int] = set()
        clauses: set[int] = set()  # end every scope but a family one
        self._triggers: list[tuple[int, int, str, str]] = []
        shadowed: set[int] = set()  # inside a pseudo-trigger: "i do not know if"
        for start, n, entry in context_index().scan(tokens, overlapping=True):
            if entry.kind == "terminator":
                (clauses if entry.name == "clause" else terminators).add(start)
            elif entry.kind == "trigger":
                if _answer_no(tokens, start, n) or _cannot_without(tokens, start):
                    continue  # "no, on the contrary I am having constipation"
                self._triggers.append((start, start + n, entry.name, entry.extra))
            elif entry.kind == "pseudo":
                shadowed.update(range(start + 1, start + n))
        terminators |= _own_verb_conjuncts(tokens)
        if shadowed:
            self._triggers = [t for t in self._triggers if t[0] not in shadowed]
        self._starts = [t[0] for t in self._triggers]
        self._cost = [0]
        self._stops = [0]
        self._clause_stops = [0]
        self._commas = [0]
        for i, tok in enumerate(tokens):
            self._commas.append(self._commas[-1] + (tok == ","))
            counted = i not in concept_positions and tok not in free
            self._cost.append(self._cost[-1] + counted)
            stop = i in terminators or tok in _BOUNDARY
            self._stops.append(self._stops[-1] + stop)
            self._clause_stops.append(self._clause_stops[-1] + (i in clauses))

    def _in_result_phrase(self, end: int, t_start: int) -> bool:
        """Whether a concept ending at ``end`` is in the phrase a result word at
        ``t_start`` follows: no punctuation between them (a list's "and" and a field's
        colon aside), no preposition, and at most :data:`_RESULT_REACH` other words ("HIV
        negative", "urine pregnancy test negative", "influenza A and B negative"; not
        "positive for cough, otherwise negative")."""
        if end > t_start or self._distance(end, t_start) > _RESULT_REACH:
            return False
        if self._commas[t_start] != self._commas[end] or self._blocked(end, t_start, "negated"):
            return False
        # a preposition opens another phrase: "pneumonia with sputum culture negative"
        return not any(tok in cues().prepositions for tok in self.tokens[end:t_start])

    def _pending(self, start: int, end: int, resolution: int) -> bool:
        """Whether a word that opens a state still to come (``pending_openers``:
        "until", "once") stands between a concept and the resolution after it ("apply
        to the rash until resolved") or at most four tokens before it, in its clause
        ("until the rash is gone")."""
        openers = _pending_openers()
        if openers.intersection(self.tokens[end:resolution]):
            return True
        for i in range(start - 1, max(-1, start - 5), -1):
            if self.tokens[i] in openers:
                return not self._blocked(i, start, "negated")
        return False

    def _distance(self, lo: int, hi: int) -> int:
        return self._cost[hi] - self._cost[lo]

    def _blocked(self, lo: int, hi: int, category: str) -> bool:
        if self._stops[hi] - self._stops[lo] > 0:
            return True
        return category != "family" and self._clause_stops[hi] - self._clause_stops[lo] > 0

    def context(self, start: int, end: int) -> Context:
        """Context of the concept covering tokens ``[start, end)``."""
        cats: set[str] = set()
        resolved = -1  # where a resolution said after it denies it ("the rash is gone")
        lo = bisect_left(self._starts, start - self._REACH)
        hi = bisect_right(self._starts, end + self._REACH)
        for t_start, t_end, category, direction in self._triggers[lo:hi]:
            if direction in ("forward", "both") and t_end <= start:
                if self._distance(t_end, start) <= self.window and not self._blocked(
                    t_end, start, category
                ):
                    cats.add(category)
            elif (
                direction in ("backward", "both")
                and t_start >= end
                and self._distance(end, t_start) <= self.window
                and not self._blocked(end, t_start, category)
            ) or (direction == "result" and self._in_result_phrase(end, t_start)):
                cats.add(category)
                if category == "negated" and direction == "backward":
                    resolved = t_start
        if resolved >= 0 and self._pending(start, end, resolved):
            # "use it until the rash is gone": a state to come, not a denial of now
            cats.discard("negated")
            cats.add("conditional")
        return Context(
            negated="negated" in cats,
            uncertain="uncertain" in cats,
            historical="historical" in cats,
            family="family" in cats,
            conditional="conditional" in cats,
        )
