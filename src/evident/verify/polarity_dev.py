"""Development measurement of the polarity checker (``evident bench polarity``).

Flips the negation of reference-note sentences with a generator written here from the
grammar of English clauses (auxiliaries, reporting verbs, noun-phrase fragments), not
from the checker's cue file or any lexicon, in both directions: negation *added* ("He was
admitted" -> "He was not admitted") and negation *removed* ("Denies chest pain" ->
"Reports chest pain"). Each flipped sentence is checked against its own visit; detection
counts only sentences whose unflipped form the checker left alone. Clean sentences give
the false-flag rate. Use it on the development split only (ACI-Bench train/valid).
"""

from __future__ import annotations

import random
import re
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from evident.sources import load_source
from evident.types import Segment, Source, Statement
from evident.verify.bench import Encounter
from evident.verify.check import _context, _judge_statement, _read_statement, verify
from evident.verify.draft import draft_from_note
from evident.verify.facts import analyze
from evident.verify.index import SourceIndex
from evident.verify.options import VerifyOptions
from evident.verify.polarity import check_polarity, clear_caches

__all__ = ["Direction", "PolarityDevResult", "flip_negation", "run_polarity_dev"]

Direction = Literal["added", "removed"]

_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _sub(pattern: str, repl: str | Callable[[re.Match[str]], str]) -> _Rule:
    rx = re.compile(pattern)
    return (rx, (lambda m: m.expand(repl)) if isinstance(repl, str) else repl)


def _third_person_base(verb: str) -> str:
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if verb.endswith(("ches", "shes", "sses", "xes", "zes")):
        return verb[:-2]
    return verb[:-1]


_ADD: tuple[_Rule, ...] = (
    _sub(r"\b(is|are|was|were)\b(?! not\b)", r"\1 not"),
    _sub(
        r"\b(has|have|had) (been|had|noticed|undergone|tried|taken|seen|experienced)\b",
        r"\1 not \2",
    ),
    _sub(r"\b(reports|endorses|notes|describes|complains of|admits to)\b", "denies"),
    _sub(r"\b(reported|endorsed|noted|described|complained of|admitted to)\b", "denied"),
    _sub(r"\b(She|He|The patient|Patient)\s+has\b", r"\1 does not have"),
    _sub(r"\b(She|He|The patient|Patient)\s+had\b", r"\1 did not have"),
    _sub(
        r"\b(She|He|The patient|Patient)\s+(?!(?:is|was|has|does|needs)\b)([a-z]{3,}s)\b",
        lambda m: f"{m.group(1)} does not {_third_person_base(m.group(2))}",
    ),
    _sub(r"\bwith\b", "without"),
    _sub(r"\bpositive for\b", "negative for"),
    # a noun-phrase fragment of at most six words ("Extra heart sounds.")
    _sub(
        r"^(?!(?:The|This|That|These|There|She|He|It|I|We|They|Patient|His|Her|No|If)\b)"
        r"([A-Z][a-z]+)(?=(?: [a-z][a-z-]*){0,5}\.?$)(?!.*\b(?:is|are|was|were|has|had)\b)",
        lambda m: "No " + m.group(1).lower(),
    ),
)

_REMOVE: tuple[_Rule, ...] = (
    _sub(r"\bdenies\b", "reports"),
    _sub(r"\bdenied\b", "reported"),
    _sub(r"\bDenies\b", "Reports"),
    _sub(r"\bDenied\b", "Reported"),
    _sub(r"\bdoes not have\b", "has"),
    _sub(r"\bdid not have\b", "had"),
    _sub(r"\b(does not|doesn't) ([a-z]+)", lambda m: _third_person(m.group(2))),
    _sub(r"\b(did not|didn't) ([a-z]+)", lambda m: _past(m.group(2))),
    _sub(r"\b(is|are|was|were|has|have|had|can|could|will|would) not\b", r"\1"),
    _sub(r"\b(is|are|was|were|has|have|had|ca|could|wo|would)n't\b", r"\1"),
    _sub(r"^No ([a-z])", lambda m: m.group(1).upper()),
    _sub(r"\b[Nn]o (?=[a-z])", ""),
    _sub(r"\bwithout\b", "with"),
    _sub(r"\bnegative for\b", "positive for"),
    _sub(r"\bnever\b ?", ""),
    _sub(r"\bnot\b ?", ""),
)


def _third_person(verb: str) -> str:
    if verb == "have":
        return "has"
    if verb.endswith(("s", "ch", "sh", "x", "z")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _past(verb: str) -> str:
    if verb == "have":
        return "had"
    if verb.endswith("e"):
        return verb + "d"
    return verb + "ed"


def flip_negation(text: str, direction: Direction, rng: random.Random) -> str | None:
    """Flip one negation of a sentence: add one (``added``) or remove one (``removed``).

    Args:
        text: A note sentence.
        direction: Which way to flip.
        rng: Chooses among the rules that apply.

    Returns:
        The flipped sentence, or None when no rule applies.
    """
    rules = _ADD if direction == "added" else _REMOVE
    if direction == "added" and re.search(r"\b(no|not|denie[sd]|without|never)\b", text, re.I):
        return None  # a sentence that already negates is flipped the other way
    usable = [(rx, f) for rx, f in rules if rx.search(text)]
    if not usable:
        return None
    rx, f = rng.choice(usable)
    out = rx.sub(f, text, count=1)
    out = re.sub(r"\s{2,}", " ", out).strip()
    return out if out != text and len(out.split()) >= 2 else None


@dataclass
class PolarityDevResult:
    """Counts of the development measurement: the checker alone, the verifier without it
    (``--no-polarity``) and the default verifier with it."""

    encounters: int = 0
    clean: int = 0
    clean_flagged: int = 0
    clean_off: int = 0
    clean_on: int = 0
    flips: dict[str, int] = field(default_factory=lambda: {"added": 0, "removed": 0})
    caught: dict[str, int] = field(default_factory=lambda: {"added": 0, "removed": 0})
    off: dict[str, int] = field(default_factory=lambda: {"added": 0, "removed": 0})
    on: dict[str, int] = field(default_factory=lambda: {"added": 0, "removed": 0})
    cpu_ms: list[float] = field(default_factory=list)
    verify_cpu_ms: list[float] = field(default_factory=list)
    verify_off_cpu_ms: list[float] = field(default_factory=list)
    flagged_examples: list[tuple[str, str, str]] = field(default_factory=list)
    missed_examples: list[tuple[str, str, str]] = field(default_factory=list)


def _candidates(text: str, index: SourceIndex) -> list[Segment]:
    return [index.segments[p].segment for p, _ in index.search(analyze(text).terms, k=5)]


@dataclass(frozen=True)
class _Visit:
    source: Source
    index: SourceIndex
    statements: list[Statement]
    judge: Callable[[Statement, bool], str]  # statement, polarity on -> verdict label


def _visit(enc: Encounter) -> _Visit:
    source = load_source(enc.dialogue, kind="transcript")
    index = SourceIndex([source])
    draft = draft_from_note(enc.note)
    ctxs = {on: _context(index, [source], VerifyOptions(polarity=on), None) for on in (False, True)}

    def judge(st: Statement, on: bool) -> str:
        return _judge_statement(st, ctxs[on], _read_statement(st, ctxs[on], [])).verdict.label

    statements = [s for s in draft.statements if len(s.text.split()) >= 2]
    return _Visit(source, index, statements, judge)


def run_polarity_dev(
    encounters: list[Encounter], *, seed: int = 7, per_direction: int = 3
) -> Iterator[PolarityDevResult]:
    """Measure the checker on clean and flipped sentences, one encounter at a time.

    Args:
        encounters: Development encounters (dialogue and reference note).
        seed: Seed of the flip generator.
        per_direction: Flips per direction per encounter at most.

    Yields:
        The running result after each encounter (the last one is final).
    """
    rng = random.Random(seed)
    res = PolarityDevResult()
    for enc in encounters:
        v = _visit(enc)
        res.encounters += 1
        for on, out in ((False, res.verify_off_cpu_ms), (True, res.verify_cpu_ms)):
            clear_caches()
            report = verify(
                draft_from_note(enc.note), [v.source], options=VerifyOptions(polarity=on)
            )
            out.append(report.metrics["cpu_ms"])
        clear_caches()
        cands = {st.id: _candidates(st.text, v.index) for st in v.statements}
        t0 = time.process_time()
        results = {st.id: check_polarity(st.text, cands[st.id], v.source) for st in v.statements}
        res.cpu_ms.append((time.process_time() - t0) * 1000)
        clean_flags = {}
        for st in v.statements:
            r = results[st.id]
            clean_flags[st.id] = r is not None and r.outcome == "conflict"
            if clean_flags[st.id] and len(res.flagged_examples) < 400:
                res.flagged_examples.append((enc.id, st.text, r.reason if r else ""))
            res.clean_off += v.judge(st, False) == "contradicted"
            res.clean_on += v.judge(st, True) == "contradicted"
        res.clean += len(v.statements)
        res.clean_flagged += sum(clean_flags.values())
        for direction in ("added", "removed"):
            _flip_some(direction, v, clean_flags, rng, res, per_direction)
        yield res


def _flip_some(
    direction: Direction,
    v: _Visit,
    clean_flags: dict[str, bool],
    rng: random.Random,
    res: PolarityDevResult,
    limit: int,
) -> None:
    order = list(v.statements)
    rng.shuffle(order)
    done = 0
    for st in order:
        if done >= limit or clean_flags[st.id]:
            continue
        flipped = flip_negation(st.text, direction, rng)
        if flipped is None:
            continue
        done += 1
        res.flips[direction] += 1
        r = check_polarity(flipped, _candidates(flipped, v.index), v.source)
        caught = r is not None and r.outcome == "conflict"
        changed = st.model_copy(update={"text": flipped})
        res.caught[direction] += caught
        res.off[direction] += v.judge(changed, False) == "contradicted"
        res.on[direction] += v.judge(changed, True) == "contradicted"
        if not caught and len(res.missed_examples) < 400:
            res.missed_examples.append((direction, st.text, flipped))


def summary(res: PolarityDevResult) -> list[str]:
    """The result as table lines."""

    def pct(a: int, b: int) -> str:
        return f"{a}/{b} ({100 * a / b:.1f}%)" if b else "0/0"

    def med(xs: list[float]) -> float:
        return statistics.median(xs) if xs else 0.0

    lines = [
        f"encounters: {res.encounters}, clean sentences: {res.clean}",
        "| measure | polarity checker alone | verifier --no-polarity | verifier (default) |",
        "|---|---|---|---|",
    ]
    for d in ("added", "removed"):
        n = res.flips[d]
        lines.append(
            f"| negation {d}: contradicted | {pct(res.caught[d], n)} | {pct(res.off[d], n)} "
            f"| {pct(res.on[d], n)} |"
        )
    lines.append(
        f"| clean sentences contradicted | {pct(res.clean_flagged, res.clean)} "
        f"| {pct(res.clean_off, res.clean)} | {pct(res.clean_on, res.clean)} |"
    )
    lines.append(
        f"CPU per encounter (median, cold caches): polarity checker {med(res.cpu_ms):.1f} ms,"
        f" verifier --no-polarity {med(res.verify_off_cpu_ms):.1f} ms,"
        f" default verifier {med(res.verify_cpu_ms):.1f} ms"
    )
    return lines
