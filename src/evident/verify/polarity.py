"""The structural polarity checker: a claim affirmed where the source denies it, or denied
where the source affirms it, read from the dependency parse of both sides.

:func:`check_polarity` reads negation, its scope and its target for any predicate
(:mod:`evident.verify._polarity_read`), including answers in dialogue ("any joint pain?" -
"no" denies joint pain; "yeah" affirms it). Parsing is the cost, so only what can matter
is parsed: source sentences among the candidates that carry a negation cue or answer a
question and share a word with the statement, and the statement itself; parses are
cached per text.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from typing import Any

from evident.types import Segment, Source
from evident.verify._borne_out import overlap
from evident.verify._directions import opposed_directions
from evident.verify._null_results import null_conflict
from evident.verify._parse_repair import repair_parse
from evident.verify._polarity_answers import answer_conflict, answer_result
from evident.verify._polarity_cues import canonical, cues, norm
from evident.verify._polarity_cues import clear_caches as _clear_cue_caches
from evident.verify._polarity_cues import words as tokens
from evident.verify._polarity_degree import other_circumstance, other_degree, other_side
from evident.verify._polarity_parity import (
    MAX_TOKENS,
    WordPolarity,
    could_align,
    parity_conflict,
    read_word_polarities,
)
from evident.verify._polarity_read import Claim, read_claims
from evident.verify._polarity_statement import _field_reading, _list_denial
from evident.verify._polarity_views import (
    _MAX_STEMS,
    _sentences,
    _source_views,
    _stems,
    _View,
    _views,
    answer_polarity,
)
from evident.verify._sources import source_label
from evident.verify.clause import earlier_episodes
from evident.verify.decide import CheckResult

__all__ = [
    "answer_polarity",
    "check_polarity",
    "claims_of",
    "clear_caches",
    "docs_of",
    "polarity_texts",
    "trusted",
]

_PARSE_CACHE: OrderedDict[str, tuple[Claim, ...]] = OrderedDict()
# parses of short texts and the words read from them, for :func:`words_of`
_DOCS: OrderedDict[str, Any] = OrderedDict()
_WORDS_CACHE: OrderedDict[str, tuple[WordPolarity, ...]] = OrderedDict()
_DOCS_SIZE = 2000
_PARSE_CACHE_SIZE = 20000
_SNIPPET = 90


def claims_of(texts: Sequence[str]) -> dict[str, tuple[Claim, ...]]:
    """Parse texts (cached per text, batched with ``nlp.pipe``) into their claims.

    Args:
        texts: Sentences or short passages.

    Returns:
        Each text's claims over all its sentences.
    """
    missing = list(dict.fromkeys(t for t in texts if t not in _PARSE_CACHE))
    if missing:
        from evident.nlp import load_english

        nlp = load_english(("parser", "lemmatizer"))
        for text, doc in zip(missing, nlp.pipe(missing, batch_size=64), strict=True):
            repair_parse(doc)
            _PARSE_CACHE[text] = tuple(c for sent in doc.sents for c in read_claims(sent))
            if len(_PARSE_CACHE) > _PARSE_CACHE_SIZE:
                _PARSE_CACHE.popitem(last=False)
            if len(doc) <= MAX_TOKENS:  # kept a while for :func:`words_of`
                _DOCS[text] = doc
                if len(_DOCS) > _DOCS_SIZE:
                    _DOCS.popitem(last=False)
    return {t: _PARSE_CACHE[t] for t in texts}


def docs_of(texts: Sequence[str]) -> dict[str, Any]:
    """The parses :func:`claims_of` made of texts, kept a while; the missing ones (never
    parsed, or parsed long ago) are parsed again in one batch. None for a text too long
    to keep (over ``MAX_TOKENS`` tokens)."""
    missing = [t for t in dict.fromkeys(texts) if t not in _DOCS]
    for text in missing:
        _PARSE_CACHE.pop(text, None)
    claims_of(missing)
    return {t: _DOCS.get(t) for t in texts}


def words_of(texts: Sequence[str]) -> dict[str, tuple[WordPolarity, ...]]:
    """Texts' content words with their polarity, read from the parses :func:`docs_of`
    keeps; read only for the few texts the aligned-wording check compares."""
    todo = [t for t in texts if t not in _WORDS_CACHE]
    for text, doc in docs_of(todo).items():
        got = () if doc is None else tuple(w for s in doc.sents for w in read_word_polarities(s))
        _WORDS_CACHE[text] = got
        if len(_WORDS_CACHE) > _DOCS_SIZE:
            _WORDS_CACHE.popitem(last=False)
    return {t: _WORDS_CACHE[t] for t in texts}


def clear_caches() -> None:
    """Forget every parse and source view (for measuring a cold start)."""
    _PARSE_CACHE.clear()
    _WORDS_CACHE.clear()
    _DOCS.clear()
    _source_views.cache_clear()
    for f in (_stems, _sentences):
        f.cache_clear()
    _clear_cue_caches()


def _same_person(a: Claim, b: Claim) -> bool:
    return a.family == b.family


def trusted(claims: Sequence[Claim], *, hedged: bool = False) -> list[Claim]:
    """The statement's claims it can be held to: of its main clauses, not hedged (unless
    ``hedged``), and not a head it both denies and affirms (a parse it cannot trust)."""
    denied_here = {c.head for c in claims if c.negated}
    return [
        c
        for c in claims
        if (hedged or not c.hedged)
        and not c.subordinate
        and (c.negated or c.head not in denied_here)
    ]


def _matches(a: Claim, b: Claim) -> bool:
    """Same content: the same head (or one side's head the other's modifier, see
    :func:`_predicated`), each side's head phrase within the other's clause, the same
    experiencer, no verb done to other things (:func:`_other_objects`), and the clauses'
    other words shared unless one side names nothing else ("no." to "were you
    admitted?"; not "it didn't help", whose "it" is elsewhere, unless its sentence
    names what the other side names before it: "I tried ibuprofen but it didn't help")."""
    a_core, b_core = _named(a), _named(b)
    same = a.head == b.head or _predicated(a, b) or _predicated(b, a)
    same = same or (
        (a.head in _light_stems() or b.head in _light_stems()) and bool(a_core & b_core)
    )
    if not same or not (a_core <= b.content and b_core <= a.content):
        return False
    if _result_and_act(a, b) or _result_and_act(b, a):
        return False
    if not _same_person(a, b) or _other_objects(a, b):
        return False
    a_args, b_args = a.content - a.core, b.content - b.core
    if a_args & b_args:
        return True
    if (not a_args and not a.anaphoric) or (not b_args and not b.anaphoric):
        return True
    # "I tried ibuprofen but it didn't help" - "Ibuprofen helped": the pronoun's referent
    return (not b_args and bool(a_args & (b.antecedents - b.core))) or (
        not a_args and bool(b_args & (a.antecedents - a.core))
    )


@cache
def _light_stems() -> frozenset[str]:
    return frozenset(norm(w) for w in cues().light_lemmas)


def _named(c: Claim) -> frozenset[str]:
    """A claim's head phrase without its head where the head is a light noun and the
    phrase names more: "no Murphy sign" is of "Murphy" (as "positive Murphy sign" is),
    "no evidence of a Babinski sign" of "Babinski"."""
    rest = c.core - {c.head}
    return rest if rest and c.head in _light_stems() else c.core


def _result_and_act(a: Claim, b: Claim) -> bool:
    """A negative result of a test or sign against a plain affirmation of it: "review of
    systems negative" and "I reviewed your systems", "pregnancy test negative" and "we
    did a pregnancy test" (what was found, and that it was done: no conflict)."""
    return a.tested and a.negated and not b.tested and not b.negated


def _other_objects(a: Claim, b: Claim) -> bool:
    """Two verb claims done to different things: "associated with lower LDL" and
    "associated with a change in mortality", "takes metformin" and "takes lisinopril"
    (neither says "it", which may be anything)."""
    if a.anaphoric or b.anaphoric or not (a.objects and b.objects):
        return False
    return not a.objects & b.objects


def _predicated(a: Claim, b: Claim) -> bool:
    """``a`` says of a thing what ``b`` names as its modifier: "(stools) look dark" and
    "dark stools", "(the skin) is not yellow" and "yellow skin" (a predicate adjective
    of the other's head)."""
    return a.head in b.core and b.head in a.content


def _same_referent(st: Claim, src: Claim, st_stems: frozenset[str], view: _View) -> bool:
    """Two anaphoric claims of the same head ("it helps" - "it doesn't help") whose
    sentences name the same other thing outside the claims' clauses (the drug "it" is):
    the referent is shared, so the claims are of one thing."""
    if not (st.anaphoric and src.anaphoric and st.head == src.head):
        return False
    if not (st.core <= src.content and src.core <= st.content and _same_person(st, src)):
        return False
    return bool((st_stems - st.content) & (view.stems - src.content))


def _asked_of_it(st: Claim, src: Claim, view: _View) -> bool:
    """A question's pronoun subject stands for what the talk is about: "does it radiate?"
    - "no", a few turns after the chest pain was named, denies "the chest pain radiates".
    The statement's subject must be named in the question or the turns before it
    (``_View.topic``); the rest is matched as :func:`_matches` does, without it."""
    if view.mode == "plain" or not src.anaphoric or not st.subject or st.anaphoric:
        return False
    core = st.core - st.subject  # "the ankle swells" may be read as one phrase
    if not core or not st.subject <= view.topic:
        return False
    st = replace(st, core=core, content=st.content - st.subject)
    return _matches(st, replace(src, anaphoric=False))


def _source_claims(
    view: _View, parsed: dict[str, tuple[Claim, ...]], spoken: bool
) -> tuple[Claim, ...]:
    """A view's claims as the source asserts them. In dialogue a bare phrase may echo a
    question and "any" asks one: neither affirms."""
    claims = tuple(c for c in parsed.get(view.text, ()) if not c.subordinate)
    if view.mode != "plain":  # what the question presupposes ("does the pain go ..."),
        # and when it asks about ("... when you walk?")
        claims = tuple(c for c in claims if not c.definite and not c.timing)
    if view.mode == "no":  # "do you know what kind it was?" - "no" denies no kind
        return tuple(replace(c, negated=True, hedged=False) for c in claims if not c.known)
    if view.mode == "yes":
        return tuple(replace(c, hedged=False) for c in claims if not c.negated)
    if view.mode == "run":
        return tuple(c for c in claims if c.negated)
    if view.mode == "said":
        return tuple(c for c in claims if not c.negated and (not spoken or c.clausal))
    if spoken:
        return tuple(c for c in claims if c.negated or (c.clausal and not c.npi))
    return claims


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SNIPPET else text[: _SNIPPET - 3] + "..."


def _timed_apart(src: Claim, st: Claim) -> bool:
    """A denial of now against a statement of no time or of the past ("no diarrhea
    today", "former smoker" - "I haven't smoked in years"), or a past against a statement
    of now, is no conflict."""
    now_only = src.negated and src.present and not st.present  # "no diarrhea today"
    return (
        now_only
        or (st.past and not st.present and src.negated and not src.past)
        or (src.past and st.present and not st.past)
    )


def _gate(st_stems: frozenset[str], views: list[_View], *, derived: bool = False) -> list[_View]:
    """The views worth parsing for a denial: short enough to parse well, sharing a content
    word with the statement where a negation could hold it (near a cue, or in a question
    answered no). With ``derived``, a word and its derivation alike (:func:`overlap`:
    "injury" in the statement, "did you injure it?" - "no" in the source)."""
    heads = {s[:4] for s in st_stems if len(s) >= 4} if derived else set()

    def shares(scoped: frozenset[str]) -> bool:
        if st_stems & scoped:
            return True
        return bool(heads & {s[:4] for s in scoped}) and overlap(st_stems, scoped)

    return [
        v
        for v in views
        if (v.cue or v.mode == "no") and len(v.stems) <= _MAX_STEMS and shares(v.scoped)
    ]


def _first_reading(
    statement: str, candidates: Sequence[Segment], source: Source
) -> tuple[str, frozenset[str], list[_View], list[_View], bool] | None:
    """What :func:`check_polarity` reads first: the statement as read, its stems, the
    candidates' views, those worth parsing and whether the statement's own denial could
    be affirmed by one; None when there is nothing to parse."""
    statement = canonical(_field_reading(statement))
    st_stems, st_cue, _ = _stems(statement)
    if not st_stems:
        return None
    every = _views(candidates, source)
    views = _gate(st_stems, every)
    need = min(2, len(st_stems))
    st_cue = st_cue and any(
        v.mode in ("plain", "yes")
        and len(v.stems) <= _MAX_STEMS
        and len(st_stems & v.stems) >= need
        for v in every
    )
    if not views and not st_cue:
        return None
    return statement, st_stems, every, views, st_cue


def polarity_texts(statement: str, candidates: Sequence[Segment], source: Source) -> list[str]:
    """The texts :func:`check_polarity` parses first for this statement: a verification
    parses them for all its statements in one batch (spaCy parses a batch at about half
    the cost per text of one text at a time)."""
    first = _first_reading(statement, candidates, source)
    return [] if first is None else [first[0]] + [v.text for v in first[3]]


def check_polarity(
    statement: str, candidates: Sequence[Segment], source: Source
) -> CheckResult | None:
    """Compare the polarity of the statement's predicates with the source's.

    Args:
        statement: The statement's text.
        candidates: Segments retrieved for it (questions and answers next to them are
            looked at too).
        source: The source the candidates belong to.

    Returns:
        ``conflict`` when the statement affirms what a source segment denies (or denies
        what one affirms) with nothing in the candidates saying it as the statement does;
        ``agree`` when a denial in the statement is found denied; None otherwise.
    """
    first = _first_reading(statement, candidates, source)
    if first is None:
        return None
    statement, st_stems, every, views, st_cue = first
    parsed = claims_of([statement] + [v.text for v in views])
    mine = _list_denial(statement, parsed[statement])
    if st_cue:  # views that could affirm what the statement denies: all its head phrase
        wanted = [c.core for c in mine if c.negated and not c.hedged]
        more = [
            v
            for v in every
            if v.mode in ("plain", "yes")
            and v not in views
            and len(v.stems) <= _MAX_STEMS
            and any(w <= v.stems for w in wanted)
        ]
        if more:
            parsed.update(claims_of([v.text for v in more]))
            views += more
    st_claims = trusted(mine)
    spoken = source.kind == "transcript"
    src = [
        (v, _resolved(c, v))
        for v in views
        for c in _source_claims(v, parsed, spoken)
        if not c.hedged
    ]
    label = source_label(source)
    # "never had chest pain before": a denial of earlier episodes, not of this one
    earlier = earlier_episodes(tokens(statement))
    agree: CheckResult | None = None
    for s in st_claims:
        paired = [
            (v, c)
            for v, c in src
            if _matches(s, c)
            or _same_referent(s, c, st_stems, v)
            or _asked_of_it(s, c, v)
            or null_conflict(s, c)
        ]
        same = [(v, c) for v, c in paired if c.negated == s.negated]
        opposed = [
            (v, c)
            for v, c in paired
            if c.negated != s.negated
            and not _timed_apart(c, s)
            and not (earlier and s.negated and not c.past)
            and not other_circumstance(s, c)
            and not other_degree(s, c)
            and not other_side(s, c)
        ]
        if opposed and not same and (s.negated or not _affirmed_elsewhere(s, every, spoken)):
            v, c = opposed[0]
            side = "denies" if c.negated else "affirms"
            other = "affirms" if c.negated else "denies"
            reason = (
                f'{label} {side} {c.phrase} ({"-".join(v.segments)}: "{_snippet(v.shown)}"),'
                f" note {other} it"
            )
            return CheckResult("polarity", "conflict", reason, v.segments)
        if s.negated and same and agree is None:
            v, c = same[0]
            reason = f"{label} also denies {c.phrase} ({'-'.join(v.segments)})"
            agree = CheckResult("polarity", "agree", reason, v.segments, s.core)
    answered = answer_conflict(statement, st_claims, every)
    if answered is not None:
        return answer_result(label, *answered)
    twice = _twice_negated(st_claims, every, label)
    if twice is not None or agree is not None:
        return twice or agree
    return _parity(statement, st_stems, every, label)


def _resolved(c: Claim, view: _View) -> Claim:
    """An answer's anaphoric claim with what the question before it names among its
    antecedents ("how is the metformin?" - "no problems with it": "it" may be the
    metformin), where its own sentence names none before it."""
    if view.mode != "plain" or not c.anaphoric or not view.topic or c.antecedents - c.core:
        return c  # "i tried naproxen but it didn't help": "it" is named in its sentence
    return replace(c, antecedents=c.antecedents | view.topic)


def _family(claims: Sequence[Claim]) -> frozenset[str]:
    return frozenset(f for c in claims for f in c.family)


def _parity(
    statement: str, st_stems: frozenset[str], every: list[_View], label: str
) -> CheckResult | None:
    """A statement worded nearly as one source sentence with a shared word negated the
    other way (:mod:`evident.verify._polarity_parity`), among the candidates' sentences
    said plainly that share most of the statement's words. A denial of one aspect is not
    read against a sentence that names the opposite one ("no lateral joint line
    tenderness" - "tender along the medial joint line, not the lateral side")."""
    denies = _stems(statement)[1]
    plain = [
        v
        for v in every
        if v.mode == "plain"
        and len(v.stems) <= _MAX_STEMS
        and could_align(st_stems, v.stems)
        and not (denies and opposed_directions(st_stems, v.stems, "norm", strict=False))
    ]
    if not plain:
        return None
    parsed = words_of([statement] + [v.text for v in plain])
    claims = claims_of([statement] + [v.text for v in plain])
    mine = _family(claims[statement])
    plain = [v for v in plain if _family(claims[v.text]) == mine]  # the same person
    found = parity_conflict(parsed[statement], [(v, parsed[v.text]) for v in plain])
    if found is None:
        return None
    v, stems, negated = found
    word = " ".join(dict.fromkeys(w.word for w in parsed[v.text] if w.stem in stems))
    side, other = ("denies", "affirms") if negated else ("affirms", "denies")
    reason = (
        f'{label} {side} {word} ({"-".join(v.segments)}: "{_snippet(v.shown)}"), note {other} it'
    )
    return CheckResult("polarity", "conflict", reason, v.segments)


def _twice_negated(claims: Sequence[Claim], views: list[_View], label: str) -> CheckResult | None:
    """A claim a draft negates twice ("does not have no allergies") affirms it, which
    no clinician writes that way: it is borne out only where a candidate says it plainly
    (without a negation), else it is a missing fact (``denial``: a fact checker that
    reads the inner negation alone and finds it denied does not bear it out)."""
    for s in claims:
        if s.negations >= 2 and not s.negated and not _said_plainly(s, views):
            reason = f"{label} never affirms {s.phrase} (the note negates it twice)"
            return CheckResult("denial", "missing", reason, (), s.core)
    return None


def _naming(s: Claim, views: list[_View]) -> list[_View]:
    """The candidate sentences without any negation cue that name the statement's head
    phrase."""
    return [v for v in views if v.mode == "plain" and not v.cue and s.core <= v.stems]


def _said_plainly(s: Claim, views: list[_View]) -> bool:
    """Whether a candidate sentence without any negation cue names the statement's head
    phrase (the source may say it both ways: then the denial does not decide)."""
    return bool(_naming(s, views))


def _affirmed_elsewhere(s: Claim, views: list[_View], spoken: bool) -> bool:
    """Whether a candidate sentence affirms the statement's claim as the parse reads it
    (the same content, unhedged, in a main clause): a sentence that only names its words
    ("whether X reduces Y", "the pain it was for") does not, nor one that also denies it.
    A sentence with no negation cue that names a bare phrase ("Dyspnea.") says it."""
    plain = _naming(s, views)
    if plain and not (s.content - s.core or s.antecedents):
        return True  # a bare phrase ("Dyspnea.") is said wherever it is named
    # a sentence that denies something else may affirm it too, as its parse reads it
    # ("you've got pitting edema on your ankles no calf tenderness")
    cued = [
        v
        for v in views
        if ((v.mode == "plain" and v.cue) or v.mode == "said") and s.core <= v.stems
    ]
    read = plain + cued if plain else cued
    parsed = claims_of([v.text for v in read])
    for v in read:
        claims = _source_claims(v, parsed, spoken)
        if any(c.negated and s.core <= c.content for c in claims):
            continue
        if any(not c.negated and not c.hedged and _affirms(c, s) for c in claims):
            return True
    return False


def _affirms(src: Claim, st: Claim) -> bool:
    """A source claim that says at least what the statement's claim says: the same head,
    the statement's head phrase within its clause (it may say more: "a bad headache"
    affirms "a headache"), the same person, in a main clause ("whether it helps" asks),
    and of one of the things the statement's verb is done to or with, where it names
    any and the source's does not say "it": "associated with lower LDL" does not affirm
    "associated with a change in mortality"."""
    return (
        src.head == st.head
        and st.core <= src.content
        and _same_person(src, st)
        and not src.subordinate
        and (not st.objects or src.anaphoric or bool(st.objects & src.content))
        and _same_antecedent(src, st)
    )


def _same_antecedent(src: Claim, st: Claim) -> bool:
    """A statement's "it" that stands for a thing named before it ("Tylenol, but it
    helps") is affirmed only of that thing, named in the source claim's clause or
    before its own "it"; "she'll help you get the scan" says nothing of the Tylenol."""
    wanted = st.antecedents - st.core
    return not (st.anaphoric and wanted) or bool(wanted & (src.content | src.antecedents))
