"""The offline portal-message reply: note sentences and knowledge-base passages that share
the question's words, in plain language, between a greeting and the usual safety line."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from evident.tasks.patient.plain import drop_sentence, load_plain, plain_sentences
from evident.tasks.triage import TriageResult, load_protocols
from evident.types import Source

__all__ = ["ESCALATION", "GREETING", "REPLY", "escalation_rows", "reply_rows"]

REPLY = "Reply"
ESCALATION = "Escalation"
GREETING = "Thank you for your message."
NO_ANSWER = "Your care team will look into your question and write back to you."
_WORD = re.compile(r"[a-z0-9][a-z0-9'-]+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_SKIP_SECTIONS = {"review_of_systems", "physical_exam", "family_history"}
MIN_SHARED = 2


def _terms(text: str) -> set[str]:
    stop = set(load_plain().stopwords)
    words = _WORD.findall(text.lower())
    return {w[:6] for w in words if (len(w) > 2 or w.isdigit()) and w not in stop}


def _best(question: set[str], candidates: list[tuple[str, str]], k: int) -> list[tuple[str, str]]:
    """The ``k`` (id, text) candidates sharing the most question words, rare words counting
    more (inverse document frequency over the candidates); at least two words shared."""
    bags = [_terms(text) for _, text in candidates]
    df: dict[str, int] = {}
    for bag in bags:
        for t in bag & question:
            df[t] = df.get(t, 0) + 1
    n = len(candidates) + 1
    scored = []
    for i, ((cid, text), bag) in enumerate(zip(candidates, bags, strict=True)):
        shared = bag & question
        if len(shared) >= MIN_SHARED:
            scored.append((-sum(math.log(n / df[t]) for t in shared), i, cid, text))
    scored.sort()
    return [(cid, text) for _, _, cid, text in scored[:k]]


def reply_rows(message: Source, grounds: Sequence[Source]) -> list[tuple[str, str, list[str]]]:
    """The reply's (section, text, citations) rows from the note(s) and passages."""
    question = _terms(message.text)
    notes: list[tuple[str, str]] = []
    passages: list[tuple[str, str]] = []
    for src in grounds:
        for seg in src.segments:
            if src.kind == "literature":
                passages.extend((seg.id, s) for s in _SENTENCE.split(seg.text) if s.strip())
            elif seg.meta.get("section_type") not in _SKIP_SECTIONS and not drop_sentence(seg.text):
                notes.append((seg.id, seg.text))
    rows: list[tuple[str, str, list[str]]] = [(REPLY, GREETING, [])]
    explained: set[str] = set()
    found = _best(question, notes, 2) + _best(question, passages, 2)
    for cid, text in found:
        rows.extend((REPLY, s, [cid]) for s in plain_sentences(text, explained))
    if not found:
        rows.append((REPLY, NO_ANSWER, []))
    rows.append((REPLY, load_plain().general_warning, []))
    return rows


def escalation_rows(result: TriageResult) -> list[tuple[str, str, list[str]]]:
    """An urgent or emergency message's escalation: class, who to call, what to tell."""
    esc = load_protocols().escalation[result.urgency]
    rows: list[tuple[str, str, list[str]]] = [
        (
            ESCALATION,
            f"Urgency: {result.urgency.replace('_', ' ')}. No draft reply: escalate now.",
            [],
        ),
        (ESCALATION, esc.who, []),
        (ESCALATION, esc.tell, []),
    ]
    rows.extend((ESCALATION, f'Red flag: {f.finding}: "{f.quote}"', []) for f in result.red_flags)
    return rows
