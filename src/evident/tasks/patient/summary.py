"""The offline after-visit summary: a visit note's facts in plain words, one template per
fact kind (reason for the visit, problems, results, medicines with their change, what to
do, follow-up, warning signs), each statement citing the note sentences it rests on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from evident.tasks.patient.plain import drop_sentence, load_plain, plain_sentences
from evident.types import Segment, Source
from evident.verify import Fact

__all__ = ["SECTIONS", "Item", "medication_items", "write_summary"]

SECTIONS = (
    "Why you came in",
    "What we found",
    "Your medicines",
    "What to do",
    "When to come back",
    "Call us right away if",
)
_PLAN = {"assessment_plan", "plan", "assessment", "instructions", "medications"}
_FOUND = {"results", "vitals"}
_ASSESSMENT = {"assessment_plan", "assessment"}
_NO_MEDS = {"review_of_systems", "physical_exam", "results", "family_history", "allergies"}


@dataclass(frozen=True)
class Item:
    """One summary statement: its section, text, kind and the note sentences it rests on."""

    section: str
    text: str
    kind: str
    citations: tuple[str, ...]


@cache
def _cue(kind: str) -> re.Pattern[str]:
    return re.compile(load_plain().cues[kind], re.I)


def _section(seg: Segment) -> str:
    return seg.meta.get("section_type", "")


def _is_problem(seg: Segment) -> bool:
    """A problem heading of an assessment ("Hypertension."): short, no verb cue."""
    words = seg.text.rstrip(".:").split()
    return (
        _section(seg) in _ASSESSMENT
        and seg.meta.get("list_item") != "true"
        and 0 < len(words) <= 6
        and not re.search(r"\b(?:is|are|was|will|we|i|she|he|has|have)\b", seg.text, re.I)
    )


def _change(before: str) -> str:
    rules = load_plain().changes
    best, pos = "none", -1
    for kind, pattern in rules.items():
        for m in re.finditer(pattern, before, re.I):
            if m.start() > pos:
                best, pos = kind, m.start()
    return best


_FROM_TO = re.compile(
    r"\bfrom\s+\d+(?:\.\d+)?\s*(?:[a-z]+\s+)?to\s+(\d+(?:\.\d+)?)\s*(mg|mcg|g|units?|ml)\b", re.I
)


def _med_text(seg: Segment, fact: Fact, before: str, surface: str, after: str) -> tuple[str, str]:
    r = load_plain()
    kind = _change(before) if _section(seg) in _PLAN else "none"
    value, unit = fact.value, fact.unit
    dose = f" {value:g} {unit}".rstrip() if value is not None and unit else ""
    if dose and not re.match(rf"\D{{0,40}}?\b{value:g}\s*{re.escape(unit)}", after, re.I):
        dose = ""  # the dose read belongs to another drug of the sentence ("X 81 mg and Y")
    # Searched only for a change: the rest of the sentence, once per medicine of it.
    new = _FROM_TO.search(after) if kind in {"increase", "decrease"} else None
    if new is not None:  # "from 20 mg to 60 mg"
        dose = f" {float(new.group(1)):g} {new.group(2).lower()}"
    how = [r.frequencies.get(fact.frequency, ""), r.routes.get(fact.route, "")]
    how_text = "".join(f", {h}" if i == 0 and dose else f" {h}" for i, h in enumerate(how) if h)
    if kind in {"increase", "decrease"} and not dose:
        kind = "none"
    text = r.medication_templates[kind].format(drug=surface, dose=dose, how=how_text)
    return kind, re.sub(r"\s+", " ", text).replace(" ,", ",")


def medication_items(note: Source) -> list[Item]:
    """One statement per medicine of the note, with its dose and what the plan changes.

    A medicine the plan mentions is described only from the plan; one mentioned only
    elsewhere (the history) is described as what the patient takes.
    """
    from evident.verify import extract_facts

    found: list[tuple[bool, str, Item]] = []
    for seg in note.segments:
        if _section(seg) in _NO_MEDS or drop_sentence(seg.text):
            continue
        last = 0
        # "we will not start X": the sentence is kept whole (searched once, not per medicine)
        negated = re.search(load_plain().negation, seg.text, re.I) is not None
        whole = " ".join(plain_sentences(seg.text)) if negated else ""
        for fact in extract_facts(seg.text):
            if fact.kind != "medication":
                continue
            m = re.compile(re.escape(fact.text), re.I).search(seg.text, last)
            if m is None:
                continue
            before, after = seg.text[last : m.start()], seg.text[m.end() :]
            if negated:
                kind, text = "negated", whole
            else:
                kind, text = _med_text(seg, fact, before, m.group(0), after)
            last = m.end()
            found.append(
                (_section(seg) in _PLAN, fact.key, Item("Your medicines", text, kind, (seg.id,)))
            )
    planned = {key for in_plan, key, _ in found if in_plan}
    dosed = {key for _, key, item in found if any(ch.isdigit() for ch in item.text)}
    out: dict[str, Item] = {}
    for in_plan, key, item in found:
        if key in planned and not in_plan:
            continue
        if key in dosed and not any(ch.isdigit() for ch in item.text) and item.kind != "stop":
            continue
        if item.text.lower() not in out:
            out[item.text.lower()] = item
    return list(out.values())


def _classify(seg: Segment) -> tuple[str, str] | None:
    """(section, kind) of a plan or result sentence in the summary, or None to leave it out."""
    sec = _section(seg)
    if sec == "chief_complaint":
        return SECTIONS[0], "reason"
    if sec in _FOUND:
        return SECTIONS[1], "result"
    if sec not in _PLAN:
        return None
    # Before the problem-heading test: "Follow up in 2 weeks." is as short as a heading.
    if _cue("follow_up").search(seg.text):
        return SECTIONS[4], "follow_up"
    if _cue("warning").search(seg.text):
        return SECTIONS[5], "warning"
    if _is_problem(seg):
        return SECTIONS[1], "problem"
    if _cue("todo").search(seg.text):
        return SECTIONS[3], "todo"
    if _cue("finding").search(seg.text):
        return SECTIONS[1], "finding"
    return None


def _templated(kind: str, text: str) -> str:
    body = text.rstrip(" .:")
    if kind == "reason":
        return f"You came in for {body[:1].lower() + body[1:]}."
    if kind == "problem":
        return f"We talked about your {body[:1].lower() + body[1:]}."
    return text


_DOSED = re.compile(r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|g|units?|ml)\b(?!\s*/)", re.I)


def _unread_doses(note: Source, covered: set[str]) -> list[Item]:
    """Plan sentences with a dose whose medicine the fact reader did not know: carried
    whole, in plain words, so no dose is lost to an unknown drug name."""
    out = []
    for seg in note.segments:
        if (
            seg.id in covered
            or _section(seg) not in _PLAN
            or drop_sentence(seg.text)
            or not _DOSED.search(seg.text)
        ):
            continue
        text = " ".join(plain_sentences(seg.text))
        out.append(Item("Your medicines", text, "dose_sentence", (seg.id,)))
    return out


def write_summary(note: Source) -> list[Item]:
    """The offline after-visit summary of a visit note, section by section."""
    meds = medication_items(note)
    meds += _unread_doses(note, {c for item in meds for c in item.citations})
    med_segments = {c for item in meds for c in item.citations}
    items: list[Item] = list(meds)
    explained: set[str] = set()
    for seg in note.segments:
        if drop_sentence(seg.text):
            continue
        where = _classify(seg)
        if where is None:
            continue
        section, kind = where
        if seg.id in med_segments and kind in {"todo", "finding"}:
            continue
        for text in plain_sentences(seg.text, explained):
            items.append(Item(section, _templated(kind, text), kind, (seg.id,)))
    if not any(i.section == SECTIONS[5] for i in items):
        items.append(Item(SECTIONS[5], load_plain().general_warning, "general_warning", ()))
    order = {name: i for i, name in enumerate(SECTIONS)}
    return sorted(items, key=lambda i: order[i.section])
