"""The offline triage engine: the protocols of ``resources/protocols.yaml`` applied to a
patient's message.

The message is read as sentences and clauses. A finding counts when its pattern matches
and no negation cue precedes it in its clause ("I don't have any chest pain") and no
time cue places its clause in the past ("chest pain last year"). Each counted finding
starts at its protocol's class and is moved by its modifiers (severity, onset, duration),
the population (age, pregnancy) and the other findings present; the message's class is
the highest. Every quote is a slice of the message itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from evident.tasks.triage.protocols import (
    FindingRule,
    Urgency,
    load_cues,
    load_protocols,
    rank,
)

__all__ = ["Match", "RedFlag", "TriageResult", "read_message", "triage_offline"]


@dataclass(frozen=True)
class RedFlag:
    """A finding that makes a message urgent or an emergency.

    Attributes:
        finding: What was found, in words ("chest pain with shortness of breath").
        quote: The exact text of the message it was found in.
        start: Offset of ``quote`` in the message.
    """

    finding: str
    quote: str
    start: int = -1


@dataclass(frozen=True)
class Match:
    """One finding read in the message, before its class is decided."""

    rule: str
    start: int
    end: int
    sentence: tuple[int, int]
    clause: tuple[int, int]
    status: str = "present"  # present, negated, historical or hypothetical


@dataclass(frozen=True)
class TriageResult:
    """The triage of one message.

    Attributes:
        urgency: ``emergency``, ``urgent``, ``routine`` or ``self_care``.
        red_flags: Findings that make it urgent or an emergency, with their quotes.
        advice: What the patient should do now.
        model: ``offline`` or the model that took part.
        findings: Every finding read (id -> class), including minor ones.
        excluded: Findings denied or in the past (id -> why), never red flags.
    """

    urgency: Urgency
    red_flags: tuple[RedFlag, ...]
    advice: str
    model: str = "offline"
    findings: dict[str, str] = field(default_factory=dict)
    excluded: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """The JSON contract of ``evident triage --format json``."""
        return {
            "urgency": self.urgency,
            "red_flags": [{"finding": f.finding, "quote": f.quote} for f in self.red_flags],
            "advice": self.advice,
            "model": self.model,
        }


def _lower(text: str) -> str:
    """Lower case without changing the length, so offsets stay valid."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _spans(text: str, breaks: re.Pattern[str], start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    for m in breaks.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out


@cache
def _compiled() -> dict[str, re.Pattern[str] | None]:
    p = load_protocols()
    out = {f.id: p.compile(f.patterns) for f in p.findings}
    for name, mod in p.modifiers.items():
        out[f"mod:{name}"] = p.compile(mod.patterns)
    out["pregnancy"] = p.compile(p.population.pregnancy_patterns)
    out["infant"] = p.compile(p.population.infant_words)
    cues = load_cues()
    out["negation"] = re.compile("|".join(cues.negation))
    out["historical"] = re.compile("|".join(cues.historical))
    out["hypothetical"] = re.compile("|".join(cues.hypothetical))
    out["now"] = re.compile("|".join(cues.happening_now))
    out["ongoing"] = re.compile("|".join(cues.ongoing))
    out["clause"] = re.compile("|".join(cues.clause_breaks))
    out["sentence"] = re.compile(cues.sentence_breaks)
    out["duration"] = re.compile(cues.duration)
    return out


class _Reading:
    """The message cut into sentences and clauses, with cue tests."""

    def __init__(self, text: str) -> None:
        rx = _compiled()
        self.text = text
        self.low = _lower(text)
        self.sentences = _spans(self.low, _req(rx["sentence"]), 0, len(text))
        self.clauses = [
            (s, c) for s in self.sentences for c in _spans(self.low, _req(rx["clause"]), *s)
        ]

    def locate(self, start: int, end: int) -> tuple[tuple[int, int], tuple[int, int]]:
        for s, c in self.clauses:
            if c[0] <= start < c[1]:
                return s, (c[0], max(c[1], end))
        return (start, end), (start, end)

    def status(self, start: int, clause: tuple[int, int]) -> str:
        rx, cues = _compiled(), load_cues()
        before = self.low[clause[0] : start]
        for m in _req(rx["negation"]).finditer(before):
            if len(before[m.end() :].split()) <= cues.negation_window:
                return "negated"
        sentence_start = next((s[0] for s, c in self.clauses if c[0] == clause[0]), clause[0])
        sentence_end = next((s[1] for s, c in self.clauses if c[0] == clause[0]), clause[1])
        if _req(rx["hypothetical"]).search(self.low[sentence_start:start]) and not _req(
            rx["now"]
        ).search(self.low, sentence_start, sentence_end):
            return "hypothetical"
        for m in _req(rx["historical"]).finditer(self.low, *clause):
            if not _req(rx["ongoing"]).search(self.low[clause[0] : m.start()]):
                return "historical"
        return "present"


def _req(p: re.Pattern[str] | None) -> re.Pattern[str]:
    if p is None:  # pragma: no cover - only for patterns the validator requires
        raise RuntimeError("missing compiled pattern")
    return p


def read_message(text: str) -> list[Match]:
    """Every finding of the protocols read in ``text``, with its negation/time status.

    Measured values (a temperature, a glucose) become the finding of their band.
    """
    reading = _Reading(text)
    p, rx = load_protocols(), _compiled()
    found: list[Match] = []
    for rule in p.findings:
        pattern = rx[rule.id]
        if pattern is None:
            continue
        for m in pattern.finditer(reading.low):
            sent, clause = reading.locate(m.start(), m.end())
            found.append(
                Match(rule.id, m.start(), m.end(), sent, clause, reading.status(m.start(), clause))
            )
    for measure in p.measures:
        for m in re.finditer(rf"\b(?:{p.expand(measure.pattern)})", reading.low):
            value = float(m.group(1))
            band = next((b for b in measure.bands if b.min <= value <= b.max), None)
            if band is not None:
                sent, clause = reading.locate(m.start(), m.end())
                status = reading.status(m.start(), clause)
                found.append(Match(band.finding, m.start(), m.end(), sent, clause, status))
    return sorted(found, key=lambda x: x.start)


def _age_days(low: str, pregnant: bool) -> float | None:
    p, cues = load_protocols(), load_cues()
    for pattern in p.population.age_patterns:
        m = re.search(p.expand(pattern), low)
        if m:
            unit = (m.group(2) or "year") if m.re.groups >= 2 else "year"
            return float(m.group(1)) * cues.unit_days.get(unit.rstrip("s"), 365)
    infant = _compiled()["infant"]
    if not pregnant and infant is not None and infant.search(low):
        return 180.0  # a baby of unknown age: under a year
    return None


def _duration_days(low: str, sentence: tuple[int, int]) -> float:
    cues = load_cues()
    longest = 0.0
    for m in _req(_compiled()["duration"]).finditer(low, *sentence):
        count = m.group(1)
        n = float(count) if count.isdigit() else cues.number_words.get(count, 1.0)
        longest = max(longest, n * cues.unit_days.get(m.group(2), 1.0))
    return longest


@dataclass
class _Context:
    low: str
    present: set[str]
    pregnant: bool
    age_days: float | None


def _has(mod: str, ctx: _Context, m: Match) -> bool:
    p = load_protocols()
    pattern = _compiled()[f"mod:{mod}"]
    if pattern is None:
        return False
    spec = p.modifiers[mod]
    if spec.scope == "sentence":
        return pattern.search(ctx.low, *m.sentence) is not None
    lo = max(m.sentence[0], m.start - spec.window)
    return any(x.end() >= m.start - 1 for x in pattern.finditer(ctx.low, lo, m.start))


def _raises(rule: FindingRule, m: Match, ctx: _Context) -> list[tuple[Urgency | None, str]]:
    """Every (class, reason) the finding's modifiers, population and company ask for."""
    severe, sudden = _has("severe", ctx, m), _has("sudden", ctx, m)
    out: list[tuple[Urgency | None, str]] = []
    if severe:
        out.append((rule.severe, "severe"))
    if _has("intense_before", ctx, m):
        out.append((rule.intense_before, "severe"))
    if sudden:
        out.append((rule.sudden, "sudden"))
    if severe and sudden:
        out.append((rule.sudden_and_severe, "sudden and severe"))
    if ctx.pregnant:
        out.append((rule.pregnant, "in pregnancy"))
    if rule.min_days and _duration_days(ctx.low, m.sentence) >= (rule.min_days.days or 0):
        out.append((rule.min_days.urgency, f"for {rule.min_days.days:g}+ days"))
    age = ctx.age_days
    if rule.max_age_days and age is not None and age <= (rule.max_age_days.days or 0):
        out.append((rule.max_age_days.urgency, "in a young infant"))
    if rule.min_age and age is not None and age >= (rule.min_age.years or 0) * 365:
        out.append((rule.min_age.urgency, f"at age {rule.min_age.years:g}+"))
    labels = {f.id: f.finding for f in load_protocols().findings}
    for w in rule.with_:
        others = [labels[o] for o in w.findings if o in ctx.present and o != rule.id]
        if others:
            out.append((w.urgency, "with " + others[0]))
    return out


def _classify(rule: FindingRule, m: Match, ctx: _Context) -> tuple[Urgency, list[str]]:
    """The class of one present finding and the reasons that raised it.

    Modifiers only raise; ``mild`` lowers a minor finding that nothing raised.
    """
    if rule.urgency is None:  # pragma: no cover - callers skip context-only findings
        raise ValueError(f"finding {rule.id} sets no class")
    level: Urgency = rule.urgency
    why: list[str] = []
    for target, reason in _raises(rule, m, ctx):
        if target is not None and rank(target) > rank(level):
            level = target
            why.append(reason)
    if not why and rule.mild is not None and not _has("severe", ctx, m) and _has("mild", ctx, m):
        level = rule.mild
    return level, why


def triage_offline(text: str) -> TriageResult:
    """Triage a patient's message with the protocols alone (no model).

    Args:
        text: The message or case description.

    Returns:
        The class, red flags with exact quotes, and advice.
    """
    p = load_protocols()
    rules = {f.id: f for f in p.findings}
    matches = read_message(text)
    present = [m for m in matches if m.status == "present"]
    reading = _Reading(text)
    low = reading.low
    preg = _compiled()["pregnancy"]
    pregnant = any(
        reading.status(x.start(), reading.locate(x.start(), x.end())[1]) == "present"
        for x in (preg.finditer(low) if preg is not None else ())
    )
    ctx = _Context(low, {m.rule for m in present}, pregnant, _age_days(low, pregnant))
    best: dict[str, tuple[Urgency, list[str], Match]] = {}
    for m in present:
        rule = rules[m.rule]
        if rule.urgency is None or (rule.needs_pregnancy and not pregnant):
            continue
        level, why = _classify(rule, m, ctx)
        if m.rule not in best or rank(level) > rank(best[m.rule][0]):
            best[m.rule] = (level, why, m)
    excluded = {m.rule: m.status for m in matches if m.status != "present"}
    if not best:
        urgency: Urgency = p.default_urgency
    else:
        urgency = max((v[0] for v in best.values()), key=rank)
    flags = []
    for rid, (level, why, m) in sorted(best.items(), key=lambda kv: kv[1][2].start):
        if rank(level) >= rank("urgent"):
            label = rules[rid].finding + (f" ({', '.join(why)})" if why else "")
            a, b = _trim(text, *m.clause)
            flags.append(RedFlag(label, text[a:b], a))
    return TriageResult(
        urgency=urgency,
        red_flags=tuple(flags),
        advice=p.advice[urgency],
        findings={rid: v[0] for rid, v in best.items()},
        excluded=excluded,
    )


_EDGE = " \t\r\n,;:-–—\"'()"


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in _EDGE:
        a += 1
    while b > a and text[b - 1] in _EDGE:
        b -= 1
    return a, b
