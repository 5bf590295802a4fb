"""Questions resolved by their answers, for the source index (``index.py``): a yes/no
question takes the polarity of the other speaker's reply; "no" to "any medications?" or
"any allergies?" is no medications or no known allergies; a status question ("do you
smoke?" - "no") denies the status; an age, a side or an allergen given in reply belongs
to what was asked.
"""

from __future__ import annotations

from dataclasses import replace

from evident.types import Segment
from evident.verify._answer_forms import (
    amount_of_its_own,
    hedged_yes,
    pro_form_answer,
    relative_had_it,
    with_asked_site,
)
from evident.verify._answers_none import (
    _ALLERGY_WORDS,
    _COMPLAINT_WORDS,
    _FAMILY_WORDS,
    _ILLNESS_WORDS,
    _MEDICAL_WORDS,
    _MEDICATION_WORDS,
    _SURGERY_WORDS,
    _allergy_word,
    no_allergies,
    no_history,
    no_medications,
)
from evident.verify._extract_cues import in_circumstance, partial_denial
from evident.verify._polarity_cues import cues
from evident.verify._polarity_views import first_sentence, granted
from evident.verify._questions import last_opener
from evident.verify.allergy_frames import asks_allergies, in_frame
from evident.verify.context import answer_polarity
from evident.verify.facts import (
    Analysis,
    Fact,
    age_in_years,
    age_unit,
    near_stems,
    person_in,
    presupposed,
)

__all__ = [
    "age_answer",
    "age_person",
    "allergy_answer",
    "resolve_questions",
    "same_goes",
    "side_answer",
    "status_denied",
]


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


def _clause_answer(question: Analysis, reply: Analysis) -> str | None:
    """A reply to a punctuated question that no answer word opens, read as a clause: a
    no in pro-forms ("i haven't had one": ``negated``), how long or how often ("about
    twice a week": ``affirmed``), a hedged yes ("i think so": ``uncertain``); else None
    (:mod:`evident.verify._answer_forms`)."""
    first = first_sentence(reply.text)
    if not first:
        return None
    if pro_form_answer(first, question.text) == "no":
        return "negated"
    if relative_had_it(first) and any(f.family for f in question.facts if f.polarity == "asked"):
        return "affirmed"  # "anyone in your family with it?" - "my father had it"
    if granted(question.text, reply.text):
        return "affirmed"
    return "uncertain" if hedged_yes(first) else None


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


def status_denied(
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


def resolve_questions(
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
    once_of: set[str] = set()
    reply = _reply(seg, segs, analyses, pos, reach=2)
    if reply is not None:
        # "yes ma'am, do you?" asks back: it answers the patient's question, not this one
        end = reply.sentences[0][1] if reply.sentences else 0
        asks_back = reply.tokens[end : end + 1] == ("?",)
        answer = None if asks_back else answer_polarity(list(reply.tokens))
        if answer is None and not asks_back and "?" in an.tokens:
            answer = _clause_answer(an, reply)
        named = {f.key for f in reply.facts if f.kind == "finding"}
        affirmed = {  # "not really. maybe a bit of nausea": the hedged finding stays
            f.key
            for f in reply.facts
            if f.kind == "finding" and f.polarity in {"affirmed", "uncertain"}
        }
        if answer is None and not asks_back and _quit(reply.tokens):
            answer = "negated"  # "do you smoke?" - "i quit ten years ago": not now
        # "i have had dizzy spells in the past" had something else; a finding named in a
        # later sentence is another matter ("i quit five years ago. i still have a beer")
        first_end = _first_sentence_end(reply)
        named_first = any(f.kind == "finding" and f.position < first_end for f in reply.facts)
        once = (
            answer == "negated"
            and not named_first
            and (_had_once(reply.tokens) or _quit(reply.tokens))
        )
        once_of = _once_named(reply) if once else set()
        if answer == "affirmed" and amount_of_its_own(an.text, reply.text):
            answer = None  # "headaches?" - "a little nausea": an amount of the nausea
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
    # "any headaches or swelling?" - "I have some headaches": only what the reply names;
    # "any fever or chills?" - "no fever. I did feel shivery, though": a no that names
    # what it denies and then makes an exception answers for what it names alone ("no. I
    # did have a headache, though" still denies the rest).
    only = named & asked_keys if answer == "affirmed" else set()
    if answer == "negated" and reply is not None and _excepts(reply.tokens):
        only = {f.key for f in reply.facts if f.polarity == "negated"} & named & asked_keys
    # "any nausea, chills?" - "no fever, some chills": the reply's own "chills" speaks;
    # "any chest pain?" - "not really, just some soreness": a pain of no site is the
    # asked site's
    keep = with_asked_site(affirmed, asked_keys) if answer == "negated" else set()
    out = []
    for f in an.facts:
        asked_here = f.polarity == "asked" or (
            unpunctuated_from is not None
            and f.polarity == "affirmed"
            and f.position >= unpunctuated_from
            and f.kind in {"finding", "anatomy", "medication"}
            and not presupposed(an.tokens, f.position)
        )
        if asked_here and (
            f.key in keep
            or _qualified(an.tokens, f.position)
            or (
                answer == "negated"
                and (
                    partial_denial(an.tokens, f.position, f.end)
                    or in_circumstance(an.tokens, f.position)
                )
            )
        ):  # "do you have pain every time you eat?" - "no" denies the every time;
            # "does it get worse when you cough?" - "no" denies no cough
            out.append(f.with_polarity("asked"))
            continue
        out.append(f.with_polarity(answer) if asked_here and (not only or f.key in only) else f)
        if asked_here and once and f.kind == "finding" and (not once_of or f.key in once_of):
            # "no, I haven't. I did about three years ago": denied now, had before
            out.append(replace(f, polarity="affirmed", historical=True))
    if answer == "negated" and reply is not None and seg.speaker != "patient":
        out.extend(no_allergies(an, reply))
        out.extend(no_medications(an, reply))
        out.extend(no_history(an, reply))
    return tuple(out)


def _excepts(tokens: tuple[str, ...]) -> bool:
    """Whether a reply makes an exception to its no (a contrast word after the first)."""
    return not cues().contrast_words.isdisjoint(tokens[1:])


def _asked_before(
    seg: Segment, segs: list[tuple[Segment, str]], analyses: list[Analysis], pos: int
) -> Analysis | None:
    """The turn just before, when another speaker said it: what this turn answers."""
    if pos == 0 or not segs[pos - 1][0].speaker or segs[pos - 1][0].speaker == seg.speaker:
        return None
    return analyses[pos - 1]


def _first_sentence_end(an: Analysis) -> int:
    return an.sentences[0][1] if an.sentences else len(an.tokens)


def age_answer(
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
            unit = age_unit(f.unit) if f.key == "duration" else "age"
            if unit and f.value is not None and 0 < f.value <= 120:
                # "two months" answers how old a baby is, as "a 2-month-old" writes it
                base = f.value * age_in_years(unit)
                age = replace(f, key="age", unit=unit, base=base)
                return (*facts[:i], age, *facts[i + 1 :])
            break
    return facts


def age_person(
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


def side_answer(
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


def allergy_answer(
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


def number_answer(
    seg: Segment,
    an: Analysis,
    facts: tuple[Fact, ...],
    segs: list[tuple[Segment, str]],
    analyses: list[Analysis],
    pos: int,
) -> tuple[Fact, ...]:
    """ "When it's at its worst, how would you rate it?" - "a three or a four": a bare
    number in the reply's first sentence counts what the question asked about, so the
    question's words join the words it is said among (``Fact.near``). A number said
    among no words ("or a four.") stays free of them: it matches any bare number."""
    q = _asked_before(seg, segs, analyses, pos)
    if q is None or not q.sentences or "?" not in q.tokens:
        return facts
    start = next((a for a, b, _ in reversed(q.sentences) if "?" in q.tokens[a:b]), 0)
    asked = near_stems(q.tokens[start:])
    end = _first_sentence_end(an)
    return tuple(
        replace(f, near=f.near | asked)
        if f.kind == "quantity" and not f.key and not f.unit and f.near and f.position < end
        else f
        for f in facts
    )


_SAME = (("same", "goes", "for"), ("same", "for"), ("same", "with"), ("same", "thing", "with"))


def same_goes(an: Analysis, facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
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


_ASKS_WITHOUT_FINDING = (
    _MEDICATION_WORDS
    | _ALLERGY_WORDS
    | _FAMILY_WORDS
    | _SURGERY_WORDS
    | _MEDICAL_WORDS
    | _ILLNESS_WORDS
    | _COMPLAINT_WORDS
)


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


_QUITS = (("i", "quit"), ("i", "stopped"), ("i", "gave", "up"), ("quit",), ("stopped",))
# "no, i quit ten years ago": had it once
_HAD = (
    ("i", "did"),
    ("i", "had"),
    ("i", "have", "had"),
    ("i've", "had"),
    ("i", "used", "to"),
    *_QUITS,
)
_ONCE = frozenset({"ago", "past", "before", "previously"})


def _quit(tokens: tuple[str, ...]) -> bool:
    """Whether a reply opens by saying the patient stopped ("i quit ten years ago", "i
    stopped in 2010", "gave up years ago"): a no to "do you smoke?" now, with the time it
    stopped. Only with a time: "i stopped for a while" may have started again."""
    ws = [t for t in tokens if t not in {"uh", "um", "well", ","}]
    for phrase in _QUITS:
        n = len(phrase)
        if tuple(ws[:n]) == phrase:
            tail = ws[n : n + 6]
            return bool(_ONCE.intersection(tail)) or any(t[:1].isdigit() for t in tail)
    return False


def _had_once(tokens: tuple[str, ...]) -> bool:
    """Whether a reply that opens with no goes on to say the patient had it once ("i did
    about three years ago", "i had that in the past")."""
    return _had_once_at(tokens) >= 0


def _had_once_at(tokens: tuple[str, ...]) -> int:
    """Where a reply says the patient had it once (see :func:`_had_once`), or -1."""
    for i in range(len(tokens)):
        for phrase in _HAD:
            if tokens[i : i + len(phrase)] == phrase:
                tail = tokens[i + len(phrase) : i + len(phrase) + 6]
                if _ONCE.intersection(tail):
                    return i
    return -1


def _once_named(reply: Analysis) -> set[str]:
    """The findings the sentence that says the patient had it once names ("no drugs. i
    used to smoke but quit 30 years ago": the smoking, not the drugs); empty when it
    names none ("no, i quit ten years ago": what was asked)."""
    at = max(0, _had_once_at(reply.tokens))
    for start, end, _ in reply.sentences or [(0, len(reply.tokens), False)]:
        if start <= at < end:
            return {f.key for f in reply.facts if f.kind == "finding" and start <= f.position < end}
    return set()


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
    covered = {i for f in an.facts if f.kind == "finding" for i in range(f.position, f.end)}
    return bool(covered) and all(i in covered or t in _BARE_FILL for i, t in enumerate(an.tokens))
