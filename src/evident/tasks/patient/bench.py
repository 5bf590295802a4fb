"""``evident bench patient``: after-visit summaries of reference notes, measured.

Per note: the summary's reading grades, the share of the note's dosed medicines whose
dose the summary keeps, of its follow-up and return-precaution sentences the summary
carries, and the statements the note contradicts. Then errors are planted in the note
(a dose, a negation, a side) and the summary is checked against the visit's transcript:
a planted error should surface as a contradiction. The measures use their own patterns,
not the summary engine's cue tables, so they do not share its blind spots.
"""

from __future__ import annotations

import csv
import random
import re
import statistics
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from evident.errors import InputError
from evident.sources import load_source
from evident.tasks.patient.summary_task import PatientSummaryTask
from evident.types import Draft, Report, Source

__all__ = ["PLANT_KINDS", "NoteScore", "Totals", "plant", "read_pairs", "score_note"]

PLANT_KINDS = ("dose", "negation", "side")
_DOSE = re.compile(
    r"\b(?!(?:from|to|of|and|with|by|at|about|than|the|intake|limit)\b)([A-Za-z][A-Za-z-]{2,})"
    r"\s+(?:to\s+)?(\d+(?:\.\d+)?)\s*(mg|mcg|g|units?|ml)\b(?!\s*/)",  # not mg/dL: a lab
    re.I,
)
_FOLLOW = re.compile(
    r"\b(?:follow[- ]?up|follow up|return to (?:clinic|see)|come back|see (?:you|her|him) "
    r"(?:back|again)|in \d+ (?:days?|weeks?|months?))\b",
    re.I,
)
_RETURN = re.compile(
    r"\b(?:call|emergency|go to the er|seek (?:medical )?(?:care|attention)|if .{0,40}"
    r"(?:worsen|get worse|gets worse|persist))",
    re.I,
)
# The note's opening line ("a 62-year-old male who presents for follow-up"): no instruction.
_INTRO = re.compile(r"\byear[- ]old\b|\bpresents\b", re.I)
_PLAN = {"assessment_plan", "plan", "assessment", "instructions", "medications"}
_NEG_FLIPS = (
    (r"\bdenies\b", "reports"),
    (r"\bnegative for\b", "positive for"),
    (r"\bno evidence of\b", "evidence of"),
    (r"\bwill not\b", "will"),
    (r"\bdoes not\b", "does"),
    (r"\bno\s+", ""),
    (r"\bwill\b", "will not"),
    (r"\b(is|are|was|were)\b", r"\1 not"),
)
_SIDES = {"left": "right", "right": "left", "Left": "Right", "Right": "Left"}


@dataclass
class NoteScore:
    """What one note's summary scored."""

    fk: float | None = None
    smog: float | None = None
    doses: int = 0
    doses_kept: int = 0
    follow_ups: int = 0
    follow_ups_kept: int = 0
    returns: int = 0
    returns_kept: int = 0
    statements: int = 0
    contradicted: int = 0
    unsupported: int = 0
    planted: dict[str, int] = field(default_factory=dict)
    carried: dict[str, int] = field(default_factory=dict)
    surfaced: dict[str, int] = field(default_factory=dict)


@dataclass
class Totals:
    """Scores over all notes of a file."""

    notes: list[NoteScore] = field(default_factory=list)

    def ratio(self, part: str, whole: str) -> tuple[int, int]:
        """Sum of ``part`` and of ``whole`` over the notes."""
        return sum(getattr(n, part) for n in self.notes), sum(getattr(n, whole) for n in self.notes)

    def plants(self, kind: str) -> tuple[int, int, int]:
        """Planted, carried into the summary and surfaced, for one kind."""
        planted, carried, surfaced = (
            sum(getattr(n, k).get(kind, 0) for n in self.notes)
            for k in ("planted", "carried", "surfaced")
        )
        return planted, carried, surfaced


def read_pairs(path: Path, limit: int | None = None) -> Iterator[tuple[str, str, str]]:
    """(encounter id, dialogue, note) rows of an ACI-Bench CSV.

    Raises:
        InputError: The file is missing or lacks the columns.
    """
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"cannot read '{path.name}': {exc.strerror}") from None
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with handle:
        reader = csv.DictReader(handle)
        cols = set(reader.fieldnames or ())
        if not {"dialogue", "note"} <= cols:
            raise InputError(f"'{path.name}' lacks the 'dialogue' and 'note' columns")
        for i, row in enumerate(reader):
            if limit is not None and i >= limit:
                return
            yield row.get("encounter_id") or str(i), row["dialogue"], row["note"]


def _summarise(note: Source, transcript: Source | None) -> tuple[Draft, Report]:
    task = PatientSummaryTask()
    from evident.models.offline import OfflineBackend

    draft, _ = task.draft([note], OfflineBackend(), {})
    sources = [note] if transcript is None else [note, transcript]
    return draft, task.check(draft, sources, Report(verdicts=()), {})


def _kept(body: str, drug: str, value: str, unit: str) -> bool:
    pattern = rf"\b{re.escape(drug)}\b[^.]{{0,40}}\b{re.escape(value)}\s*{re.escape(unit)}"
    return re.search(pattern, body, re.I) is not None


def _coverage(note: Source, draft: Draft, score: NoteScore) -> None:
    body = " ".join(st.text for st in draft.statements)
    cited = {c for st in draft.statements for c in st.citations}
    doses = set()
    for seg in note.segments:
        if seg.meta.get("section_type") not in _PLAN or _INTRO.search(seg.text):
            continue
        for m in _DOSE.finditer(seg.text):
            doses.add((m.group(1).lower(), m.group(2), m.group(3).lower()))
        if _FOLLOW.search(seg.text):
            score.follow_ups += 1
            score.follow_ups_kept += seg.id in cited
        elif _RETURN.search(seg.text):
            score.returns += 1
            score.returns_kept += seg.id in cited
    score.doses = len(doses)
    score.doses_kept = sum(_kept(body, *d) for d in doses)


def plant(text: str, kind: str, rng: random.Random) -> str | None:
    """``text`` with one error of ``kind`` planted, or None when it offers no place."""
    if kind == "dose":
        m = _DOSE.search(text)
        if m is None:
            return None
        value = float(m.group(2))
        new = f"{value * rng.choice((2, 10)):g}"
        return text[: m.start(2)] + new + text[m.end(2) :]
    if kind == "side":
        m = re.search(r"\b(left|right|Left|Right)\b", text)
        if m is None:
            return None
        return text[: m.start()] + _SIDES[m.group(0)] + text[m.end() :]
    for pattern, repl in _NEG_FLIPS:
        new = re.sub(pattern, repl, text, count=1)
        if new != text:
            return new
    return None


def _citing(draft: Draft, source: Source, seg_id: str, text: str) -> list[str]:
    """Statements citing the planted sentence (when it kept its id)."""
    seg = source.segment(seg_id)
    if seg is None or seg.text.strip() != text.strip():
        return []
    return [st.id for st in draft.statements if seg_id in st.citations]


def _plants(
    note: Source,
    transcript: Source,
    draft: Draft,
    report: Report,
    score: NoteScore,
    rng: random.Random,
) -> None:
    """Plant one error of each kind in a sentence the summary carries and the transcript
    does not already contradict; count whether it surfaces."""
    bad = {f.where for f in report.findings if f.kind == "contradicts_source"}
    carried: dict[str, set[str]] = {}
    for st in draft.statements:
        for c in st.citations:
            carried.setdefault(c, set()).add(st.id)
    clean = [s for s in note.segments if s.id in carried and not carried[s.id] & bad]
    for kind in PLANT_KINDS:
        options = [(s, p) for s in clean if (p := plant(s.text, kind, rng)) is not None]
        if not options:
            continue
        seg, new = rng.choice(options)
        text = note.text[: seg.start] + new + note.text[seg.end :]
        planted = load_source(text, kind="note", name="planted")
        d2, r2 = _summarise(planted, transcript)
        score.planted[kind] = score.planted.get(kind, 0) + 1
        hit = _citing(d2, planted, seg.id, new)
        if not hit:
            continue
        score.carried[kind] = score.carried.get(kind, 0) + 1
        flagged = {f.where for f in r2.findings if f.kind == "contradicts_source"}
        score.surfaced[kind] = score.surfaced.get(kind, 0) + bool(flagged & set(hit))


def score_note(dialogue: str, note_text: str, plants: bool, rng: random.Random) -> NoteScore:
    """Summarise one note and measure it (and, with ``plants``, the planted errors)."""
    note = load_source(note_text, kind="note", name="note")
    transcript = load_source(dialogue, kind="transcript", name="transcript")
    draft, report = _summarise(note, transcript if plants else None)
    grade = draft.meta.get("reading_grade", {})
    score = NoteScore(fk=grade.get("flesch_kincaid"), smog=grade.get("smog"))
    _coverage(note, draft, score)
    labels = [v.label for v in report.verdicts]
    score.statements = len(labels)
    score.contradicted = labels.count("contradicted")
    score.unsupported = labels.count("unsupported")
    if plants:
        _plants(note, transcript, draft, report, score, rng)
    return score


def median(values: list[float | None]) -> float | None:
    """Median of the values that are not None."""
    got = [v for v in values if v is not None]
    return round(statistics.median(got), 1) if got else None
