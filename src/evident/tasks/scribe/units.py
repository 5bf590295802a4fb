"""Reading the conversation: sentence units, their speakers, phases and categories.

1. Split utterances into sentences ("units"); long unpunctuated speech-to-text output is
   cut at discourse markers; an unlabelled line takes the speaker of the line before it.
2. "doctor"/"patient" labels that look swapped (the "patient" talks like a clinician)
   can be read the other way round (:func:`roles_swapped`, :func:`swap_roles`).
3. Follow the conversation's phase (history -> review of systems -> exam -> results ->
   assessment and plan) from clinician phrases, and classify each unit into a category
   by its phase and its cue words (:func:`classify`, ``resources/sections.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from evident.tasks.scribe.rewrite import clean, normalise_numbers, split_sentences
from evident.tasks.scribe.rules import section_rules
from evident.types import Source

__all__ = [
    "WORDS",
    "Matchers",
    "Unit",
    "classify",
    "clinician",
    "matchers",
    "pattern",
    "roles_swapped",
    "split_units",
    "swap_roles",
]

WORDS = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@cache
def pattern(name: str) -> re.Pattern[str]:
    """The compiled section-rules pattern ``name``."""
    return re.compile(section_rules().patterns[name])


@dataclass(frozen=True)
class Unit:
    """One sentence of one utterance, classified.

    Attributes:
        citations: Utterance ids it rests on.
        order: Position in the conversation (utterance index, sentence index).
        speaker: Effective speaker role.
        text: The sentence as spoken.
        category: Internal category (``hpi``, ``exam``, ...).
        question: True for a question.
        note: Ready-written note text (Q/A summaries), else empty.
    """

    citations: tuple[str, ...]
    order: tuple[int, int]
    speaker: str | None
    text: str
    category: str = "hpi"
    question: bool = False
    note: str = ""


@dataclass(frozen=True)
class Matchers:
    """The section rules' word lists, compiled."""

    phase: dict[str, re.Pattern[str]]
    late: dict[str, re.Pattern[str]]
    cues: dict[str, re.Pattern[str]]
    drop: tuple[re.Pattern[str], ...]
    terms: tuple[str, ...]
    clinician: re.Pattern[str]


def _words_re(words: Sequence[str]) -> re.Pattern[str]:
    alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alt})(?![\w-])")


@cache
def matchers() -> Matchers:
    """The compiled word lists of the section rules (built once)."""
    rules = section_rules()
    return Matchers(
        phase={k: _words_re(v) for k, v in rules.phase_markers.items()},
        late={k: _words_re(v) for k, v in rules.late_markers.items()},
        cues={k: _words_re(v) for k, v in rules.cues.items()},
        drop=tuple(re.compile(p) for p in rules.drop_patterns),
        terms=tuple(rules.clinical_terms),
        clinician=_words_re(rules.clinician_phrases or ["on exam"]),
    )


def clinician(speaker: str | None) -> bool:
    """Whether a speaker role is a clinician (doctor or nurse)."""
    return speaker not in (None, "patient") and speaker in {"doctor", "nurse"}


def _pieces(text: str, max_unpunctuated_words: int) -> list[str]:
    """Sentences of an utterance; long unpunctuated ones are cut at discourse markers."""
    out: list[str] = []
    for s, e in split_sentences(text):
        sent = text[s:e].strip()
        untagged = pattern("tag_question").sub(".", sent)
        if untagged.strip(" .") and untagged != sent:
            sent = untagged
        if len(sent.split()) <= max_unpunctuated_words or re.search(r"[.?!;]", sent[:-1]):
            out.append(sent)
            continue
        parts = [p.strip() for p in pattern("clause_break").split(sent) if p and p.strip()]
        merged: list[str] = []
        carry = ""
        for part in parts:
            part = f"{carry} {part}".strip()
            carry = part if len(part.split()) < 4 else ""
            if not carry:
                merged.append(part)
        if carry and merged:
            merged[-1] = f"{merged[-1]} {carry}"
        elif carry:
            merged.append(carry)
        out.extend(merged)
    return out


def _is_question(sent: str) -> bool:
    if sent.endswith("?"):
        return True
    if sent.endswith((".", "!")):
        return False
    low = sent.lower()
    return bool(pattern("question_start").match(low) or pattern("question_inside").search(low))


def split_units(sources: Sequence[Source], max_unpunctuated_words: int = 8) -> list[Unit]:
    """Split every utterance (or note sentence) of the sources into sentence units.

    Args:
        sources: Transcripts (utterance segments) or notes (sentence segments).
        max_unpunctuated_words: Longer sentences without sentence punctuation
            (speech-to-text output) are cut at discourse markers.
    """
    units: list[Unit] = []
    for n_src, src in enumerate(sources):
        last: str | None = None
        for n_seg, seg in enumerate(src.segments):
            speaker = seg.speaker if seg.speaker is not None else last
            last = speaker
            text = seg.text.lower() if seg.text.islower() else seg.text
            for k, sent in enumerate(_pieces(text, max_unpunctuated_words)):
                units.append(
                    Unit(
                        citations=(seg.id,),
                        order=(n_src * 100_000 + n_seg, k),
                        speaker=speaker,
                        text=sent,
                        question=_is_question(sent.rstrip()),
                    )
                )
    return units


def roles_swapped(units: Sequence[Unit]) -> bool:
    """Whether "doctor" and "patient" labels look swapped (the "patient" talks like a clinician)."""
    phrases = matchers().clinician
    said = {"doctor": 0, "patient": 0}
    for u in units:
        if u.speaker in said:
            said[u.speaker] += len(phrases.findall(u.text.lower()))
    return said["patient"] >= 3 and said["patient"] >= 2 * said["doctor"] + 1


def swap_roles(units: list[Unit]) -> list[Unit]:
    """The units with "doctor" and "patient" exchanged."""
    other = {"doctor": "patient", "patient": "doctor"}
    return [replace(u, speaker=other.get(u.speaker or "", u.speaker)) for u in units]


def _next_phase(
    phase: str, low: str, markers: dict[str, re.Pattern[str]], late: dict[str, re.Pattern[str]]
) -> str:
    """The phase after a clinician's sentence: the last marker found in it wins."""
    best, pos = phase, -1
    for name, pat in markers.items():
        for hit in pat.finditer(low):
            if hit.start() > pos:
                best, pos = name, hit.start()
    if phase in {"exam", "results"}:
        for name, pat in late.items():
            late_hit = pat.search(low)
            if late_hit and late_hit.start() > pos:
                best, pos = name, late_hit.start()
    return best


def _category(phase: str, low: str, clinician: bool, cues: dict[str, re.Pattern[str]]) -> str:
    """A sentence's category from the phase it falls in and its cue words."""
    if phase in {"exam", "results"} and clinician:
        for cat in ("results", "exam"):
            if cues[cat].search(low):
                return cat
        return "plan" if phase == "results" and cues["plan"].search(low) else phase
    if phase == "assessment":
        return "plan" if clinician and cues["plan"].search(low) else "assessment"
    if phase == "ros":
        return "ros" if cues["ros"].search(low) else "hpi"
    return phase


def classify(units: list[Unit]) -> list[Unit]:
    """Each unit with the category its phase and cue words give it."""
    m = matchers()
    phase_re, cues, late = m.phase, m.cues, m.late
    terminal = set(section_rules().terminal_phases)
    phase = "hpi"
    out: list[Unit] = []
    for u in units:
        low = u.text.lower()
        if clinician(u.speaker) and phase not in terminal:
            phase = _next_phase(phase, low, phase_re, late)
        cat = _category(phase, low, clinician(u.speaker), cues)
        if clinician(u.speaker) and not u.question and cat in {"hpi", "ros"}:
            if pattern("vitals_statement").search(normalise_numbers(low)):
                cat = "exam"
            elif pattern("plan_statement").search(clean(low)):
                cat = "plan"
        out.append(replace(u, category=cat))
    return out
