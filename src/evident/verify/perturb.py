"""Perturbations of reference notes for the verify benchmark (``evident bench verify``).

Each perturbation rewrites one sentence of a reference note the way a confabulating
model would: a different dose or unit, a different number, a flipped negation, the other
side, another drug, a sentence from another patient's note, or a deleted sentence (an
omission). Only sentences the checker labels ``supported`` in the unperturbed note are
perturbed, so every detection is caused by the perturbation itself.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from evident.verify._resources import load_lexicons
from evident.verify.facts import Fact, analyze

__all__ = ["KINDS", "Perturbation", "perturb_statement"]

KINDS = ("dose_unit", "number", "negation", "laterality", "medication", "insert", "omission")

_DOSE = re.compile(
    r"\b(\d+(?:\.\d+)?)\s*(mg|milligrams?|mcg|micrograms?|g|grams?|units?|ml)\b", re.I
)
_NUMBER = re.compile(r"(?<![\w./+-])(\d+(?:\.\d+)?)(?![\w/+-])")
_SIDE = re.compile(r"\b(left|right)\b", re.I)
_UNIT_SWAP = {
    "mg": "mcg",
    "milligram": "microgram",
    "milligrams": "micrograms",
    "mcg": "mg",
    "microgram": "milligram",
    "micrograms": "milligrams",
    "g": "mg",
    "gram": "milligram",
    "grams": "milligrams",
    "units": "mg",
    "unit": "mg",
    "ml": "mg",
}
# Rewrites in grammatical English, as a model's slip would read: "denies any X" becomes
# "reports X" (not "reports any X"), "has had X" becomes "has not had X" (not "does not
# have had X").
_NEG_RULES: tuple[tuple[str, str], ...] = (
    (r"\bdenies any\b", "reports"),
    (r"\bdenied any\b", "reported"),
    (r"\bdenies\b", "reports"),
    (r"\bdenied\b", "reported"),
    (r"\bnegative for\b", "positive for"),
    (r"\bdoes not have any\b", "has"),
    (r"\bdoes not have\b", "has"),
    (r"\bdid not have any\b", "had"),
    (r"\bdid not have\b", "had"),
    (r"\bhas not had any\b", "has had"),
    (r"\bhas not had\b", "has had"),
    (r"\bno longer (has|had|have) any\b", r"still \1"),
    (r"\bno longer\b", "still"),
    (r"\bno evidence of\b", "evidence of"),
    (r"\bwithout any\b", "with"),
    (r"\bwithout\b", "with"),
    (r"\b(is|are|was|were) not\b", r"\1"),
    (r"\bno\s+", ""),
)
_POS_RULES: tuple[tuple[str, str], ...] = (
    (r"\breports\b", "denies"),
    (r"\bendorses\b", "denies"),
    (r"\bcomplains of\b", "denies"),
    (r"\bpositive for\b", "negative for"),
    (r"\bis present\b", "is absent"),
    (r"\bhas been experiencing\b", "has not been experiencing"),
    (r"\bhas had some\b", "has not had any"),
    (r"\bhas (had|been|noted|noticed|developed|experienced)\b", r"has not \1"),
    (r"\bhas some\b", "does not have any"),
    (r"\bhas\b", "does not have"),
    (r"\b(demonstrates|shows|showed|revealed|reveals)\b", r"\1 no"),
    (r"\bthere is\b", "there is no"),
    (r"\bwith\b", "without"),
)


_NEGATION_WORD = re.compile(r"\b(no|not|never|without|denies|denied|none)\b|n't\b", re.I)


@dataclass(frozen=True)
class Perturbation:
    """A perturbed sentence: its kind, the original and the rewritten text."""

    kind: str
    original: str
    text: str


def _flippable(f: Fact) -> bool:
    """A finding, or allergies said alone ("no known allergies" <-> "known allergies")."""
    return f.kind == "finding" or (f.kind == "allergy" and f.key in {"none", "any"})


def _is_negated_text(text: str) -> bool:
    return any(f.polarity == "negated" for f in analyze(text).facts if _flippable(f))


def _sub_first(pattern: str, repl: str, text: str) -> str | None:
    new, n = re.subn(pattern, repl, text, count=1, flags=re.I)
    return new if n and new != text else None


def perturb_dose(text: str, rng: random.Random) -> str | None:
    """Change a dose (x10, /2) or its unit (mg <-> mcg)."""
    m = _DOSE.search(text)
    if not m or not any(f.kind == "medication" for f in analyze(text).facts):
        return None
    value, unit = m.group(1), m.group(2)
    if rng.random() < 0.5:
        new = f"{_fmt(float(value) * 10)} {unit}"
    else:
        new = f"{value} {_UNIT_SWAP.get(unit.lower(), 'mcg')}"
    return text[: m.start()] + new + text[m.end() :]


def _fmt(v: float) -> str:
    return f"{v:g}"


def perturb_number(text: str, rng: random.Random) -> str | None:
    """Change a number that is not a dose (age, duration, value, percentage)."""
    doses = {m.start(1) for m in _DOSE.finditer(text)}
    spans = [m for m in _NUMBER.finditer(text) if m.start(1) not in doses]
    spans = [m for m in spans if not (m.start() == 0 and float(m.group(1)) < 20)]
    if not spans:
        return None
    m = rng.choice(spans)
    old = float(m.group(1))
    if old <= 10:
        new = old + rng.choice([1, 2, 3])
    else:
        step = rng.randint(3, max(4, int(old // 4)))
        new = old + step if rng.random() < 0.5 or old - step <= 0 else old - step
    return text[: m.start(1)] + _fmt(new) + text[m.end(1) :]


def perturb_negation(text: str, rng: random.Random) -> str | None:
    """Flip the polarity of a finding: "denies X" <-> "reports X".

    A rewrite counts only where a finding of the lexicon follows the rewritten cue within
    three words ("denies going to therapy" is skipped: no finding is negated there).
    """
    if not any(_flippable(f) for f in analyze(text).facts):
        return None
    negated = _is_negated_text(text)
    if not negated and _NEGATION_WORD.search(text):
        return None  # "reports that the pain is not an issue": no clear flip
    rules = _NEG_RULES if negated else _POS_RULES
    for pattern, repl in rules:
        m = re.search(pattern, text, flags=re.I)
        if m is None or not _finding_follows(text[m.end() :]):
            continue
        new = _sub_first(pattern, repl, text)
        if new is not None:
            return new
    return None


def _finding_follows(rest: str) -> bool:
    return any(_flippable(f) and f.position <= 3 for f in analyze(rest).facts)


def perturb_laterality(text: str, rng: random.Random) -> str | None:
    """Swap left and right."""
    if not _SIDE.search(text):
        return None
    if not any(f.laterality in {"left", "right"} for f in analyze(text).facts):
        return None

    def swap(m: re.Match[str]) -> str:
        w = m.group(1)
        out = "right" if w.lower() == "left" else "left"
        return out.capitalize() if w[0].isupper() else out

    return _SIDE.sub(swap, text)


@cache
def _drug_aliases() -> tuple[dict[str, str], dict[str, list[str]]]:
    alias_to_name: dict[str, str] = {}
    by_class: dict[str, list[str]] = {}
    for med in load_lexicons().medications:
        by_class.setdefault(med.class_, []).append(med.name)
        for a in (med.name, *med.aliases):
            alias_to_name.setdefault(a, med.name)
    return alias_to_name, by_class


def perturb_medication(text: str, rng: random.Random, avoid: frozenset[str]) -> str | None:
    """Replace a drug with another of its class (or any drug) the source never mentions."""
    meds = [f for f in analyze(text).facts if f.kind == "medication"]
    if not meds:
        return None
    alias_to_name, by_class = _drug_aliases()
    target = meds[0]
    aliases = sorted(
        (a for a, n in alias_to_name.items() if n == target.key), key=len, reverse=True
    )
    for alias in aliases:
        m = re.search(rf"\b{re.escape(alias)}\b", text, re.I)
        if not m:
            continue
        pool = [d for d in by_class.get(target.category, []) if d != target.key and d not in avoid]
        if not pool:
            pool = [d for d in sorted(set(alias_to_name.values())) if d not in avoid]
        return text[: m.start()] + rng.choice(pool) + text[m.end() :]
    return None


_RULES: dict[str, Callable[[str, random.Random], str | None]] = {
    "dose_unit": perturb_dose,
    "number": perturb_number,
    "negation": perturb_negation,
    "laterality": perturb_laterality,
}


def perturb_statement(
    kind: str, text: str, rng: random.Random, avoid: frozenset[str] = frozenset()
) -> Perturbation | None:
    """Apply one in-place perturbation kind to a sentence, or None if it does not apply.

    Args:
        kind: One of ``dose_unit``, ``number``, ``negation``, ``laterality``,
            ``medication``.
        text: The reference sentence.
        rng: Seeded random generator (the benchmark is reproducible).
        avoid: Drug names the source mentions (a swapped-in drug must not be one).
    """
    if kind == "medication":
        new = perturb_medication(text, rng, avoid)
    else:
        rule = _RULES.get(kind)
        new = rule(text, rng) if rule else None
    if new is None or new == text:
        return None
    return Perturbation(kind, text, new)
