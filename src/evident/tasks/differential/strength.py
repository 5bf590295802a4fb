"""How strongly a case speaks for each must-not-miss emergency, and the flag's cutoff.

A presentation of ``must_not_miss.json`` fits when one term of each of its groups is
affirmed; the groups are loose by design, so on their own they flag most cases. The
flag is raised only when the case's evidence for the emergency is strong enough:

- each phrase of the case that names a term of the emergency counts once, by its most
  specific term: the term's inverse document frequency over the disease-finding table
  (``log(1 + conditions / conditions listing it)``; a term no condition lists counts as
  one listed once), so ``fatigue`` (in hundreds of conditions) adds little and
  ``hemoptysis`` much;
- each phrase the case denies that names one of its terms is subtracted the same way;
- with the embeddings bridge, the emergency's resemblance to the case is added in the
  same unit: ``log(1 + conditions / (1 + n))`` where ``n`` table conditions are more
  similar to the case than the emergency is (:func:`.resemble.nearer_counts`).

Without the bridge only the emergencies whose presentation fits are weighed; with it,
every emergency the case's sex and age allow (the resemblance reaches presentations
told in other words). The cutoff is not written by hand: :func:`choose_cutoff` picks it
on development vignettes (``evident train differential-ranker``), and ``ranker.json``
ships one per engine; without it every fitting presentation flags, as before.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from evident.tasks.differential.case import Case
from evident.tasks.differential.mustnotmiss import Emergency, demographics_fit, emergencies, stem
from evident.tasks.differential.resemble import quotes
from evident.tasks.differential.table import Table
from evident.tasks.differential.terms import Mention

__all__ = [
    "Choice",
    "Sample",
    "choose_cutoff",
    "outcome",
    "specificity",
    "strengths",
    "strong",
    "term_evidence",
]


def specificity(term: str, table: Table) -> float:
    """How specific a finding is: its inverse document frequency over the table."""
    return table.idf.get(term, math.log(1 + len(table.conditions)))


def _phrases(found: Mapping[str, Mention], e: Emergency, table: Table) -> list[float]:
    """For each phrase of ``found`` naming terms of ``e`` (overlapping quotes are one
    phrase: ``short of breath`` names ``dyspnea`` and ``breath``), its most specific."""
    by_stem: dict[str, list[Mention]] = {}
    for term, m in found.items():
        if " " not in term:
            by_stem.setdefault(stem(term), []).append(m)
    spans: list[tuple[int, int, float]] = []
    for term in e.terms:
        hits = [found[term]] if term in found else []
        if not hits and " " not in term:
            hits = by_stem.get(stem(term), [])
        spans += [(m.quote_start, m.quote_end, specificity(term, table)) for m in hits]
    phrases: list[list[float]] = []  # [end, best] of each run of overlapping quotes
    for start, end, w in sorted(spans):
        if phrases and start < phrases[-1][0]:
            phrases[-1] = [max(phrases[-1][0], end), max(phrases[-1][1], w)]
        else:
            phrases.append([end, w])
    return [w for _, w in phrases]


def term_evidence(e: Emergency, case: Case, table: Table) -> float:
    """The case's phrases naming the emergency's terms, minus those it denies, each
    weighed by its most specific term."""
    return sum(_phrases(case.present, e, table)) - sum(_phrases(case.denied, e, table))


def strengths(
    case: Case,
    table: Table,
    fits: Sequence[Emergency],
    counts: Sequence[int | None] | None = None,
) -> dict[int, float]:
    """Index in :func:`emergencies` -> strength, for the emergencies weighed: those in
    ``fits`` (their presentation fits) and, given the bridge's ``counts``
    (:func:`.resemble.nearer_counts`), every one the case's sex and age allow."""
    size = len(table.conditions)
    names = {e.name for e in fits}
    out: dict[int, float] = {}
    for k, e in enumerate(emergencies()):
        n = counts[k] if counts is not None else None
        if e.name not in names and n is None:
            continue
        if not demographics_fit(e, case):
            continue
        near = math.log(1 + size / (1 + n)) if n is not None else 0.0
        out[k] = term_evidence(e, case, table) + near
    return out


def strong(
    case: Case,
    table: Table,
    fits: list[tuple[Emergency, list[Mention]]],
    counts: Sequence[int | None] | None,
    cutoff: float,
) -> list[tuple[Emergency, list[Mention]]]:
    """The emergencies whose strength reaches ``cutoff``, with the mentions to quote
    (a fitting presentation's, else the case's mentions of its terms or chief complaint)."""
    hits = {e.name: h for e, h in fits}
    found = emergencies()
    weighed = strengths(case, table, [e for e, _ in fits], counts)
    return [
        (found[k], hits.get(found[k].name) or quotes(case, found[k]))
        for k, v in weighed.items()
        if v >= cutoff
    ]


@dataclass(frozen=True)
class Sample:
    """One development vignette as the cutoff's choice sees it.

    Attributes:
        key: Its correct diagnosis (folds never split one).
        truth: Index of its emergency in :func:`emergencies`, None when it is not one.
        strengths: :func:`strengths` of the case.
    """

    key: str
    truth: int | None
    strengths: Mapping[int, float]


def outcome(s: Sample, cutoff: float) -> tuple[bool, bool]:
    """(missed, false alarm) of a sample with the flag's cutoff at ``cutoff``."""
    flagged = {k for k, v in s.strengths.items() if v >= cutoff}
    if s.truth is None:
        return False, bool(flagged)
    return s.truth not in flagged, False


@dataclass(frozen=True)
class Choice:
    """The chosen cutoff and what cross-validation says of choosing it that way.

    Attributes:
        cutoff: Chosen on every sample given.
        folds: The cutoff each fold's training part chose.
        missed: Emergencies missed, each fold flagged with its training part's cutoff.
        emergencies: Samples whose diagnosis is an emergency.
        false_alarms: Other samples flagged, counted the same way.
        others: Other samples.
    """

    cutoff: float
    folds: tuple[float, ...]
    missed: int
    emergencies: int
    false_alarms: int
    others: int


def _best(samples: Sequence[Sample], miss_cost: float, min_flagged: float) -> float:
    """The cutoff that flags at least ``min_flagged`` of the emergencies (else as many
    as any cutoff does) at the least ``miss_cost`` x missed + false alarms."""
    n_em = sum(s.truth is not None for s in samples)
    cuts = sorted({round(v, 4) for s in samples for v in s.strengths.values()})
    floor = math.ceil(min_flagged * n_em - 1e-9)

    def key(cut: float) -> tuple[bool, int, float, float]:
        missed = alarms = 0
        for s in samples:
            m, a = outcome(s, cut)
            missed += m
            alarms += a
        short = n_em - missed < floor
        # Below the floor, fewer misses first; ties: the lower cutoff (more flags).
        return short, missed if short else 0, miss_cost * missed + alarms, cut

    return min([*cuts, math.inf], key=key)


def _fold(key: str, folds: int) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % folds


def choose_cutoff(
    samples: Sequence[Sample], miss_cost: float = 10.0, folds: int = 5, min_flagged: float = 0.95
) -> Choice:
    """The cutoff of :func:`_best`, and its cross-validation (folds by diagnosis, like
    the ranker's): each fold is flagged with the cutoff its training part chose."""
    chosen, missed, alarms = [], 0, 0
    for f in range(folds):
        cut = _best([s for s in samples if _fold(s.key, folds) != f], miss_cost, min_flagged)
        chosen.append(cut)
        for s in samples:
            if _fold(s.key, folds) == f:
                m, a = outcome(s, cut)
                missed += m
                alarms += a
    n_em = sum(s.truth is not None for s in samples)
    return Choice(
        cutoff=_best(samples, miss_cost, min_flagged),
        folds=tuple(chosen),
        missed=missed,
        emergencies=n_em,
        false_alarms=alarms,
        others=len(samples) - n_em,
    )
