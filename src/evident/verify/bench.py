"""The verify benchmark: perturbation detection on reference notes, and real model notes.

Used by ``evident bench verify``; takes data paths, never assumes a dataset location.
"""

from __future__ import annotations

import csv
import json
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from evident.errors import InputError
from evident.types import Draft, Report, Section, Source, Statement, Verdict
from evident.verify.check import under_family_heading, verify
from evident.verify.draft import draft_from_note
from evident.verify.facts import analyze
from evident.verify.index import SourceIndex
from evident.verify.options import VerifyOptions as Settings
from evident.verify.perturb import KINDS, perturb_statement

__all__ = [
    "Encounter",
    "PerturbationResult",
    "VerifyOptions",
    "load_encounters",
    "run_perturbations",
]

csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True)
class Encounter:
    """One dialogue with its reference (or model) note."""

    id: str
    dialogue: str
    note: str
    heading: str = ""  # the note section's heading (MTS-Dialog), "" when the note has its own
    source_kind: Literal["transcript", "note"] = "transcript"  # "note": PubMedQA's abstract


@dataclass(frozen=True)
class VerifyOptions:
    """How the benchmark runs verify: with dense retrieval, at which support threshold
    (None: the entailer's own cutoff) and with which entailer (None: the default)."""

    embeddings: bool = False
    support_threshold: float | None = None
    entailer: str | None = None

    def describe(self) -> str:
        """The mode as the tables print it ("rules + dense retrieval, support threshold 0.3")."""
        mode = "rules + dense retrieval" if self.embeddings else "rules"
        if self.entailer is not None:
            mode += f", entailer {self.entailer}"
        if self.support_threshold is not None:
            mode += f", support threshold {self.support_threshold:g}"
        return mode

    def settings(self) -> Settings:
        """The entailer as verify's options (the other fields go as keyword arguments)."""
        return Settings() if self.entailer is None else Settings(entailer=self.entailer)


_DEFAULT = VerifyOptions()


@dataclass
class PerturbationResult:
    """Counts of the perturbation benchmark."""

    encounters: int = 0
    sentences: int = 0
    contradicted: int = 0
    unsupported: int = 0
    per_kind: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    cpu_ms: list[float] = field(default_factory=list)
    examples: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)


def load_encounters(path: Path, kind: str = "auto", limit: int | None = None) -> list[Encounter]:
    """Read ACI-Bench (``dialogue``/``note``, or predictions ``Dialogues``/``note``) or
    MTS-Dialog (``dialogue``/``section_text``) CSV rows, or PubMedQA JSON (a ``.json``
    file: each abstract's sections are a written source, its long answer the draft).

    Raises:
        InputError: The file is missing or has none of the expected columns.
    """
    if path.suffix.lower() == ".json":
        return _load_pubmedqa(path, limit)
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read '{path.name}': {type(exc).__name__}") from None
    if not rows:
        raise InputError(f"'{path.name}' has no rows")
    cols = set(rows[0])
    if kind == "mts" or (kind == "auto" and "section_text" in cols):
        dk, nk, ik = "dialogue", "section_text", "ID"
    elif "Dialogues" in cols:
        dk, nk, ik = "Dialogues", "note", "encounter_id"
    else:
        dk, nk, ik = "dialogue", "note", "encounter_id"
    if dk not in cols or nk not in cols:
        raise InputError(f"'{path.name}' lacks the columns '{dk}' and '{nk}'")
    out = [
        Encounter(str(r.get(ik) or i), r[dk], r[nk], _heading(r.get("section_header") or ""))
        for i, r in enumerate(rows)
        if r[dk].strip() and r[nk].strip()
    ]
    return out[:limit] if limit else out


def _load_pubmedqa(path: Path, limit: int | None) -> list[Encounter]:
    """PubMedQA items ``{pmid: {CONTEXTS, LONG_ANSWER, ...}}``: the abstract without its
    conclusion is the source (a written one), the conclusion the draft."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"cannot read '{path.name}': {type(exc).__name__}") from None
    if not isinstance(data, dict):
        raise InputError(f"'{path.name}' is not a PubMedQA object of items")
    out = []
    for pmid, item in data.items():
        if not isinstance(item, dict):
            raise InputError(f"'{path.name}': item {pmid} is not an object")
        contexts, answer = item.get("CONTEXTS"), item.get("LONG_ANSWER")
        if not isinstance(contexts, list) or not isinstance(answer, str):
            raise InputError(f"'{path.name}' lacks CONTEXTS and LONG_ANSWER (item {pmid})")
        source = "\n\n".join(str(c) for c in contexts if str(c).strip())
        if source and answer.strip():
            out.append(Encounter(str(pmid), source, answer, source_kind="note"))
    return out[:limit] if limit else out


# MTS-Dialog's section codes as a note would head them: "ALLERGY" + "None." is the note
# line "Allergies: None."
_MTS_HEADINGS = {
    "ALLERGY": "Allergies",
    "ASSESSMENT": "Assessment",
    "CC": "Chief complaint",
    "DIAGNOSIS": "Diagnosis",
    "DISPOSITION": "Disposition",
    "EDCOURSE": "ED course",
    "EXAM": "Physical exam",
    "FAM/SOCHX": "Family and social history",
    "GENHX": "History of present illness",
    "GYNHX": "Gynecologic history",
    "IMAGING": "Imaging",
    "IMMUNIZATIONS": "Immunizations",
    "LABS": "Labs",
    "MEDICATIONS": "Medications",
    "OTHER_HISTORY": "Other history",
    "PASTMEDICALHX": "Past medical history",
    "PASTSURGICAL": "Past surgical history",
    "PLAN": "Plan",
    "PROCEDURES": "Procedures",
    "ROS": "Review of systems",
}


def _heading(code: str) -> str:
    code = code.strip()
    return _MTS_HEADINGS.get(code.upper(), code.replace("_", " ").capitalize())


def parse(enc: Encounter) -> tuple[Source, Draft]:
    """The encounter's transcript as a Source and its note as a Draft (an MTS-Dialog section
    under its heading)."""
    from evident.sources import load_source

    src = load_source(enc.dialogue, kind=enc.source_kind, name=f"{enc.id}-dialogue")
    note = f"{enc.heading}:\n{enc.note}" if enc.heading else enc.note
    return src, draft_from_note(load_source(note, kind="note", name=f"{enc.id}-note"))


def _replace(draft: Draft, statement_id: str, text: str | None) -> Draft:
    sections = []
    for sec in draft.sections:
        sts = []
        for st in sec.statements:
            if st.id != statement_id:
                sts.append(st)
            elif text is not None:
                sts.append(st.model_copy(update={"text": text}))
        sections.append(Section(name=sec.name, statements=tuple(sts)))
    return draft.model_copy(update={"sections": tuple(sections)})


def _verdict_alone(
    draft: Draft, text: str, src: Source, options: VerifyOptions, section: str = ""
) -> Verdict:
    """The verdict of ``text`` checked alone, as the only statement of ``draft``."""
    st = Statement(id="p1", text=text, section=section)
    one = draft.model_copy(update={"sections": (Section(name=section, statements=(st,)),)})
    return verify(
        one,
        [src],
        omissions=False,
        embeddings=options.embeddings,
        support_threshold=options.support_threshold,
        options=options.settings(),
    ).verdicts[0]


def timed_verify(
    draft: Draft, src: Source, options: VerifyOptions = _DEFAULT
) -> tuple[Report, float]:
    """Verify with a cold analysis cache; returns the report and CPU milliseconds."""
    analyze.cache_clear()
    t0 = time.process_time()
    report = verify(
        draft,
        [src],
        embeddings=options.embeddings,
        support_threshold=options.support_threshold,
        options=options.settings(),
    )
    return report, (time.process_time() - t0) * 1000


def run_perturbations(
    encounters: list[Encounter],
    per_kind: int = 2,
    seed: int = 13,
    options: VerifyOptions = _DEFAULT,
) -> Iterator[tuple[int, PerturbationResult]]:
    """Run the benchmark; yields after each encounter (for a progress bar).

    Each encounter, perturbation type and statement draws from its own seeded generator,
    so a rule change that flips one verdict changes one sample, not every later one.
    ``options`` set how every verify runs: with dense retrieval (the segment vectors of a
    source are encoded once and cached, so its CPU time is the first verify's) and at
    which support threshold.
    """
    res = PerturbationResult(per_kind={k: [] for k in KINDS}, examples={k: [] for k in KINDS})
    parsed = [parse(e) for e in encounters]
    for n, (src, draft) in enumerate(parsed):
        report, ms = timed_verify(draft, src, options)
        res.cpu_ms.append(ms)
        res.encounters += 1
        for v in report.verdicts:
            if v.label == "no_clinical_content":
                continue
            res.sentences += 1
            res.contradicted += v.label == "contradicted"
            res.unsupported += v.label == "unsupported"
        others = [d for i, (_, d) in enumerate(parsed) if i != n]
        _perturb_encounter(src, draft, report, others, f"{seed}:{src.id}", per_kind, res, options)
        yield n, res


def _perturb_encounter(
    src: Source,
    draft: Draft,
    report: Report,
    others: list[Draft],
    seed: str,
    per_kind: int,
    res: PerturbationResult,
    options: VerifyOptions = _DEFAULT,
) -> None:
    supported = [
        st for st in draft.statements if (v := report.verdict(st.id)) and v.label == "supported"
    ]
    index = SourceIndex([src])
    src_meds = frozenset(k for (kind, k) in index.by_key if kind == "medication")
    for kind in KINDS[:5]:
        done = 0
        for st in _shuffled(supported, draft, f"{seed}:{kind}"):
            if done >= per_kind:
                break
            p = perturb_statement(kind, st.text, random.Random(f"{seed}:{kind}:{st.id}"), src_meds)
            if p is None:
                continue
            done += 1
            v = _verdict_alone(draft, p.text, src, options, st.section)
            _record(res, kind, v.label, p.text, v.reason)
    rng = random.Random(f"{seed}:insert")
    _insertions(src, draft, index, others, rng, per_kind, res, options)
    _deletions(src, draft, index, report, supported, f"{seed}:omission", per_kind, res, options)


def _shuffled(supported: list[Statement], draft: Draft, seed: str) -> list[Statement]:
    """The supported statements in an order drawn over all statements of the draft:
    whether another statement is supported does not move this one."""
    order = list(draft.statements)
    random.Random(seed).shuffle(order)
    keep = {st.id for st in supported}
    return [st for st in order if st.id in keep]


def _record(res: PerturbationResult, kind: str, label: str, text: str, reason: str) -> None:
    res.per_kind[kind].append((label, text))
    if label == "supported" and len(res.examples[kind]) < 50:
        res.examples[kind].append((label, text, reason))


def _insertions(
    src: Source,
    draft: Draft,
    index: SourceIndex,
    others: list[Draft],
    rng: random.Random,
    per_kind: int,
    res: PerturbationResult,
    options: VerifyOptions = _DEFAULT,
) -> None:
    if not others:
        return
    src_keys = set(index.by_key)
    done = 0
    for _ in range(50):
        if done >= per_kind:
            break
        other = rng.choice(others)
        st = rng.choice(other.statements)
        keys = {(f.kind, f.key) for f in analyze(st.text).facts if f.kind != "quantity"}
        if not keys or keys <= src_keys:
            continue  # a foreign sentence this source happens to state is no error
        done += 1
        v = _verdict_alone(draft, st.text, src, options)
        _record(res, "insert", v.label, st.text, v.reason)


def _deletions(
    src: Source,
    draft: Draft,
    index: SourceIndex,
    report: Report,
    supported: list[Statement],
    seed: str,
    per_kind: int,
    res: PerturbationResult,
    options: VerifyOptions = _DEFAULT,
) -> None:
    before = Counter((o.segment, o.kind) for o in report.omissions)
    done = 0
    for st in _shuffled(supported, draft, seed):
        if done >= per_kind:
            break
        keys = _important_keys(st)
        others = {
            (f.kind, f.key)
            for o in draft.statements
            if o.id != st.id
            for f in analyze(o.text).facts
        }
        keys -= others
        # deleting what the source never says is no omission: the fact must be affirmed
        # somewhere in the source (whether it counts as important is what is measured)
        keys = {
            k for k in keys if any(f.polarity == "affirmed" for _, f in index.by_key.get(k, []))
        }
        if not keys:
            continue
        done += 1
        after = verify(
            _replace(draft, st.id, None),
            [src],
            embeddings=options.embeddings,
            support_threshold=options.support_threshold,
            options=options.settings(),
        )
        grown = Counter((o.segment, o.kind) for o in after.omissions) - before
        new = [o for o in after.omissions if (o.segment, o.kind) in grown]
        names = {k for _, k in keys}  # a drug may be an allergy on the other side
        hit = any(
            f.key in names
            for o in new
            for f in (index.by_id[o.segment].facts if o.segment in index.by_id else ())
        )
        _record(res, "omission", "unsupported" if hit else "supported", st.text, "")


def _important_keys(st: Statement) -> set[tuple[str, str]]:
    """Keys of the sentence's important facts, judged on the note side alone.

    Medications, allergies, plan orders, affirmed diagnoses and abnormal vitals or labs;
    a relative's diagnosis is none, also when only its heading says so.
    Whether the source carries them as omission-worthy facts is what the test measures.
    """
    keys: set[tuple[str, str]] = set()
    for f in under_family_heading(st.section, analyze(st.text)).facts:
        if f.polarity != "affirmed" or f.family:
            continue
        important = (
            (f.kind in {"medication", "allergy"} and not f.historical)
            or (f.kind == "order" and f.plan and not f.historical)
            or (f.kind == "finding" and f.category == "diagnosis")
            or (f.kind in {"vital", "lab"} and f.abnormal)
        )
        if important:
            keys.add((f.kind, f.key))
    return keys


def median(values: list[float]) -> float:
    """Median, 0 for an empty list."""
    return statistics.median(values) if values else 0.0


def verdict_counts(reports: list[Report]) -> Counter[str]:
    """Verdict label counts over reports."""
    return Counter(v.label for r in reports for v in r.verdicts)
