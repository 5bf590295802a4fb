"""Diagnosis benchmark (``evident eval diagnosis``): clinical vignettes with their answer.

The JSONL vignettes (``correct_diagnosis, demographics, chief_complaints, presentation,
absent_findings, physical_history, family_history, social_history``, the format of
symptomcheck-bench) become case texts; any differential engine is scored on top-1/5/10
accuracy with Wilson intervals, quote validity (exact substrings, no denied finding as
support) before and after verification, the share of emergencies flagged, and the
share of the other vignettes that get a must-not-miss flag all the same (false alarms).

Vignettes are split into two halves by a hash of the normalised correct diagnosis, so no
diagnosis is in both: tune on ``dev``, report ``test``.
"""

from __future__ import annotations

import hashlib
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from evident.errors import InputError
from evident.evals.stats import wilson
from evident.jsonl import json_lines
from evident.tasks.differential.case import Case, read_case
from evident.tasks.differential.check import check_differential, denied_quote
from evident.tasks.differential.lexicon import load_lexicon
from evident.tasks.differential.mustnotmiss import is_emergency
from evident.tasks.differential.schema import Differential
from evident.tasks.differential.table import Table
from evident.tasks.differential.terms import normalise_name

__all__ = [
    "Vignette",
    "diagnosis_match",
    "load_vignettes",
    "score_engine",
    "split_of",
    "synonyms",
    "vignette_text",
]

_EMPTY = {"", "-", "none", "n/a", "na", "nil"}
_FIELDS = ("demographics", "chief_complaints", "presentation", "absent_findings")
_BROAD = {
    "disease",
    "disorder",
    "syndrome",
    "acute",
    "chronic",
    "infection",
    "cancer",
    "tumor",
    "tumour",
    "carcinoma",
    "of",
    "the",
    "and",
    "type",
    "primary",
    "secondary",
    "with",
    "in",
}


@dataclass(frozen=True)
class Vignette:
    """One vignette: its case text and correct diagnosis."""

    index: int
    diagnosis: str
    text: str


def _field(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    text = " ".join(str(value).split()) if value is not None else ""
    return "" if text.lower().strip(".") in _EMPTY else text


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def vignette_text(row: dict[str, Any]) -> str:
    """The case text of a vignette row (demographics, complaint, story, negatives, history)."""
    parts = []
    if demo := _field(row, "demographics"):
        parts.append(_sentence(demo))
    if cc := _field(row, "chief_complaints"):
        parts.append(_sentence(f"Chief complaint: {cc}"))
    if story := _field(row, "presentation"):
        parts.append(_sentence(story))
    if absent := _field(row, "absent_findings"):
        parts.append(_sentence(absent))
    for key, label in (
        ("physical_history", "Past history"),
        ("social_history", "Social history"),
        ("family_history", "Family history"),
    ):
        if value := _field(row, key):
            parts.append(_sentence(f"{label}: {value}"))
    return "\n".join(parts)


def load_vignettes(path: Path) -> list[Vignette]:
    """Read JSONL vignettes.

    Raises:
        InputError: Missing file, bad JSON, or a row without a diagnosis or presentation.
    """
    out = []
    for n, row in json_lines(path, "vignette"):
        if not isinstance(row, dict) or not _field(row, "correct_diagnosis"):
            raise InputError(f"{path}:{n}: no correct_diagnosis")
        if not any(_field(row, k) for k in _FIELDS):
            raise InputError(f"{path}:{n}: no case text")
        out.append(Vignette(n, _field(row, "correct_diagnosis"), vignette_text(row)))
    if not out:
        raise InputError(f"{path}: no vignettes")
    return out


def split_of(diagnosis: str) -> str:
    """``dev`` or ``test``: a hash of the normalised diagnosis (one diagnosis, one half)."""
    digest = hashlib.sha256(normalise_name(diagnosis).encode()).hexdigest()
    return "dev" if int(digest, 16) % 2 == 0 else "test"


def synonyms(name: str, table: Table | None = None) -> set[str]:
    """Normalised names of a diagnosis: itself, lexicon aliases, table and emergency names."""
    base = normalise_name(name)
    names = {base}
    aliases = load_lexicon().diagnosis_aliases
    canon = aliases.get(base) or aliases.get(name.lower())
    if canon:
        names |= {normalise_name(a) for a, c in aliases.items() if c == canon}
    if table is not None:
        for cond in table.conditions:
            if base in cond.names:
                names |= set(cond.names)
    emergency = is_emergency(names)
    if emergency and base in emergency.names:
        names.add(normalise_name(emergency.name))
    return names - {""}


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "is", "us")):
        return word[:-1]
    return word


def _words(name: str) -> set[str]:
    return {_singular(w) for w in name.split()}


def _same(p: str, t: str) -> bool:
    """Spelling variants: plurals, joined words, a letter lost (``pre eclampsia``)."""
    ps, ts = " ".join(sorted(_words(p))), " ".join(sorted(_words(t)))
    if ps == ts or p.replace(" ", "") == t.replace(" ", ""):
        return True
    if len(p) < 8:
        return False
    sm = SequenceMatcher(None, p, t)
    # The quick ratios are upper bounds of ratio(): most pairs stop there.
    return sm.real_quick_ratio() >= 0.9 and sm.quick_ratio() >= 0.9 and sm.ratio() >= 0.9


def diagnosis_match(predicted: set[str], truth: set[str], strict: bool = False) -> bool:
    """Whether two sets of normalised names denote the same diagnosis.

    Strict: a shared name, up to spelling (plurals, joined words, one letter in ten).
    Otherwise also when one name's words contain the other's and
    the smaller has a specific word (``urinary incontinence`` ~ ``overflow urinary
    incontinence``, but ``cancer`` does not match ``bladder cancer``).
    """
    if predicted & truth or any(_same(p, t) for p in predicted for t in truth):
        return True
    if strict:
        return False
    for p in predicted:
        for t in truth:
            pw, tw = _words(p), _words(t)
            small = pw if len(pw) <= len(tw) else tw
            if (pw <= tw or tw <= pw) and small - _BROAD:
                return True
    return False


@dataclass
class EngineScore:
    """Counts for one engine over a set of vignettes."""

    name: str
    n: int = 0
    hits: dict[int, int] = field(default_factory=lambda: {1: 0, 5: 0, 10: 0})
    strict_hits: dict[int, int] = field(default_factory=lambda: {1: 0, 5: 0, 10: 0})
    quotes: int = 0
    quotes_exact: int = 0
    denied_support: int = 0
    after_bad: int = 0
    emergencies: int = 0
    emergencies_flagged: int = 0
    others: int = 0
    others_flagged: int = 0
    misses: list[tuple[int, str, list[str]]] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        """Figures with 95% Wilson intervals (fractions)."""
        out: dict[str, Any] = {"engine": self.name, "n": self.n}
        for k in (1, 5, 10):
            out[f"top{k}"] = (
                self.hits[k] / self.n if self.n else 0.0,
                wilson(self.hits[k], self.n),
            )
            out[f"top{k}_strict"] = self.strict_hits[k] / self.n if self.n else 0.0
        out["quotes"] = self.quotes
        out["quotes_exact"] = self.quotes_exact / self.quotes if self.quotes else 1.0
        out["denied_as_supporting"] = self.denied_support
        out["invalid_after_check"] = self.after_bad
        out["cpu_s_median"] = statistics.median(self.cpu) if self.cpu else 0.0
        out["cpu_s_mean"] = statistics.fmean(self.cpu) if self.cpu else 0.0
        out["must_not_miss"] = (
            self.emergencies_flagged / self.emergencies if self.emergencies else 1.0,
            wilson(self.emergencies_flagged, self.emergencies),
            self.emergencies,
        )
        out["false_alarm"] = (
            self.others_flagged / self.others if self.others else 0.0,
            wilson(self.others_flagged, self.others),
            self.others,
        )
        return out


def _audit_quotes(diff: Differential, case: Case) -> tuple[int, int, int]:
    total = exact = denied = 0
    for cand in diff.differential:
        for cite in [*cand.supporting, *cand.opposing]:
            total += 1
            exact += cite.quote in case.text
        for cite in cand.supporting:
            denied += cite.quote in case.text and denied_quote(case, cite.quote)
    return total, exact, denied


def _rank_of(diff: Differential, truth: set[str], table: Table | None, strict: bool) -> int:
    for cand in diff.differential:
        if cand.rank <= 10 and diagnosis_match(synonyms(cand.diagnosis, table), truth, strict):
            return cand.rank
    return 0


def _flagged(diff: Differential, truth: set[str], table: Table | None) -> bool:
    names = [c.diagnosis for c in diff.differential if c.must_not_miss]
    names += [f.diagnosis for f in diff.red_flags]
    return any(diagnosis_match(synonyms(n, table), truth, True) for n in names) or any(
        (e := is_emergency(synonyms(n, table))) is not None and bool(truth & set(e.names))
        for n in names
    )


def _any_flag(diff: Differential) -> bool:
    """Whether the differential raises any must-not-miss flag (a false alarm when the
    correct diagnosis is not an emergency)."""
    return bool(diff.red_flags) or any(c.must_not_miss for c in diff.differential)


def score_engine(
    name: str,
    engine: Callable[[Case], Differential],
    vignettes: Sequence[Vignette],
    table: Table | None,
    progress: Callable[[Iterable[Vignette]], Iterable[Vignette]] = lambda it: it,
) -> EngineScore:
    """Run ``engine`` on every vignette and count what the benchmark reports.

    The CPU time of a case covers reading it and running the engine (all threads of
    the process; a first case also pays for loading what the engine loads lazily).
    """
    score = EngineScore(name)
    for v in progress(vignettes):
        t0 = time.process_time()
        case = read_case(v.text)
        raw = engine(case)
        score.cpu.append(time.process_time() - t0)
        total, exact, denied = _audit_quotes(raw, case)
        score.quotes += total
        score.quotes_exact += exact
        score.denied_support += denied
        checked = check_differential(raw, case)
        t2, e2, d2 = _audit_quotes(checked, case)
        score.after_bad += (t2 - e2) + d2
        truth = synonyms(v.diagnosis, table)
        score.n += 1
        r = _rank_of(checked, truth, table, strict=False)
        rs = _rank_of(checked, truth, table, strict=True)
        for k in (1, 5, 10):
            score.hits[k] += bool(r and r <= k)
            score.strict_hits[k] += bool(rs and rs <= k)
        if is_emergency(truth):
            score.emergencies += 1
            score.emergencies_flagged += _flagged(checked, truth, table)
        else:
            score.others += 1
            score.others_flagged += _any_flag(checked)
        if not r:
            score.misses.append(
                (v.index, v.diagnosis, [c.diagnosis for c in checked.differential[:5]])
            )
    return score
