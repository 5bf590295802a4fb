"""The offline engine: an extractive note from a transcript, no model and no network.

1. Read the conversation into classified sentence units (:mod:`evident.tasks.scribe.units`:
   speakers, swapped labels, the visit's phase, each unit's category).
2. Pick the patient's sex for pronouns (:mod:`evident.tasks.scribe.sex`).
3. Turn a clinician's yes/no question answered by the patient into "The patient
   reports/denies ..." (citing both utterances).
4. Score units by clinical content, keep the best within a word budget, and rewrite
   them minimally (:mod:`evident.tasks.scribe.rewrite`), keeping their citations.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from evident.tasks.scribe.prose import ProseInput, person_words, to_prose
from evident.tasks.scribe.rewrite import (
    Sex,
    clean,
    rewrite,
    third_person,
)
from evident.tasks.scribe.rules import rewrite_rules, section_rules
from evident.tasks.scribe.sex import detect_sex
from evident.tasks.scribe.units import (
    WORDS,
    Unit,
    classify,
    clinician,
    matchers,
    pattern,
    roles_swapped,
    split_units,
    swap_roles,
)
from evident.types import Section, Source, Statement

__all__ = [
    "EngineConfig",
    "Note",
    "Unit",
    "candidates",
    "detect_sex",
    "roles_swapped",
    "units_of",
    "write_note",
]


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(section_rules().stopwords)


@dataclass(frozen=True)
class EngineConfig:
    """Tunable numbers of the engine (defaults tuned on ACI-Bench train only).

    Attributes:
        words_per_dialogue_word: Note length as a share of the transcript's words.
        min_words: Lower bound of the note length, in words.
        max_words: Upper bound of the note length, in words.
        min_content_words: Units with fewer content words are dropped.
        max_unpunctuated_words: Longer sentences without sentence punctuation
            (speech-to-text output) are cut at discourse markers ("so", "okay", "are you").
        shares: Optional share of the length each category gets first (``{"plan": 0.3}``);
            what is left goes to the best remaining units whatever their category. Empty
            by default: on ACI-Bench train, quotas lowered ROUGE.
    """

    words_per_dialogue_word: float = 0.35
    min_words: int = 300
    max_words: int = 500
    min_content_words: int = 2
    max_unpunctuated_words: int = 8
    shares: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Note:
    """What the engine wrote.

    Attributes:
        sections: The sections, statements ``st1..stN`` in document order.
        sex: The sex used for pronouns.
        swapped: True when "doctor"/"patient" labels were read the other way round.
    """

    sections: tuple[Section, ...]
    sex: Sex
    swapped: bool = False


def units_of(sources: Sequence[Source], config: EngineConfig | None = None) -> list[Unit]:
    """Split every utterance (or note sentence) of the sources into sentence units."""
    cfg = config or EngineConfig()
    return split_units(sources, cfg.max_unpunctuated_words)


def _subject(sex: Sex) -> str:
    """How a sentence names the patient as its subject ("She", "He", "The patient")."""
    rules = rewrite_rules()
    first = rules.persons.get(sex, rules.persons["unknown"]).first
    return first[:1].upper() + first[1:]


def _question_answers(units: list[Unit], sex: Sex) -> list[Unit]:
    """Summarise "any fever?" / "no" pairs as "The patient denies fever."."""
    out: list[Unit] = []
    for q, a in itertools.pairwise(units):
        if not (q.question and clinician(q.speaker) and a.speaker == "patient"):
            continue
        if a.order[1] != 0 or len(WORDS.findall(a.text.lower())) > 8:
            continue
        m = pattern("yes_no_question").match(clean(q.text).lower())
        if m is None:
            continue
        what = third_person(m.group("what").strip(" ,."), q.speaker, sex)
        if len(WORDS.findall(what)) < 1 or len(what.split()) > 10:
            continue
        answer = clean(a.text).lower()
        if pattern("no_answer").match(answer):
            verb = "denies"
        elif pattern("yes_answer").match(answer):
            verb = "reports"
        else:
            continue
        what = _answered_items(what, answer)
        if not what:
            continue
        cat = "ros" if q.category in {"hpi", "ros"} else q.category
        note = f"The patient {verb} {what}."
        out.append(replace(a, citations=q.citations + a.citations, category=cat, note=note))
    return out


# Each section's first sentence names the patient; later ones may say "She"/"He".
_FIRST_MENTION = re.compile(r"^(?:She|He) ")
_CONTRAST = re.compile(r"\b(?:but|except|only|although|though|yes|yeah)\b")
_ITEM_SPLIT = re.compile(r"\s*(?:,\s*(?:or|and)?|\bor\b|\band\b)\s*")


def _answered_items(what: str, answer: str) -> str:
    """The items of a question that the answer covers, exactly as asked.

    A bare "no"/"yes" answers every item ("any fever or chills?" "no" -> "fever or
    chills"); an answer naming some of them answers only those ("no fever" -> "fever");
    an answer that says more than yes or no about a list answers nothing for certain.
    """
    items = [i for i in _ITEM_SPLIT.split(what) if i.strip()]
    tail = pattern("no_answer").sub("", pattern("yes_answer").sub("", answer, 1), 1)
    if _CONTRAST.search(tail):
        return ""
    noise = set(section_rules().answer_noise)
    rest = [w for w in _content(tail) if w not in noise]
    if not rest or len(items) < 2:
        return what if not rest or (len(items) < 2 and len(rest) <= 3) else ""
    named = [i for i in items if set(_content(i)) and set(_content(i)) <= set(rest)]
    if not named or set(rest) - {w for i in named for w in _content(i)}:
        return ""
    return " or ".join(named)


def _chief_complaint(units: list[Unit], sex: Sex) -> Unit | None:
    for u in units[:40]:
        if not clinician(u.speaker):
            continue
        m = pattern("chief_complaint").search(u.text.lower())
        if m and len(WORDS.findall(m.group("cc"))) >= 1:
            cc = m.group("cc").strip(" -'")
            text = third_person(cc, u.speaker, sex)
            return replace(u, category="chief_complaint", note=text[:1].upper() + text[1:] + ".")
    return None


def _content(text: str) -> list[str]:
    return [w for w in WORDS.findall(text.lower()) if w not in _stopwords()]


def _score(u: Unit) -> float:
    terms = matchers().terms
    words = _content(u.note or u.text)
    hits = sum(1 for w in words if w.startswith(terms))
    nums = sum(1 for w in words if w[0].isdigit())
    score = 2.0 * hits + nums + min(len(words), 15) / 5
    if u.note:
        score += 3.0
    if clinician(u.speaker) and u.category in {"exam", "results", "assessment", "plan"}:
        score *= 1.3
    return score


def _keep(u: Unit, cfg: EngineConfig) -> bool:
    if u.note:
        return True
    low = clean(u.text).lower()
    drops = matchers().drop
    if u.question or any(p.search(low) for p in drops):
        return False
    words = _content(u.text)
    if len(words) < cfg.min_content_words:
        return False
    # Short sentences stay only when they carry a clinical word or a number.
    terms = matchers().terms
    return len(words) >= 4 or any(w.startswith(terms) or w[0].isdigit() for w in words)


def _take(ranked: list[Unit], limit: float, chosen: dict[tuple[int, int], Unit]) -> int:
    """Add units from ``ranked`` while they fit in ``limit`` words; return the words used."""
    used = 0
    for u in ranked:
        if u.order in chosen:
            continue
        n = len((u.note or u.text).split())
        if used + n > limit:
            continue
        chosen[u.order] = u
        used += n
    return used


def _select(units: list[Unit], budget: int, cfg: EngineConfig) -> list[Unit]:
    """Keep the best units: first within each category's share, then the best of the rest."""
    ranked = sorted((u for u in units if _keep(u, cfg)), key=_score, reverse=True)
    chosen: dict[tuple[int, int], Unit] = {}
    used = 0
    for cat, share in cfg.shares.items():
        used += _take([u for u in ranked if u.category == cat], share * budget, chosen)
    _take(ranked, budget - used, chosen)
    return sorted(chosen.values(), key=lambda u: u.order)


def candidates(
    sources: Sequence[Source], sex: Sex | None = None, config: EngineConfig | None = None
) -> tuple[list[Unit], list[Unit], Sex, bool]:
    """Every unit the note may hold, written as prose, before selection.

    Returns:
        The candidates, all units of the conversation (classified), the sex used, and
        whether the speaker labels were read as swapped.
    """
    cfg = config or EngineConfig()
    units = units_of(sources, cfg)
    swapped = roles_swapped(units)
    if swapped:
        units = swap_roles(units)
    units = classify(units)
    sex = sex or detect_sex(units)
    qa = _question_answers(units, sex)
    answered = {u.order for u in qa}
    pool = [u for u in units if u.order not in answered] + qa
    return _as_prose(pool, units, sex, cfg), units, sex, swapped


def _placed(pool: list[Unit]) -> list[Unit]:
    """Move each unit to the note part the learned placement model gives it."""
    from evident.tasks.scribe.placement import PART_OF, features, load_model

    model = load_model()
    if model is None:
        return pool
    cues = matchers().cues
    out = []
    for u in pool:
        part = model.predict(features(_placement_words(u), u.category, u.speaker))
        if part and part != PART_OF.get(u.category):
            low = (u.note or u.text).lower()
            if part == "history":
                u = replace(u, category="hpi")
            elif part == "exam":
                u = replace(u, category="results" if cues["results"].search(low) else "exam")
            else:
                u = replace(u, category="plan" if cues["plan"].search(low) else "assessment")
        out.append(u)
    return out


def _placement_words(u: Unit) -> set[str]:
    from evident.tasks.scribe.quality import content_words

    return content_words(u.note or u.text)


def write_note(
    sources: Sequence[Source],
    sections: Mapping[str, Sequence[str]],
    sex: Sex | None = None,
    config: EngineConfig | None = None,
) -> Note:
    """Write an extractive note.

    Args:
        sources: Transcripts (utterance segments) or notes (sentence segments).
        sections: Section name -> internal categories it collects, in note order.
        sex: ``female``, ``male`` or ``unknown``; None detects it from the transcript.
        config: Tunable numbers; None uses the defaults.

    Returns:
        The sections with statements ``st1..stN`` in document order, the sex used, and
        whether the speaker labels were read as swapped.
    """
    cfg = config or EngineConfig()
    pool, units, sex, swapped = candidates(sources, sex, cfg)
    total = sum(len(u.text.split()) for u in units)
    budget = int(min(cfg.max_words, max(cfg.min_words, total * cfg.words_per_dialogue_word)))
    cc = _chief_complaint(units, sex)
    chosen = _select(_placed(pool), budget, cfg)
    if cc is not None:
        chosen.insert(0, cc)
    return Note(_assemble(chosen, sections, sex), sex, swapped)


def _as_prose(pool: list[Unit], units: list[Unit], sex: Sex, cfg: EngineConfig) -> list[Unit]:
    """The units worth keeping, each with its note text written as clinical prose."""
    before = {u.order: prev for prev, u in itertools.pairwise(units)}
    kept = [u for u in pool if _keep(u, cfg)]
    todo = [u for u in kept if not u.note]
    items = []
    for u in todo:
        prev = before.get(u.order)
        context = ""
        if prev is not None and prev.question and clinician(prev.speaker):
            context = third_person(clean(prev.text), prev.speaker, sex)
        text = rewrite(u.text, u.speaker, sex)
        items.append(ProseInput(text, u.speaker, u.category, context, _subject(sex)))
    written = dict(zip((u.order for u in todo), to_prose(items), strict=True))
    out = []
    for u in kept:
        if u.note:
            if not person_words(u.note):
                out.append(u)
        elif written[u.order][0]:
            text, category = written[u.order]
            out.append(replace(u, note=text, category=category))
    return out


def _assemble(
    chosen: list[Unit], sections: Mapping[str, Sequence[str]], sex: Sex
) -> tuple[Section, ...]:
    owner: dict[str, str] = {}
    for name, cats in sections.items():
        for cat in cats:
            owner.setdefault(cat, name)
    for cat, alternatives in section_rules().fallbacks.items():
        for alt in alternatives:
            if cat not in owner and alt in owner:
                owner[cat] = owner[alt]
    texts: dict[str, list[tuple[str, tuple[str, ...]]]] = {name: [] for name in sections}
    seen: set[str] = set()
    for u in chosen:
        found = owner.get(u.category)
        if found is None:
            continue
        name = found
        text = u.note or rewrite(u.text, u.speaker, sex)
        if u.category == "chief_complaint" and set(sections[name]) != {"chief_complaint"}:
            text = f"Chief complaint: {text[:1].lower()}{text[1:]}"
        key = text.lower()
        if len(text) < 4 or key in seen:
            continue
        seen.add(key)
        if not texts[name]:
            text = _FIRST_MENTION.sub("The patient ", text, count=1)
        texts[name].append((text, u.citations))
    out: list[Section] = []
    n = 0
    for name, items in texts.items():
        statements = []
        for text, cites in items:
            n += 1
            statements.append(
                Statement(
                    id=f"st{n}", text=text, section=name, citations=tuple(dict.fromkeys(cites))
                )
            )
        out.append(Section(name=name, statements=tuple(statements)))
    return tuple(out)
