"""The offline differential: weighted finding overlap against the disease-finding table.

Scoring follows retrieval-based diagnostic tools: each condition's score is the sum of the
weights of the findings the case affirms (canonical finding names count more), plus its
risk factors the history names, minus a penalty for key findings the case denies, plus
demographic priors (a condition of one sex is dropped for the other; childhood
conditions lose weight for adults; conditions described by general-health sources are
more probable a priori than those only rare-disease sites describe). The explanations
come from the same matches: every supporting or opposing finding quotes the case.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from evident.errors import ConfigError
from evident.tasks.differential.case import Case
from evident.tasks.differential.lexicon import load_lexicon
from evident.tasks.differential.mustnotmiss import (
    Emergency,
    demographics_fit,
    fitting,
    is_emergency,
)
from evident.tasks.differential.schema import Candidate, Cite, Differential, NextStep, RedFlag
from evident.tasks.differential.table import Condition, Table
from evident.tasks.differential.terms import Mention

__all__ = [
    "FEATURES",
    "EngineConfig",
    "candidate_features",
    "rank",
    "run_offline",
    "weights",
    "with_weights",
]


@dataclass(frozen=True)
class EngineConfig:
    """Weights of the offline score: hand-set (the fit's start and the fallback); the
    shipped ranker (:func:`evident.tasks.differential.ranker.learned_config`) replaces them.

    Attributes:
        support_weight: Factor for the weights of the affirmed findings.
        canonical_boost: Factor for findings named by the aliases lexicon.
        risk_weight: Factor for risk factors matched in the case.
        family_weight: Factor for a relative's condition that is a risk factor.
        denied_penalty: Factor of the penalty for findings the case denies.
        common_prior: Added for conditions of general-health sources.
        age_penalty: Subtracted, times the age-cue share, for a mismatched age group.
        min_terms: Conditions with fewer weighted findings are damped (few terms, big weights).
        query_idf: Weigh the case's findings by their rarity across conditions too.
        chief_boost: Factor for findings of the chief complaint.
        symptom_page_penalty: Subtracted for a page about a symptom rather than a cause.
        course_penalty: Subtracted when the time course contradicts the condition's name
            (a chronic or malignant condition for a complaint of days, an acute one for
            a complaint of months).
        acute_days: A complaint shorter than this is acute.
        chronic_days: A complaint longer than this is chronic.
        one_per_phrase: Count only the best term of each quoted phrase (``chest pain``,
            not also ``chest`` and ``pain``).
        chief_miss_penalty: Subtracted from a condition that explains none of the chief
            complaint's findings.
        dense_weight: Factor for the case-to-profile cosine similarity of the embeddings
            bridge (used only when a similarity is given).
        dense_candidates: With the bridge, the most similar conditions also become
            candidates even when they share no finding with the case.
        coverage_weight: Factor for the share of the case's affirmed phrases the
            condition explains.
        mnm_top: With the bridge, an emergency the case is nearer to than to all but
            fewer than this many table conditions is flagged too (:mod:`.resemble`;
            0: only the presentations of ``must_not_miss.json`` flag).
    """

    support_weight: float = 1.0
    canonical_boost: float = 1.5
    risk_weight: float = 0.5
    family_weight: float = 0.3
    denied_penalty: float = 0.6
    common_prior: float = 1.5
    age_penalty: float = 0.3
    min_terms: int = 15
    query_idf: bool = False
    chief_boost: float = 1.5
    symptom_page_penalty: float = 0.2
    course_penalty: float = 1.0
    acute_days: float = 14.0
    chronic_days: float = 90.0
    one_per_phrase: bool = True
    chief_miss_penalty: float = 1.0
    dense_weight: float = 6.0
    dense_candidates: int = 0
    coverage_weight: float = 0.0
    mnm_top: int = 0


@dataclass(frozen=True)
class Scored:
    """A condition's score and the matches that made it."""

    index: int
    score: float
    supporting: tuple[tuple[Mention, float], ...]
    opposing: tuple[tuple[Mention, float], ...]


def _boost(m: Mention, case: Case, table: Table, cfg: EngineConfig) -> float:
    boost = cfg.canonical_boost if m.canonical else 1.0
    if m.term in case.chief:
        boost *= cfg.chief_boost
    if cfg.query_idf:
        boost *= table.idf.get(m.term, 0.0)
    return boost


def _prior_parts(
    cond: Condition, case: Case, cfg: EngineConfig
) -> tuple[float, float, float, float] | None:
    """(common, symptom page, time course contradicted, age-group mismatch share), or
    None for a condition of the other sex."""
    if cond.sex and case.sex and cond.sex != case.sex:
        return None
    course_miss = 0.0
    days = case.duration_days
    if days is not None:
        course = _course(cond)
        short, long_ = days < cfg.acute_days, days > cfg.chronic_days
        if (course == "chronic" and short) or (course == "acute" and long_):
            course_miss = 1.0
    age = 0.0
    if case.age is not None and case.age >= 18:
        age = cond.child
    elif case.age is not None and case.age < 16:
        age = cond.older
    return float(cond.common), float(cond.symptom_page), course_miss, age


def _course(cond: Condition) -> str | None:
    words = set(cond.name.lower().split())
    for course, cues in load_lexicon().course.items():
        if words & cues:
            return course
    return None


FEATURES = (
    "support",
    "risk",
    "family",
    "denied",
    "common",
    "symptom_page",
    "course",
    "age",
    "chief_miss",
    "dense",
    "coverage",
)


def weights(cfg: EngineConfig) -> tuple[float, ...]:
    """The weight of each of :data:`FEATURES` in the score (penalties are negative)."""
    return (
        cfg.support_weight,
        cfg.risk_weight,
        cfg.family_weight,
        -cfg.denied_penalty,
        cfg.common_prior,
        -cfg.symptom_page_penalty,
        -cfg.course_penalty,
        -cfg.age_penalty,
        -cfg.chief_miss_penalty,
        cfg.dense_weight,
        cfg.coverage_weight,
    )


_FIELDS = (
    ("support_weight", 1),
    ("risk_weight", 1),
    ("family_weight", 1),
    ("denied_penalty", -1),
    ("common_prior", 1),
    ("symptom_page_penalty", -1),
    ("course_penalty", -1),
    ("age_penalty", -1),
    ("chief_miss_penalty", -1),
    ("dense_weight", 1),
    ("coverage_weight", 1),
)


def with_weights(cfg: EngineConfig, values: Sequence[float]) -> EngineConfig:
    """``cfg`` with the weights of :data:`FEATURES` replaced (the inverse of :func:`weights`)."""
    if len(values) != len(FEATURES):
        raise ConfigError(f"expected {len(FEATURES)} weights, got {len(values)}")
    update: dict[str, Any] = {
        name: sign * float(v) for (name, sign), v in zip(_FIELDS, values, strict=True)
    }
    return replace(cfg, **update)


@dataclass
class _Matches:
    """What the case's findings hit in the table, per condition index."""

    risk: dict[int, float]
    family: dict[int, float]
    denied: dict[int, float]
    best: dict[int, dict[tuple[Any, ...], float]]
    sup: dict[int, list[tuple[Mention, float]]]
    opp: dict[int, list[tuple[Mention, float]]]


def _match(case: Case, table: Table, cfg: EngineConfig) -> _Matches:
    mt = _Matches(
        defaultdict(float),
        defaultdict(float),
        defaultdict(float),
        defaultdict(dict),
        defaultdict(list),
        defaultdict(list),
    )
    for term, m in case.present.items():
        # One phrase counts once (its best term), unless every term is to count.
        key = (m.quote_start, m.quote_end) if cfg.one_per_phrase else (m.start, m.end, term)
        for i, w in table.by_finding.get(term, ()):
            b = w * _boost(m, case, table, cfg)
            mt.sup[i].append((m, b))
            mt.best[i][key] = max(mt.best[i].get(key, 0.0), b)
        for i, w in table.by_risk.get(term, ()):
            mt.risk[i] += w
    for term, _m in case.family.items():
        for i, w in table.by_risk.get(term, ()):
            mt.family[i] += w
    for term, m in case.denied.items():
        for i, w in table.by_finding.get(term, ()):
            mt.denied[i] += w * _boost(m, case, table, cfg)
            mt.opp[i].append((m, w))
    return mt


def candidate_features(
    case: Case,
    table: Table,
    cfg: EngineConfig | None = None,
    similarity: Sequence[float] | None = None,
) -> tuple[list[tuple[float, ...]], list[Scored]]:
    """The candidates of a case and each one's :data:`FEATURES` (score 0 until weighed).

    Candidates are the conditions sharing a finding with the case and, with a
    similarity, the ``cfg.dense_candidates`` most similar conditions (the bridge's own
    cut from the vector index: conditions the case describes in other words).
    """
    cfg = cfg or EngineConfig()
    mt = _match(case, table, cfg)
    pool = list(mt.sup)
    if similarity is not None and cfg.dense_candidates:
        import numpy as np

        sims = np.asarray(similarity)
        k = min(cfg.dense_candidates, len(sims))
        near = np.argpartition(-sims, k - 1)[:k]
        pool += [int(i) for i in near if int(i) not in mt.sup]
    spans = {(m.quote_start, m.quote_end) for m in case.present.values()}
    feats: list[tuple[float, ...]] = []
    out: list[Scored] = []
    for i in pool:
        cond = table.conditions[i]
        prior = _prior_parts(cond, case, cfg)
        if prior is None:
            continue
        damp = math.sqrt(min(1.0, len(cond.findings) / cfg.min_terms))
        explains = any(m.term in case.chief for m, _ in mt.sup.get(i, ()))
        sup = sum(mt.best[i].values()) if i in mt.best else 0.0
        feats.append(
            (
                sup * damp,
                mt.risk.get(i, 0.0) * damp,
                mt.family.get(i, 0.0) * damp,
                (mt.denied.get(i, 0.0) if i in mt.sup else 0.0) * damp,
                *prior,
                float(bool(case.chief) and not explains),
                float(similarity[i]) if similarity is not None else 0.0,
                len(mt.best.get(i, ())) / max(1, len(spans)),
            )
        )
        out.append(
            Scored(
                i,
                0.0,
                tuple(sorted(mt.sup.get(i, ()), key=lambda x: -x[1])),
                tuple(sorted(mt.opp.get(i, ()), key=lambda x: -x[1])) if i in mt.sup else (),
            )
        )
    return feats, out


def rank(
    case: Case,
    table: Table,
    cfg: EngineConfig | None = None,
    similarity: Sequence[float] | None = None,
) -> list[Scored]:
    """Score every candidate condition of the case, best first.

    Args:
        case: The case read.
        table: The disease-finding table.
        cfg: The weights.
        similarity: Optional cosine similarity of the case to each condition's profile
            (the embeddings bridge), in table order; added times ``cfg.dense_weight``.
    """
    cfg = cfg or EngineConfig()
    feats, cands = candidate_features(case, table, cfg, similarity)
    w = weights(cfg)
    out = [
        Scored(c.index, sum(a * b for a, b in zip(f, w, strict=True)), c.supporting, c.opposing)
        for f, c in zip(feats, cands, strict=True)
    ]
    out.sort(key=lambda s: (-s.score, table.conditions[s.index].name))
    return out


def _cites(matches: tuple[tuple[Mention, float], ...], text: str, limit: int) -> list[Cite]:
    cites: list[Cite] = []
    seen: set[tuple[int, int]] = set()
    for m, _w in matches:
        span = (m.quote_start, m.quote_end)
        if any(a < span[1] and span[0] < b for a, b in seen):
            continue
        seen.add(span)
        cites.append(Cite(finding=m.term, quote=text[span[0] : span[1]]))
        if len(cites) == limit:
            break
    return cites


def _likelihood(score: float, top: float, rank_: int) -> str:
    ratio = score / top if top > 0 else 0.0
    if rank_ <= 2 and ratio >= 0.85:
        return "high"
    return "medium" if ratio >= 0.6 else "low"


def _missing(cond: Condition, case: Case, limit: int = 3) -> list[str]:
    """The condition's strongest finding names the case does not mention, then a test."""
    known = set(case.present) | set(case.denied)
    names = set(load_lexicon().aliases.values())
    top = sorted(cond.findings.items(), key=lambda kv: (-kv[1], kv[0]))
    out = [t for t, _ in top if t not in known and t in names][:limit]
    return out + list(cond.tests[:1])


def _candidate(s: Scored, table: Table, case: Case, n: int, top: float) -> Candidate:
    cond = table.conditions[s.index]
    supporting = _cites(s.supporting, case.text, 5)
    likelihood = _likelihood(s.score, top, n) if supporting else "low"
    return Candidate(
        rank=n,
        diagnosis=cond.name,
        likelihood=likelihood,  # type: ignore[arg-type]
        supporting=supporting,
        opposing=_cites(s.opposing, case.text, 3),
        missing=_missing(cond, case),
        must_not_miss=False,
    )


def _matches(e: Emergency, cond: Condition) -> bool:
    return bool(set(cond.names) & set(e.names))


def _bridge(
    case: Case, table: Table, cfg: EngineConfig, fits: list[tuple[Emergency, list[Mention]]]
) -> Any:
    """The case's similarity to every condition; adds the emergencies it resembles to
    ``fits`` (with ``cfg.mnm_top``)."""
    from evident.tasks.differential.dense import profiles_for
    from evident.tasks.differential.resemble import nearer_counts, resembling

    profiles = profiles_for(table)
    vector = profiles.case_vector(case.text)
    similarity = profiles.matrix @ vector
    if cfg.mnm_top:
        counts = nearer_counts(case, vector, similarity, profiles)
        fits += resembling(case, counts, cfg.mnm_top, {e.name for e, _ in fits})
    return similarity


#: Named in ``issues`` when no listed diagnosis cites a finding of the case.
NO_FINDING = (
    "no diagnosis listed rests on a finding the case states (the offline engine reads "
    "English clinical words): treat the list as unranked"
)


def run_offline(
    case: Case,
    table: Table,
    top: int = 10,
    cfg: EngineConfig | None = None,
    embeddings: bool = False,
) -> Differential:
    """The offline differential of a case: top conditions, red flags and next steps.

    Args:
        case: The case read.
        table: The disease-finding table.
        top: How many conditions to list (must-not-miss ones are added after them).
        cfg: The weights (default: the shipped ranker's for this engine).
        embeddings: Add the lay-to-clinical embeddings bridge (the ``embeddings`` extra).

    Raises:
        ConfigError: ``embeddings`` is asked for without the extra installed.
    """
    if cfg is None:
        from evident.tasks.differential.ranker import learned_config

        cfg = learned_config(embeddings)
    fits = fitting(case)
    similarity = _bridge(case, table, cfg, fits) if embeddings else None
    scored = rank(case, table, cfg, similarity)
    best = scored[0].score if scored else 0.0
    cands = [_candidate(s, table, case, n, best) for n, s in enumerate(scored[:top], 1)]
    red = []
    for e, hits in fits:
        cites = _cites(tuple((m, 1.0) for m in hits), case.text, 5)
        red.append(RedFlag(diagnosis=e.name, supporting=cites))
        where = [c for c in cands if _matches(e, table.conditions[_index(table, c.diagnosis)])]
        for c in where:
            c.must_not_miss = True
        if not where:
            cands.append(
                Candidate(
                    rank=len(cands) + 1,
                    diagnosis=e.name,
                    likelihood="low",
                    supporting=cites,
                    must_not_miss=True,
                )
            )
    red += _listed_emergencies(cands, table, case)
    return Differential(
        differential=cands,
        red_flags=red,
        next_steps=_next_steps(fits, cands, table),
        model="offline",
        issues=[] if any(c.supporting or c.opposing for c in cands) else [NO_FINDING],
    )


def _listed_emergencies(cands: list[Candidate], table: Table, case: Case) -> list[RedFlag]:
    """An emergency the differential lists as at least of medium likelihood is
    must-not-miss wherever it ranks, when the case's sex and age allow it: it is flagged
    with the quotes it was ranked on."""
    red: list[RedFlag] = []
    for c in cands:
        i = _index(table, c.diagnosis)
        if c.must_not_miss or i < 0 or c.likelihood == "low":
            continue
        e = is_emergency(set(table.conditions[i].names))
        if e is not None and demographics_fit(e, case):
            c.must_not_miss = True
            red.append(RedFlag(diagnosis=e.name, supporting=list(c.supporting[:5])))
    return red


def _index(table: Table, name: str) -> int:
    for i, c in enumerate(table.conditions):
        if c.name == name:
            return i
    return -1


def _next_steps(
    fits: list[tuple[Emergency, list[Mention]]], cands: list[Candidate], table: Table
) -> list[NextStep]:
    steps: list[NextStep] = []
    seen: set[str] = set()
    for e, _ in fits:
        for test, why in e.next_steps:
            if test.lower() not in seen:
                seen.add(test.lower())
                steps.append(NextStep(test=test, why=why or f"confirms or excludes {e.name}"))
    for cand in cands[:3]:
        i = _index(table, cand.diagnosis)
        for test in table.conditions[i].tests[:2] if i >= 0 else ():
            if test not in seen:
                seen.add(test)
                steps.append(NextStep(test=test, why=f"confirms or excludes {cand.diagnosis}"))
    return steps[:8]
