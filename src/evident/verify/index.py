"""The source side, analysed once: segment facts (questions resolved by their answers),
a BM25 index over segment terms and an index of facts by key.

Memory is bounded: at most ``MAX_SEGMENTS`` segments are indexed (the verify entry point
refuses larger inputs with an InputError), and candidate lists are capped.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from evident.types import Segment, Source
from evident.verify._questions import asked_earlier, last_opener
from evident.verify.allergy_frames import asks_allergies, in_frame
from evident.verify.context import answer_polarity
from evident.verify.facts import Analysis, Fact, analyze, person_in, presupposed

__all__ = ["MAX_SEGMENTS", "IndexedSegment", "SourceIndex"]

MAX_SEGMENTS = 5000
_K1, _B = 1.4, 0.6
#: Copies of one text a search returns (a repeated question may be answered differently).
_COPIES = 2


@dataclass(frozen=True)
class IndexedSegment:
    """One source segment with its analysis and its context-resolved facts."""

    pos: int
    segment: Segment
    source_kind: str
    analysis: Analysis
    facts: tuple[Fact, ...]


class SourceIndex:
    """Everything the verdict rules need to know about the sources."""

    def __init__(self, sources: Sequence[Source]) -> None:
        segs: list[tuple[Segment, str]] = [(s, src.kind) for src in sources for s in src]
        analyses = [analyze(s.text) for s, _ in segs]
        self.segments: list[IndexedSegment] = []
        for pos, ((seg, kind), an) in enumerate(zip(segs, analyses, strict=True)):
            facts = _resolve_questions(seg, an, segs, analyses, pos)
            facts = asked_earlier(an, facts, seg.speaker)
            facts = _status_denied(seg, an, facts, segs, analyses, pos)
            facts = _same_goes(an, facts)
            facts = _age_answer(seg, an, facts, segs, analyses, pos)
            facts = _age_person(seg, an, facts, segs, analyses, pos)
            facts = _side_answer(seg, an, facts, segs, analyses, pos)
            facts = _allergy_answer(seg, an, facts, segs, analyses, pos)
            self.segments.append(IndexedSegment(pos, seg, kind, an, facts))
        self.by_id = {s.segment.id: s for s in self.segments}
        self.by_key: dict[tuple[str, str], list[tuple[IndexedSegment, Fact]]] = defaultdict(list)
        self.quantities: list[tuple[IndexedSegment, Fact]] = []
        for s in self.segments:
            for f in s.facts:
                if f.kind == "quantity":
                    self.quantities.append((s, f))
                else:
                    self.by_key[(f.kind, f.key)].append((s, f))
        self._build_bm25()

    @cached_property
    def sided_sites(self) -> frozenset[str]:
        """Body sites the sources give a side anywhere (stated, asked or denied); a finding
        with a side is its own site too ("left kidney stone")."""
        out: set[str] = set()
        for (kind, key), ms in self.by_key.items():
            if kind not in ("anatomy", "finding", "order"):
                continue
            for _, f in ms:
                if f.laterality:
                    out.add(key if kind == "anatomy" else f.site)
                    if kind == "finding":
                        out.add(key)
        out.discard("")
        return frozenset(out)

    @property
    def kind_label(self) -> str:
        """How to name the source in a reason: ``transcript``, ``note`` or ``source``."""
        kinds = {s.source_kind for s in self.segments}
        if kinds == {"transcript"}:
            return "transcript"
        if kinds == {"note"}:
            return "source note"
        return "source"

    def _build_bm25(self) -> None:
        self._postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._lengths: list[int] = []
        for s in self.segments:
            counts: dict[str, int] = defaultdict(int)
            for t in s.analysis.terms:
                counts[t] += 1
            self._lengths.append(max(1, len(s.analysis.terms)))
            for t, c in counts.items():
                self._postings[t].append((s.pos, c))
        n = max(1, len(self.segments))
        self._avg = sum(self._lengths) / n if self._lengths else 1.0
        self._idf = {
            t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self._postings.items()
        }

    def idf(self, term: str) -> float:
        """Inverse document frequency of a term (unseen terms get the maximum)."""
        if term in self._idf:
            return self._idf[term]
        n = max(1, len(self.segments))
        return math.log(1 + (n + 0.5) / 0.5)

    def search(self, terms: Sequence[str], k: int = 5) -> list[tuple[int, float]]:
        """BM25 top-``k`` segment positions for ``terms``, best first.

        Segments with the same text ("any chest pain?" asked again) fill one of the ``k``
        places: a second copy is kept beside the first (its answer may differ), further
        copies are left out, so repeats never crowd out the answer that follows them.
        """
        scores: dict[int, float] = defaultdict(float)
        for t in sorted(set(terms)):  # a fixed order: the same float sums in every process
            idf = self._idf.get(t)
            if idf is None:
                continue
            for pos, tf in self._postings[t]:
                norm = tf + _K1 * (1 - _B + _B * self._lengths[pos] / self._avg)
                scores[pos] += idf * tf * (_K1 + 1) / norm
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        out: list[tuple[int, float]] = []
        copies: dict[str, int] = {}
        for pos, score in ranked:
            text = self.segments[pos].segment.text
            seen = copies.get(text, 0)
            if seen >= _COPIES or (not seen and len(copies) >= k):
                continue
            copies[text] = seen + 1
            out.append((pos, score))
        return out

    def neighbours(self, pos: int, radius: int = 2) -> range:
        """Positions within ``radius`` segments of ``pos``."""
        return range(max(0, pos - radius), min(len(self.segments), pos + radius + 1))


def _reply(
    seg: Segment,
    segs: list[tuple[Segment, str]],
    analyses: list[Analysis],
    pos: int,
    reach: int,
) -> Analysis | None:
    """The next turn of another speaker within ``reach`` segments: the reply. A short
    question back ("what, like high blood pressure?") answered by the first speaker is
    a clarification: the reply is the turn after that answer."""
    for nxt in range(pos + 1, min(len(segs), pos + 1 + reach)):
        other, _ = segs[nxt]
        if not (other.speaker and seg.speaker and other.speaker == seg.speaker):
            if _clarified(seg, segs, analyses, nxt):
                return analyses[nxt + 2]
            return analyses[nxt]
    return None


def _clarified(
    seg: Segment, segs: list[tuple[Segment, str]], analyses: list[Analysis], nxt: int
) -> bool:
    toks = analyses[nxt].tokens
    if not (toks and toks[-1] == "?" and len(toks) <= 10 and nxt + 2 < len(segs)):
        return False
    if {".", "!", ";"} & set(toks) or toks.count("?") > 1:
        return False  # "never. what if something goes wrong?" answers first
    back, again = segs[nxt + 1][0], segs[nxt + 2][0]
    return (
        bool(seg.speaker) and back.speaker == seg.speaker and again.speaker == segs[nxt][0].speaker
    )


def _status_denied(
    seg: Segment,
    an: Analysis,
    facts: tuple[Fact, ...],
    segs: list[tuple[Segment, str]],
    analyses: list[Analysis],
    pos: int,
) -> tuple[Fact, ...]:
    """ "What about your diarrhea?" - "no more diarrhea": a question about a finding's
    status, answered by a reply that denies the same finding, asserts nothing."""
    reply = _reply(seg, segs, analyses, pos, reach=1) if "?" in an.tokens else None
    if reply is None:
        return facts
    denied = {f.key for f in reply.facts if f.polarity == "negated"}
    if not denied:
        return facts
    toks = an.tokens
    return tuple(
        f.with_polarity("asked")
        if f.kind == "finding"
        and f.polarity == "affirmed"
        and f.key in denied
        and any(
            toks[i : i + 2] in _STATUS_QUESTION for i in range(max(0, f.position - 3), f.position)
        )
        else f
        for f in facts
    )


_STATUS_QUESTION = frozenset({("what", "about"), ("how", "about"), ("how's", "your")})


def _resolve_questions(
    seg: Segment,
    an: Analysis,
    segs: list[tuple[Segment, str]],
    analyses: list[Analysis],
    pos: int,
) -> tuple[Fact, ...]:
    """Give facts asked in a question the polarity of the next speaker's yes or no.

    Transcripts without punctuation ("have you noticed any fever") count as questions
    from the last question opener on, when the reply opens with yes or no.
    """
    asked = any(f.polarity == "asked" for f in an.facts) or (
        "?" in an.tokens and not _ASKS_WITHOUT_FINDING.isdisjoint(an.tokens)
    )
    unpunctuated_from = None if "?" in an.tokens else last_opener(list(an.tokens))
    if unpunctuated_from is None and "?" not in an.tokens and _bare(an):
        unpunctuated_from = 0  # "[doctor] shortness of breath [patient] no shortness of breath"
    if not asked and unpunctuated_from is None:
        return an.facts
    answer: str | None = None
    named: set[str] = set()
    affirmed: set[str] = set()
    once = False
    reply = _reply(seg, segs, analyses, pos, reach=2)
    if reply is not None:
        # "yes ma'am, do you?" asks back: it answers the patient's question, not this one
        end = reply.sentences[0][1] if reply.sentences else 0
        asks_back = reply.tokens[end : end + 1] == ("?",)
        answer = None if asks_back else answer_polarity(list(reply.tokens))
        named = {f.key for f in reply.facts if f.kind == "finding"}
        affirmed = {  # "not really. maybe a bit of nausea": the hedged finding stays
            f.key
            for f in reply.facts
            if f.kind == "finding" and f.polarity in {"affirmed", "uncertain"}
        }
        # "i have had dizzy spells in the past" had something else
        once = answer == "negated" and not named and _had_once(reply.tokens)
    if answer is None:
        if unpunctuated_from is not None and seg.speaker != "patient" and reply is not None:
            return _unanswered(an, unpunctuated_from)
        return an.facts
    asked_keys = {f.key for f in an.facts if f.polarity == "asked"}
    if answer == "affirmed" and reply is not None and _no_to_the_rest(reply.tokens):
        # "I have a glass of wine every once in a while but no to the rest"
        return tuple(
            f.with_polarity("affirmed" if f.key in named else "negated")
            if f.polarity == "asked" and f.kind == "finding"
            else f
            for f in an.facts
        )
    # "any headaches or swelling?" - "I have some headaches": only what the reply names.
    only = named & asked_keys if answer == "affirmed" else set()
    # "any nausea, chills?" - "no fever, some chills": the reply's own "chills" speaks.
    keep = affirmed if answer == "negated" else set()
    out = []
    for f in an.facts:
        asked_here = f.polarity == "asked" or (
            unpunctuated_from is not None
            and f.polarity == "affirmed"
            and f.position >= unpunctuated_from
            and f.kind in {"finding", "anatomy", "medication"}
            and not presupposed(an.tokens, f.position)
        )
        if asked_here and (f.key in keep or _qualified(an.tokens, f.position)):
            out.append(f.with_polarity("asked"))
            continue
        out.append(f.with_polarity(answer) if asked_here and (not only or f.key in only) else f)
        if asked_here and once and f.kind == "finding":
            # "no, I haven't. I did about three years ago": denied now, had before
            out.append(replace(f, polarity="affirmed", historical=True))
    if answer == "negated" and reply is not None and seg.speaker != "patient":
        out.extend(_no_allergies(an, reply))
        out.extend(_no_medications(an, reply))
        out.extend(_no_history(an, reply))
    return tuple(out)


def _asked_before(
    seg: Segment, segs: list[tuple[Segment, str]], analyses: list[Analysis], pos: int
) -> Analysis | None:
    """The turn just before, when another speaker said it: what this turn answers."""
    if pos == 0 or not segs[pos - 1][0].speaker or segs[pos - 1][0].speaker == seg.speaker:
        return None
    return analyses[pos - 1]


def _first_sentence_end(an: Analysis) -> int:
    return an.sentences[0][1] if an.sentences else len(an.tokens)


def _age_answer(
    seg: Segment,
    an: Analysis,
    facts: tuple[Fact, ...],
    segs: list[tuple[Segment, str]],
    analyses: list[Analysis],
    pos: int,
) -> tuple[Fact, ...]:
    """ "How old are you?" - "Fifty eight.": the first number of the reply is the age."""
    question = _asked_before(seg, segs, analyses, pos)
    if question is None:
        return facts
    q = question.tokens
    asks = any(q[i : i + 2] == ("how", "old") for i in range(len(q))) or ("age" in q and "?" in q)
    if not asks:
        return facts
    first = _first_sentence_end(an)
    for i, f in enumerate(facts):
        if f.kind == "quantity" and f.position < first and f.key in {"", "duration"}:
            if f.key == "duration" and f.unit != "year":
                break  # "two months" answers how old a baby is in months
            if f.value is not None and 0 < f.value <= 120:
                age = replace(f, key="age", unit="age", base=f.value)
                return (*facts[:i], age, *facts[i + 1 :])
            break
    return facts


def _age_person(
    seg: Segment,
    an: Analysis,
    facts: tuple[Fact, ...],
    segs: list[tuple[Segment, str]],
    analyses: list[Analysis],
    pos: int,
) -> tuple[Fact, ...]:
    """Whose age an age is, where its own sentence names no one: the relative named
    before it in the turn ("my mother had a stroke. she was 67 when she died."), else
    the one the question asked about ("and your father?" - "he had a bypass at 60")."""
    if not any(f.key == "age" and not f.person for f in facts):
        return facts
    question = _asked_before(seg, segs, analyses, pos)
    out = []
    for f in facts:
        if f.key == "age" and not f.person:
            person = person_in(an.tokens[: f.position])
            if not person and question is not None:
                person = person_in(question.tokens)
            if person:
                f = replace(f, person=person, family=True)
        out.append(f)
    return tuple(out)


def _side_answer(
    seg: Segment,
    an: Analysis,
    facts: tuple[Fact, ...],
    segs: list[tuple[Segment, str]],
    analyses: list[Analysis],
    pos: int,
) -> tuple[Fact, ...]:
    """ "Is it on one side or the other of your back?" - "it's more on the right": the
    side the reply names is the asked site's."""
    q = _asked_before(seg, segs, analyses, pos)
    if q is None:
        return facts
    asks_side = "side" in q.tokens or {"left", "right"} <= set(q.tokens)
    sites = {f.key for f in q.facts if f.kind == "anatomy"}
    if not asks_side or len(sites) != 1 or any(f.kind == "anatomy" for f in facts):
        return facts
    end = _first_sentence_end(an)
    said = [(i, t) for i, t in enumerate(an.tokens[:end]) if t in {"left", "right"}]
    if len(said) != 1:
        return facts
    i, side = said[0]
    site = next(iter(sites))
    return (*facts, Fact(kind="anatomy", key=site, text=side, laterality=side, position=i))


def _allergy_answer(
    seg: Segment,
    an: Analysis,
    facts: tuple[Fact, ...],
    segs: list[tuple[Segment, str]],
    analyses: list[Analysis],
    pos: int,
) -> tuple[Fact, ...]:
    """ "Any allergies?" - "penicillin gives me hives": the reply is an allergy frame."""
    q = _asked_before(seg, segs, analyses, pos)
    if q is None or not asks_allergies(q.tokens, _allergy_word(q.tokens)):
        return facts
    if answer_polarity(list(an.tokens)) == "negated":
        return facts
    return in_frame(facts, 0, len(an.tokens))


_SAME = (("same", "goes", "for"), ("same", "for"), ("same", "with"), ("same", "thing", "with"))


def _same_goes(an: Analysis, facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
    """ "Nope, I've never touched a cigarette. Same goes for alcohol.": the finding takes
    the reply's no."""
    if answer_polarity(list(an.tokens)) != "negated":
        return facts
    toks = an.tokens

    def same(f: Fact) -> bool:
        return f.kind == "finding" and any(
            toks[max(0, f.position - len(p)) : f.position] == p for p in _SAME
        )

    return tuple(f.with_polarity("negated") if same(f) else f for f in facts)


_MEDICATION_WORDS = frozenset({"medications", "medication", "medicines", "medicine", "meds"})


# "any old or new medications?", "any daily meds?": which drugs, not what for
_MEDICATION_KINDS = frozenset(
    {"old", "new", "or", "current", "daily", "regular", "prescription", "prescribed", "home"}
)


def _any_medications(toks: tuple[str, ...], at: int) -> bool:
    """Whether "any" opens the medication words at ``at`` ("any medications I should
    know about?"; not "any problems with your medications?")."""
    j = at - 1
    while j >= 0 and toks[j] in _MEDICATION_KINDS:
        j -= 1
    return j >= 0 and toks[j] == "any"


def _no_medications(question: Analysis, reply: Analysis) -> list[Fact]:
    """ "Are you taking any medications?" - "no": no current medications, unless the
    question asks about one purpose ("any medications for the pain?") or the reply names
    a drug."""
    toks = question.tokens
    at = next((i for i, t in enumerate(toks) if t in _MEDICATION_WORDS), None)
    if at is None or not (
        {"taking", "take", "on"} & set(toks[max(0, at - 4) : at]) or _any_medications(toks, at)
    ):
        return []
    if "for" in toks[at + 1 : at + 3] or any(f.kind == "medication" for f in question.facts):
        return []
    if any(f.kind in {"allergy", "medication"} for f in reply.facts):
        return []
    return [_none_of("medication", question, at)]


_ALLERGY_WORDS = frozenset({"allergies", "allergy", "allergic"})
# "any adverse reactions to medications?" asks about drug allergies too
_REACTION_WORDS = frozenset({"reaction", "reactions"})
_DRUG_WORDS = _MEDICATION_WORDS | {"drug", "drugs"}


def _allergy_word(toks: tuple[str, ...] | list[str]) -> int | None:
    """Where a question asks about allergies: an allergy word, or "reaction(s)" to a drug."""
    for i, t in enumerate(toks):
        if t in _ALLERGY_WORDS:
            return i
        if t in _REACTION_WORDS and _DRUG_WORDS & set(toks[i + 1 : i + 4]):
            return i
    return None


def _no_allergies(question: Analysis, reply: Analysis) -> list[Fact]:
    """ "Any known drug allergies?" - "no": no known allergies, unless the reply names
    what the patient is allergic to."""
    at = _allergy_word(question.tokens)
    if at is None or any(f.kind in {"allergy", "medication"} for f in reply.facts):
        return []
    if any(f.kind == "allergy" for f in question.facts):
        return []  # "allergic to penicillin?" asks about one drug
    return [_none_of("allergy", question, at)]


# "anyone sick in your family?", "any medical problems?", "any previous surgeries?"
_FAMILY_WORDS = frozenset({"family", "familial"})
_SURGERY_WORDS = frozenset({"surgery", "surgeries", "operation", "operations", "surgical"})
_MEDICAL_WORDS = frozenset({"medical", "health"})
_ILLNESS_WORDS = frozenset({"illness", "illnesses"})
_HISTORY_WORDS = frozenset(
    {
        "history",
        "sick",
        "disease",
        "diseases",
        "illness",
        "illnesses",
        "problems",
        "problem",
        "conditions",
        "issues",
        "medical",
        "health",
        "run",
        "runs",
        "hereditary",
        "genetic",
    }
)


_EXAMPLE_CUES = frozenset({"like", "such", "including"})


def _history_asked(question: Analysis) -> list[tuple[str, int]]:
    """Which histories a question asks about without naming a disease or a body part, and
    the token that says so: family ("anyone sick in your family?"), surgical ("any
    previous surgeries?") or medical ("any medical problems?"); both of the last two in
    "any past medical problems or surgeries?"."""
    toks = question.tokens
    # "major illnesses in the family like diabetes or high BP?": the diseases are examples
    examples = next((i for i, t in enumerate(toks) if t in _EXAMPLE_CUES), len(toks))
    if any(
        f.kind in {"finding", "anatomy", "medication"} and f.position < examples
        for f in question.facts
    ):
        return []  # "any diabetes in the family?", "surgery on that knee?": that one only
    asked: list[tuple[str, int]] = []
    for which, words, needs_history in (
        ("family", _FAMILY_WORDS, True),
        ("surgical", _SURGERY_WORDS, False),
        ("medical", _MEDICAL_WORDS, True),
        ("medical", _ILLNESS_WORDS, False),
    ):
        at = next((i for i, t in enumerate(toks) if t in words), None)
        if at is None or any(w == which for w, _ in asked):
            continue
        if needs_history and _HISTORY_WORDS.isdisjoint(toks[:at] + toks[at + 1 :]):
            continue  # "is your family here?" asks no history; another word may
        if which == "family":
            return [(which, at)]  # "any medical problems in the family?": theirs only
        asked.append((which, at))
    return asked


_COMPLAINT_WORDS = frozenset(
    {"complaints", "complaint", "concerns", "symptoms", "problems", "issues", "going"}
)


def _others_asked(question: Analysis) -> tuple[str, int] | None:
    """ "Any other complaints today?", "anything else going on?": a review of the rest,
    which a "no" leaves negative."""
    toks = question.tokens
    for i, t in enumerate(toks):
        if t == "going" and toks[i + 1 : i + 2] != ("on",):
            continue  # "is the other knee going to need surgery?" asks about the knee
        if t in _COMPLAINT_WORDS and {"other", "else"} & set(toks[max(0, i - 3) : i]):
            return "review", i
    return None


def _no_history(question: Analysis, reply: Analysis) -> list[Fact]:
    """ "Anyone sick in your family?" / "Any previous surgeries?" / "Any medical
    problems?" - "no": that history is unremarkable, unless the reply names a disease or
    a procedure."""
    asked = _history_asked(question)
    if not asked and (others := _others_asked(question)):
        asked = [others]
    if not asked:
        return []
    if any(f.kind in {"finding", "order"} and f.polarity == "affirmed" for f in reply.facts):
        return []
    return [
        replace(_none_of("history", question, at), key=which, family=which == "family")
        for which, at in asked
    ]


_ASKS_WITHOUT_FINDING = (
    _MEDICATION_WORDS
    | _ALLERGY_WORDS
    | _FAMILY_WORDS
    | _SURGERY_WORDS
    | _MEDICAL_WORDS
    | _ILLNESS_WORDS
    | _COMPLAINT_WORDS
)


def _none_of(kind: str, question: Analysis, at: int) -> Fact:
    """ "None" of a kind the question asked about at token ``at`` (no drugs, no allergies)."""
    return Fact(kind=kind, key="none", text=question.tokens[at], polarity="negated", position=at)


def _unanswered(an: Analysis, opener: int) -> tuple[Fact, ...]:
    """ "have you had any fever or chills since this happened at all" - "a slight headache
    but no fever": a question without punctuation that ends the turn, left without a yes
    or no, asks about what follows its opener; it does not report it."""
    toks = an.tokens
    if "." in toks[opener:]:
        return an.facts
    return tuple(
        f.with_polarity("asked")
        if f.kind == "finding"
        and f.polarity == "affirmed"
        and opener < f.position <= opener + 8
        and len(toks) - f.position <= 10
        else f
        for f in an.facts
    )


def _no_to_the_rest(tokens: tuple[str, ...]) -> bool:
    return any(
        tokens[i : i + 3] in {("no", "to", "the"), ("none", "of", "the")}
        and tokens[i + 3 : i + 4] in {("rest",), ("others",)}
        for i in range(len(tokens))
    )


_HAD = (("i", "did"), ("i", "had"), ("i", "have", "had"), ("i've", "had"), ("i", "used", "to"))
_ONCE = frozenset({"ago", "past", "before", "previously"})


def _had_once(tokens: tuple[str, ...]) -> bool:
    """Whether a reply that opens with no goes on to say the patient had it once ("i did
    about three years ago", "i had that in the past")."""
    for i in range(1, len(tokens)):
        for phrase in _HAD:
            if tokens[i : i + len(phrase)] == phrase:
                tail = tokens[i + len(phrase) : i + len(phrase) + 6]
                if _ONCE.intersection(tail):
                    return True
    return False


# "is this your first pregnancy?" - "no": the answer is about "first", not the pregnancy
_QUALIFIERS = frozenset({"first", "second", "third", "last", "only", "same", "usual", "worst"})


def _qualified(tokens: tuple[str, ...], position: int) -> bool:
    return position > 0 and tokens[position - 1] in _QUALIFIERS


_BARE_FILL = frozenset(
    {",", ".", "okay", "ok", "alright", "and", "so", "what", "about", "how", "any", "or"}
    | {"um", "uh"}
)


def _bare(an: Analysis) -> bool:
    """A turn that only names findings: a question in speech without punctuation."""
    covered = {
        i
        for f in an.facts
        if f.kind == "finding"
        for i in range(f.position, f.position + len(f.text.split()))
    }
    return bool(covered) and all(i in covered or t in _BARE_FILL for i, t in enumerate(an.tokens))
