"""Fit the offline differential's weights on vignettes (``evident train differential-ranker``).

Each vignette becomes a :class:`~evident.tasks.differential.learn.Group`: the engine's
candidates for its case with their features, and which of them name the correct
diagnosis (matched the way the benchmark matches). The fit and its cross-validation are
in :mod:`evident.tasks.differential.learn`; this module only feeds them, and writes the
``ranker.json`` the engine loads.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from evident.evals.diagnosis import Vignette, diagnosis_match, synonyms
from evident.tasks.differential.case import read_case
from evident.tasks.differential.engine import FEATURES, EngineConfig, candidate_features, weights
from evident.tasks.differential.learn import Group, cross_validate, fit
from evident.tasks.differential.mustnotmiss import emergencies, fitting, is_emergency
from evident.tasks.differential.resemble import Sample, choose_top, nearer_counts
from evident.tasks.differential.table import Table

__all__ = [
    "RankerOptions",
    "dumps",
    "must_not_miss_samples",
    "train_ranker",
    "training_groups",
]


@dataclass(frozen=True)
class RankerOptions:
    """What to fit: folds, regularisation, the bridge's candidate cut, and how many
    false alarms a missed emergency weighs when the must-not-miss cutoff is chosen."""

    folds: int = 5
    l2: float = 0.1
    dense_candidates: int = 50
    miss_cost: float = 10.0


def training_groups(
    cases: Sequence[tuple[Vignette, Any, Any]],
    table: Table,
    cfg: EngineConfig,
    bridge: bool,
) -> list[Group]:
    """One group per (vignette, case read, similarity or None) with its correct candidates."""
    import numpy as np

    names = [synonyms(c.name, table) for c in table.conditions]
    groups = []
    for v, case, sim in cases:
        feats, cands = candidate_features(case, table, cfg, sim if bridge else None)
        # rank() breaks ties by name: order the rows so a stable sort agrees.
        order = sorted(range(len(cands)), key=lambda j: table.conditions[cands[j].index].name)
        truth = synonyms(v.diagnosis, table)
        x = np.asarray([feats[j] for j in order], dtype=float).reshape(-1, len(FEATURES))
        gold = np.asarray([diagnosis_match(names[cands[j].index], truth) for j in order])
        groups.append(Group(x, gold.astype(bool), " ".join(sorted(truth))))
    return groups


def must_not_miss_samples(
    cases: Sequence[tuple[Vignette, Any, Any]],
    vectors: Sequence[Any],
    table: Table,
    profiles: Any,
) -> list[Sample]:
    """The must-not-miss view of each (vignette, case read, similarity) and case vector."""
    found = emergencies()
    samples = []
    for (v, case, sim), vector in zip(cases, vectors, strict=True):
        truth = synonyms(v.diagnosis, table)
        e = is_emergency(truth)
        samples.append(
            Sample(
                key=" ".join(sorted(truth)),
                truth=found.index(e) if e else None,
                rules=frozenset(found.index(f) for f, _ in fitting(case)),
                counts=nearer_counts(case, vector, sim, profiles),
            )
        )
    return samples


def train_ranker(
    vignettes: Sequence[Vignette],
    table: Table,
    profiles: Any | None,
    opts: RankerOptions,
    trained_on: str,
    progress: Callable[[Iterable[Vignette]], Iterable[Vignette]] = lambda it: it,
) -> dict[str, Any]:
    """Fit the lexical weights and, given the bridge's profiles, the bridge's; JSON-ready.

    Each model records its cross-validated top-10 (folds by diagnosis), the figure to
    report; the weights themselves are then fitted on every given vignette. With the
    bridge, the must-not-miss arm's cutoff is chosen too (:func:`.resemble.choose_top`),
    with its cross-validated misses and false alarms.
    """
    cases, vectors = [], []
    for v in progress(vignettes):
        case = read_case(v.text)
        vectors.append(profiles.case_vector(case.text) if profiles else None)
        cases.append((v, case, profiles.matrix @ vectors[-1] if profiles else None))
    models: dict[str, Any] = {}
    for name, bridge in (("lexical", False), ("embeddings", True)):
        if bridge and profiles is None:
            continue
        cfg = replace(EngineConfig(), dense_candidates=opts.dense_candidates if bridge else 0)
        start = list(weights(cfg))
        groups = training_groups(cases, table, cfg, bridge)
        hits, n = cross_validate(groups, start, opts.folds, l2=opts.l2)
        models[name] = {
            "weights": fit(groups, start, l2=opts.l2),
            "dense_candidates": cfg.dense_candidates,
            "cv_top10": round(hits / n, 4) if n else 0.0,
            "cases": n,
        }
        if bridge:
            samples = must_not_miss_samples(cases, vectors, table, profiles)
            models[name].update(_must_not_miss(samples, opts))
    return {
        "version": 1,
        "features": list(FEATURES),
        "trained_on": trained_on,
        "folds": opts.folds,
        "l2": opts.l2,
        "models": models,
    }


def _must_not_miss(samples: Sequence[Sample], opts: RankerOptions) -> dict[str, Any]:
    choice = choose_top(samples, opts.miss_cost, opts.folds)
    return {
        "must_not_miss_top": choice.top,
        "must_not_miss_cv": {
            "miss_cost": int(opts.miss_cost),
            "emergencies": choice.emergencies,
            "missed": choice.missed,
            "others": choice.others,
            "false_alarms": choice.false_alarms,
        },
    }


def dumps(ranker: dict[str, Any]) -> str:
    """The ranker as stable, readable JSON."""
    return json.dumps(ranker, indent=1, sort_keys=True) + "\n"
