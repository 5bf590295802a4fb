"""How the structural polarity checker sees a source (for ``polarity.py``): its
sentences as said (``plain``), questions answered no or yes, and denials cut out of long
unpunctuated dictation (``run``), each with its content stems; no parse here."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Literal

from evident.types import Segment, Source
from evident.verify._answer_forms import amount_of_its_own, pro_form_answer, with_asked_site
from evident.verify._polarity_cues import canonical, cues, is_cue, norm, words
from evident.verify._polarity_cues import wordlike as _wordlike
from evident.verify._polarity_degree import degree_answer
from evident.verify._resources import load_lexicons
from evident.verify._sources import PerSource

__all__ = ["answer_polarity", "first_sentence", "granted", "nothing_else", "source_nothing_else"]

Mode = Literal["plain", "no", "yes", "run", "said"]

_SPLIT = re.compile(r"(?<=[.?!])\s+")
_WH = frozenset({"what", "when", "where", "why", "how", "which", "who", "whose"})
# an unpunctuated run of dictation parses poorly: its polarity is not read
_MAX_STEMS = 30
# ... but its denials are cut out of a run longer than this (words) and read one by one
_LONG_RUN = 40
# the most words before a result word said after its subject ("... tests are negative")
_SUBJECT_WORDS = 10
# a yes or no answers a short question; to a long turn it answers no one thing
_MAX_QUESTION_STEMS = 12
# the most words of an answer that grants a question by saying how long, often or much
_QUANTIFIED_WORDS = 8
# turns before a question whose words its pronoun may stand for (three exchanges)
_TOPIC_TURNS = 6
# the most questions in a row at a turn's end that one "no" denies each of
_RUN_OF_QUESTIONS = 3


@dataclass(frozen=True)
class _View:
    """A source sentence as the checker reads it: said (``plain``), a question that the
    next turn answers no or yes (``no``/``yes``; ``text`` is the question), or one
    denial cut out of a long unpunctuated run of dictation (``run``: only its denials
    count), or a stretch of such a run outside its denials and questions (``said``:
    only its affirmations count)."""

    text: str
    segments: tuple[str, ...]
    mode: Mode
    shown: str
    stems: frozenset[str]
    cue: bool
    scoped: frozenset[str]
    topic: frozenset[str] = frozenset()


@cache
def _stop() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    light = cues().light_lemmas
    return frozenset(STOP_WORDS) | light | {norm(w) for w in light}


@lru_cache(maxsize=50000)
def _stems(text: str) -> tuple[frozenset[str], bool, frozenset[str]]:
    """Content stems of a text, whether it carries a negation cue, and the stems near a
    cue (three words before it to ten after: what a negation there could hold). No parse."""
    ws = words(text)
    stop = _stop()
    keep = [
        norm(w)
        if _wordlike(w) and len(w) > 2 and w not in stop and norm(w) not in stop and not is_cue(w)
        else ""
        for w in ws
    ]
    cue_at = [i for i, w in enumerate(ws) if is_cue(w)]
    near = {k for i in cue_at for k in keep[max(0, i - 3) : i + 11] if k}
    return frozenset(k for k in keep if k), bool(cue_at), frozenset(near)


@lru_cache(maxsize=50000)
def _sentences(text: str) -> tuple[str, ...]:
    return tuple(s for s in _SPLIT.split(text.strip()) if s)


def first_sentence(text: str) -> str:
    """A turn's first sentence ("" for an empty turn): where an answer says yes or no."""
    sents = _sentences(text)
    return sents[0] if sents else ""


def _lead(text: str) -> str:
    """The text lower-cased, with leading fillers and punctuation dropped ("uh, no")."""
    c = cues()
    ws = text.lower().split()
    while ws and (ws[0].strip(",.;:!") in c.answer_fillers or not ws[0].strip(",.;:!-")):
        ws = ws[1:]
    return " ".join(ws)


def nothing_else(segments: Sequence[Segment]) -> tuple[int, ...]:
    """Positions of each question asking for anything more ("anything else?", "any other
    concerns?": ``polarity.json``'s distinguishing words, "new" aside, with one of its
    "any" words) that the other speaker answers no, and of its answer: nothing else to
    report, as "no other complaints" says."""
    more = cues().distinguishing - {"new"}
    out: list[int] = []
    for i, (q, a) in enumerate(itertools.pairwise(segments)):
        text = q.text.rstrip()
        if not text.endswith("?") or q.speaker == a.speaker:
            continue
        said = set(words(_sentences(text)[-1]))  # "anything else?", not "is the other knee ...?"
        if more & said and cues().npi & said and answer_polarity(a.text) == "no":
            out.extend((i, i + 1))
    return tuple(out)


@PerSource
def source_nothing_else(source: Source) -> tuple[int, ...]:
    """:func:`nothing_else` of a source's segments, read once per source (every
    statement of a draft that denies anything more asks for it)."""
    return nothing_else(source.segments)


def answer_polarity(text: str) -> Literal["no", "yes"] | None:
    """Whether an utterance opens with an answer: ``no`` ("no", "nope", "not that I know
    of", "[no]", a head shake written as such), ``yes`` ("yeah", "uh-huh", "I do"), or None.
    """
    c = cues()
    lead = _lead(text)
    if degree_answer(words(lead)):
        return None  # "no, not every time", "not much": some of the time, no "no"
    if any(_framed(lead, f) for f in c.negative_answer_frames):
        return "no"  # "not that i noticed": no, whatever follows
    for phrases, value in ((c.negative_answers, "no"), (c.positive_answers, "yes")):
        for p in phrases:
            if lead.startswith(p) and _answer_ends(lead[len(p) :]):
                if value == "yes" and _denied_after(p, lead[len(p) :]):
                    return None  # "i have never had it": the clause goes on to deny
                return value  # type: ignore[return-value]
    return None


def _denied_after(said: str, rest: str) -> bool:
    """Whether a yes-like opening of a subject and its auxiliary ("i have", "i do") is
    denied by the word after it ("i have never had it", "i do not"): a negated clause,
    not a yes. A one-word "yes" is set off ("yes, no problems")."""
    ws = words(rest)
    return " " in said and bool(ws) and ws[0] in cues().negators


def quantified_answer(text: str) -> bool:
    """An answer that says how long, how often or how much, or only when, with no
    negation ("for the last ten years", "about twice a week", "sometimes I take a beer",
    "only at night"): it grants what the yes/no question asks, as "yes" does
    (``polarity.json``'s ``quantified_answers``, or a number)."""
    c = cues()
    first = _sentences(text)[:1]
    lead = _lead(first[0]) if first else ""
    ws = words(lead)
    if not ws or len(ws) > _QUANTIFIED_WORDS or any(is_cue(w) for w in ws):
        return False
    if ws[0].isdigit() or ws[0] in load_lexicons().quantities.cardinals:
        return True
    return any(re.match(rf"{re.escape(p)}\b", lead) for p in c.quantified_answers)


def _framed(lead: str, frame: str) -> bool:
    """Whether an answer opens with a frame of ``negative_answer_frames``, not followed by
    a distinguishing word ("nothing else" answers "anything else?", not the question)."""
    if not re.match(rf"{re.escape(frame)}\b", lead):
        return False
    rest = words(lead[len(frame) :])
    return not (rest and rest[0] in cues().distinguishing)


def _answer_ends(rest: str) -> bool:
    """After an answer word: the end, punctuation, or a word that goes on answering ("no
    i haven't"), not the thing denied ("no fever" is a denial of its own)."""
    if not rest:
        return True
    if rest[0].isalnum() or rest[0] == "'":
        return False
    rest = rest.lstrip()
    if not rest or not rest[0].isalnum():
        return True
    return rest.split()[0] in cues().answer_continuations


def _asks(sentence: str) -> bool:
    """A question, punctuated or not ("have you had any fever or chills")."""
    if sentence.rstrip().endswith("?"):
        return True
    ws = words(sentence)
    return _asks_you(ws) or _opens_question(ws)


def _opens_question(ws: list[str]) -> bool:
    """Whether words open with "any" or an auxiliary after any preamble ("sure, any
    problems sleeping", "so does the pain radiate")."""
    c = cues()
    lead = 0
    while lead < len(ws) and ws[lead] in c.question_preambles:
        lead += 1
    return lead < len(ws) and (ws[lead] == "any" or ws[lead] in c.question_openers)


def _asks_you(ws: list[str]) -> bool:
    """Whether words hold a question to the listener ("do you", "are you")."""
    openers = cues().question_openers
    ws = [w.lower() for w in ws]
    return any(a in openers and b == "you" for a, b in itertools.pairwise(ws))


def _question(text: str) -> str | None:
    """The last sentence of a turn when it asks a yes/no question, else None."""
    sents = _sentences(text)
    return _yes_no(_asked_part(sents[-1])) if sents else None


def _yes_no(question: str) -> str | None:
    """The question if it asks yes or no (not a wh-question, not a tag), else None. "How
    about X?" and "what about X?" ask whether X, as the question before them did of its
    own thing ("any fever? how about vomiting?")."""
    ws = words(question)
    if not ws or not _asks(question) or ws[-1] in cues().tag_questions:
        return None
    if ws[0] in _WH and ws[1:2] != ["about"]:
        return None
    return question


def _questions_denied(text: str) -> tuple[str, ...]:
    """The yes/no questions a turn ends with, that a "no" to it denies each of ("do you
    get any tingling? any trouble with your balance?" - "no"): its last question and the
    plain questions just before it, back to a sentence that asks nothing else (at most
    ``_RUN_OF_QUESTIONS``). A "yes" to such a run grants only its last: which one?"""
    last = _question(text)
    if last is None:
        return ()
    out = [last]
    for sent in reversed(_sentences(text)[:-1][-(_RUN_OF_QUESTIONS - 1) :]):
        q = _yes_no(sent)
        if q is None or _split_asked(q)[0] or _stems(q)[1]:
            break  # a remark, a wh-question, or a negative question ("you never smoked?")
        out.append(q)
    return tuple(out)


def _asked_part(sentence: str) -> str:
    """Where an unpunctuated turn goes on to ask, the words from its last question on: a
    question opener with "you" or an "any", after a word that opens a new utterance
    ("so your pressure is up so do you have headaches", "okay so epigastric pain alright
    any blood in your stool"); else the whole sentence."""
    said, asked = _split_asked(sentence)
    return asked if said else sentence


def _split_asked(sentence: str) -> tuple[str, str]:
    """An unpunctuated turn cut where it goes on to ask (:func:`_asked_part`): what it
    says before, and the question; ("", sentence) where it does not go on to ask."""
    c = cues()
    toks = sentence.split()
    low = [t.lower().strip(",.;:!?") for t in toks]
    boundary = c.question_preambles - _WH
    for k in range(len(low) - 1, 0, -1):
        asks = low[k] == "any" or _asks_you(low[k : k + 2])
        if asks and (low[k - 1] in boundary or toks[k - 1][-1] in ",;:"):
            return " ".join(toks[:k]), " ".join(toks[k:])
    return "", sentence


@dataclass
class _SourceViews:
    """A source's segment positions and, per position, the views it contributes."""

    where: dict[str, int]
    by_pos: dict[int, tuple[_View, ...]]


@PerSource
def _source_views(source: Source) -> _SourceViews:
    """The source's positions and views (filled as segments are read), per source."""
    return _SourceViews({s.id: i for i, s in enumerate(source.segments)}, {})


def _answered(source: Source, pos: int) -> tuple[tuple[str, ...], Segment, Segment, Mode] | None:
    """The questions a segment answers: (question sentences, question segment, answer,
    mode), or None."""
    seg = source.segments[pos]
    mode = answer_polarity(seg.text)
    granted = mode is None and quantified_answer(seg.text)
    if granted and pos > 0 and amount_of_its_own(source.segments[pos - 1].text, seg.text):
        granted = False  # "a little nausea": an amount of its own finding
    if mode is None and not granted and not _may_deny(seg.text):
        return None
    for back in (1, 2):
        if pos - back < 0:
            break
        prev = source.segments[pos - back]
        if prev.speaker is not None and prev.speaker == seg.speaker:
            continue
        if mode is None and not granted:
            # "have you had a colonoscopy?" - "i haven't had one": parsed only here
            if (
                _question(prev.text) is None
                or pro_form_answer(first_sentence(seg.text), prev.text) is None
            ):
                return None
            mode = "no"
        if mode == "no":
            return _questions_denied(prev.text), prev, seg, mode
        q = _question(prev.text)
        if q is None or (granted and not _asks_whether(q)):
            return None  # "around what time did it happen?" - "about an hour ago"
        if _answers_earlier(q, prev.text, seg.text):
            return None
        return (q,), prev, seg, "yes"
    return None


def _answers_earlier(question: str, turn: str, answer: str) -> bool:
    """A yes whose own words name something the turn asked before its last question and
    nothing of that question ("are you coughing anything up, any swelling in your legs?"
    - "yeah, i've been coughing up phlegm"): it answers the earlier question, so it is no
    yes to the last."""
    said = _stems(canonical(first_sentence(answer)))[0]
    asked = _stems(canonical(question))[0]
    before = _stems(canonical(turn))[0] - asked
    return bool(said & before) and not said & asked


def granted(question: str, answer: str) -> bool:
    """Whether an answer grants a turn's closing yes/no question by saying how long, how
    often or how much ("are you married?" - "for ten years"; "do you drink?" - "about
    twice a week"): a :func:`quantified_answer` to a question that asks whether."""
    if not quantified_answer(answer) or amount_of_its_own(question, answer):
        return False
    q = _question(question)
    return q is not None and _asks_whether(q)


def _may_deny(text: str) -> bool:
    """A cheap gate before :func:`pro_form_answer`'s parse: a turn whose first sentence
    carries a negation word."""
    return any(w in cues().negators for w in words(first_sentence(text)))


def _asks_whether(question: str) -> bool:
    """A question that opens with an auxiliary or "any" and holds no wh-word: it asks
    whether, not when, how long or how often, so an answer of how long grants it."""
    ws = words(question)
    return not _WH & set(ws) and _opens_question(ws)


def _view(text: str, ids: tuple[str, ...], mode: Mode, shown: str) -> _View | None:
    canon = canonical(text)
    stems, cue, near = _stems(canon)
    if mode in ("no", "yes") and len(stems) > _MAX_QUESTION_STEMS:
        return None  # a yes or no answers no one thing of a long turn
    if mode == "yes" and cue:
        return None  # "no pain?" - "yes" may mean either; "no pain?" - "no" denies it
    return _View(canon, ids, mode, shown, stems, cue, stems if mode == "no" else near)


def _plain_views(seg: Segment) -> list[_View | None]:
    out: list[_View | None] = []
    for sent in _sentences(seg.text):
        if not _asks(sent):
            # "okay so epigastric pain alright | any blood in your stool": the remark is
            # said, what follows it only asked
            said = _split_asked(sent)[0] or sent
            out.append(_view(said, (seg.id,), "plain", said))
        # a long run holds its denials even where a question is asked in it ("... do you
        # have any pain ... no peritoneal signs no rebound ..."): each is cut out alone
        if len(sent.split()) > _LONG_RUN:
            out.extend(_view(r, (seg.id,), "run", r) for r in _runs(sent))
            out.extend(_view(p, (seg.id,), "said", p) for p in _said_pieces(sent))
    return out


def _said_pieces(sentence: str) -> list[str]:
    """What a long unpunctuated run says outside its denials and questions ("... no
    carotid bruits | your lung exam you've got some rales | ... | on your extremity exam
    you've got one plus edema on your ankles | no calf tenderness"): the stretches with
    no negation cue and no question, cut before each phrase opener or clause opener (as
    :func:`_phrase_end` cuts a denial), each with a full stop: short enough to parse well,
    so that an affirmation said in a run is read as said."""
    c = cues()
    stops = c.contrast_words | c.clause_openers
    ws = sentence.split()
    low = [w.lower().strip(".,;:!?") for w in ws]
    pieces: list[tuple[bool, list[str]]] = [(False, [])]  # (opened by a cue, words)
    for k, w in enumerate(low):
        if is_cue(w):
            pieces.append((True, []))
        elif w in stops or (w in c.phrase_openers and k and low[k - 1] not in c.prepositions):
            pieces.append((False, []))
        pieces[-1][1].append(ws[k])
    texts = (" ".join(p) for denied, p in pieces if not denied and len(p) >= 3)
    return [t + "." for t in texts if not _asks(t)]


def _runs(sentence: str) -> list[str]:
    """Each denial of a long unpunctuated run ("... i do n't appreciate any murmur no rub
    no gallop your lungs are clear ..."): from its cue (with the two words before a "not")
    to where its phrase ends (:func:`_phrase_end`), at most seven words on, with a full
    stop: short enough to parse well. A negation of a question asked in the run is none."""
    ws = sentence.split()
    low = [w.lower().strip(".,;:!?") for w in ws]
    at = [i for i, w in enumerate(low) if is_cue(w)]
    out = []
    for n, i in enumerate(at):
        if n and at[n - 1] == i - 1:
            continue  # "no no carotid bruit" is one denial
        nxt = next((j for j in at[n + 1 : n + 3] if j > i + 1), len(ws))  # sorted: one on
        start = i - 2 if ws[i].lower() in {"not", "n't", "never"} else i  # "i do n't ..."
        if "subject" in cues().absence_words.get(low[i], ()):
            start = _phrase_start(low, i)  # "... drawer and mcmurray tests are negative"
        if _asks_you(ws[max(0, start - 3) : i + 1]):
            continue  # "... are you not sleeping": a question, no denial
        out.append(" ".join(ws[max(0, start) : _phrase_end(low, i, min(nxt, i + 7))]) + ".")
    return out


def _phrase_start(low: list[str], cue: int) -> int:
    """Where the subject of a result word said after it starts in a run's lower-cased
    words ("okay so | lachman and mcmurray tests are all negative", "| your drawer sign
    is negative"): after a contrast, a clause opener or another cue, at a phrase opener,
    at most ``_SUBJECT_WORDS`` words back."""
    c = cues()
    stops = c.contrast_words | c.clause_openers
    for k in range(cue - 1, max(-1, cue - _SUBJECT_WORDS - 1), -1):
        if low[k] in stops or is_cue(low[k]):
            return k + 1
        if low[k] in c.phrase_openers:
            return k
    return max(0, cue - _SUBJECT_WORDS)


def _phrase_end(low: list[str], cue: int, end: int) -> int:
    """Where the denial at ``cue`` ends in a run's lower-cased words, at most ``end``:
    before a contrast, a new clause or a new phrase (``polarity.json``'s phrase openers,
    "your", "there's", where no preposition precedes: "no carotid bruits | your lung
    exam", not "no swelling in your neck"). A fragment cut there parses as the phrase it
    is."""
    c = cues()
    stops = c.contrast_words | c.clause_openers
    for k in range(cue + 2, end):
        if low[k] in stops or (low[k] in c.phrase_openers and low[k - 1] not in c.prepositions):
            return k
    return end


def _segment_views(source: Source, data: _SourceViews, pos: int) -> tuple[_View, ...]:
    """A segment's own sentences, and the question it asks or answers with its answer."""
    hit = data.by_pos.get(pos)
    if hit is not None:
        return hit
    seg = source.segments[pos]
    found = _plain_views(seg)
    before = _asked_before(source, pos)
    if before:  # "how is the metformin?" - "no problems with *it*": what "it" may be
        found = [v and replace(v, topic=before) for v in found]
    for p in (pos, pos + 1, pos + 2):
        if p >= len(source.segments):
            break
        qa = _answered(source, p)
        if qa is None or (p != pos and qa[1].id != seg.id):
            continue
        asked, qseg, aseg, mode = qa
        for q in asked:
            if mode == "no" and _no_but_it(q, aseg.text):
                continue
            said = mode
            if said == "yes" and _stems(q)[1] and _stems(aseg.text)[1]:
                said = "no"  # "you never had surgery?" - "correct, i never have"
            view = _view(q, (qseg.id, aseg.id), said, f"{q} - {aseg.text}")
            found.append(view and replace(view, topic=_topic(source, data.where[qseg.id])))
    data.by_pos[pos] = tuple(v for v in found if v is not None)
    return data.by_pos[pos]


def _no_but_it(question: str, answer: str) -> bool:
    """Whether a no goes on to affirm the asked finding itself ("any chest pain?" - "not
    really, just some soreness from coughing"; "any allergies?" - "no, just seasonal
    allergies"), in the answer's first sentence and of now ("no, I haven't. My last
    seizure was a year ago" still denies): no denial of it. A pain of no site is the
    asked site's."""
    from evident.verify.facts import analyze

    first = re.split(r"[.?!]", answer, maxsplit=1)[0]  # the answer's own sentence
    rest = re.split(r"[,;]", first, maxsplit=1)[1:]
    if not rest:
        return False
    asked = {f.key for f in analyze(question).facts if f.kind == "finding"}
    said = {
        f.key
        for f in analyze(rest[0]).facts
        if f.kind == "finding" and f.polarity in {"affirmed", "uncertain"} and not f.historical
    }
    return bool(asked & with_asked_site(said, asked))


def _asked_before(source: Source, pos: int) -> frozenset[str]:
    """The content stems of the question another speaker asked just before the segment
    at ``pos`` (empty when the turn before asks nothing): a pronoun in the answer may
    stand for what it names."""
    if pos == 0:
        return frozenset()
    prev, seg = source.segments[pos - 1], source.segments[pos]
    if prev.speaker is not None and prev.speaker == seg.speaker:
        return frozenset()
    sents = _sentences(prev.text)
    return _stems(sents[-1])[0] if sents and _asks(sents[-1]) else frozenset()


def _topic(source: Source, pos: int) -> frozenset[str]:
    """The content stems of the question at ``pos`` and of the turns just before it:
    what a pronoun in the question ("does it radiate?") can stand for."""
    turns = source.segments[max(0, pos - _TOPIC_TURNS) : pos + 1]
    return frozenset().union(*(_stems(t.text)[0] for t in turns))


def _views(candidates: Sequence[Segment], source: Source) -> list[_View]:
    """The candidates' sentences and the questions they ask or answer, each once."""
    data = _source_views(source)
    seen: set[tuple[str, Mode]] = set()
    out: list[_View] = []
    for cand in candidates:
        pos = data.where.get(cand.id)
        found = _plain_views(cand) if pos is None else _segment_views(source, data, pos)
        for v in found:
            if v is not None and (v.text, v.mode) not in seen:
                seen.add((v.text, v.mode))
                out.append(v)
    return out
