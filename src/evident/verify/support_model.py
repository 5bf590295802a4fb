"""A small learned support model: the ``support`` entailer.

A logistic regression over alignment features between a statement and the source:
coverage of the statement's content words (weighted by their rarity in the source) by the
top candidates, by a window of neighbouring turns around them (notes summarise several
turns), by the whole source, by words sharing a stem prefix; how rare the unmatched words
are and how many there are; whether the statement's named facts are found. It never sees
the statement alone: every feature compares the statement with the source.

It replaces the lexical coverage score only where the checkers judged on wording: like
the lexical entailer its score is graded (``decisive=False``), so the decision table
blends it with the checkers' agreements and never lets it override a conflict or a
missing hard fact (:mod:`evident.verify.decide`). Its bias is set so that its cutoff
(``cutoff`` in the file: the probability from which a statement is supported, 0.4) is the
operating point chosen when it was trained; ``--support-threshold`` overrides it.

It is the default entailer. If the shipped file is missing (a broken install),
:func:`default_entailer` falls back to the lexical entailer with a logged warning.

The weights are a data file (``resources/support_model.json``), written by
``evident train entailer`` from the development half only, validated when loaded.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field

from evident.types import Segment, Source
from evident.verify._logistic import LogisticWeights, read_weights
from evident.verify._support_polarity import SaidWays, polarity_mismatch, said_ways
from evident.verify.entail import (
    JUDGE_BAND,
    Entailer,
    Entailment,
    LexicalEntailer,
    load_entailer,
)
from evident.verify.options import SUPPORT_THRESHOLD

if TYPE_CHECKING:
    from evident.verify.index import SourceIndex

__all__ = [
    "FEATURES",
    "SourceTerms",
    "SupportEntailer",
    "SupportWeights",
    "alignment",
    "create",
    "default_entailer",
    "load_weights",
    "shipped_path",
]

logger = logging.getLogger(__name__)

#: The features, in the order the weights are stored.
FEATURES = (
    "cov_top3",
    "cov_top1",
    "cov_window",
    "cov_all",
    "cov_prefix",
    "miss_idf_max",
    "miss_count",
    "n_terms",
    "fact_cov",
    "has_fact",
    "polarity_mismatch",
)
_TOP = 3
_RADIUS = 2
_PREFIX = 5


class SupportWeights(LogisticWeights):
    """The trained model as stored: standardisation, weights, bias, the probability cutoff
    its bias was calibrated for, and provenance."""

    FEATURE_NAMES = FEATURES

    cutoff: float = Field(default=SUPPORT_THRESHOLD, gt=0.0, lt=1.0)
    meta: dict[str, Any] = Field(default_factory=dict)


#: The shipped model for written sources, beside ``support_model.json``.
WRITTEN_FILE = "support_model_written.json"


def shipped_path() -> Path:
    """Where the shipped model file lives in the package."""
    return Path(str(resources.files("evident.verify").joinpath("resources", "support_model.json")))


def load_weights(path: Path | None = None) -> SupportWeights:
    """Read and validate a support model file (the shipped one by default).

    Raises:
        ConfigError: The file is missing, not JSON, or not a valid model.
    """
    if path is None:
        return _shipped()
    return _read(path)


@cache
def _shipped() -> SupportWeights:
    return _read(shipped_path())


def written_path() -> Path:
    """Where the shipped model for written sources is (see :func:`load_written`)."""
    return shipped_path().with_name(WRITTEN_FILE)


@cache
def load_written() -> SupportWeights | None:
    """The shipped model for written sources (abstracts, notes), trained on written
    sources; None when the file is missing (the dialogue model then serves)."""
    path = written_path()
    return _read(path) if path.is_file() else None


def _read(path: Path) -> SupportWeights:
    return read_weights(SupportWeights, path, "support model")


@dataclass(frozen=True)
class SourceTerms:
    """What every statement of one source is compared with: all its terms, their stem
    prefixes and the highest word rarity (computed once per source)."""

    terms: frozenset[str]
    prefixes: frozenset[str]
    top_idf: float
    ways: SaidWays = (frozenset(), frozenset())  # stems said affirmed, said negated

    @classmethod
    def of(cls, index: SourceIndex) -> SourceTerms:
        """The terms of every segment of ``index``."""
        terms = frozenset(_pool(index, range(len(index.segments))))
        prefixes = frozenset(t[:_PREFIX] for t in terms if len(t) >= _PREFIX)
        top = max((index.idf(t) for t in terms), default=1.0)
        return cls(terms, prefixes, top or 1.0, said_ways(index))


def alignment(
    statement: str,
    index: SourceIndex,
    positions: Sequence[int],
    source: SourceTerms | None = None,
) -> tuple[float, ...]:
    """The features of :data:`FEATURES` for a statement and its candidates' positions.

    Args:
        statement: The statement's text.
        index: The source index (analyses and word rarities of the whole source).
        positions: The candidates' positions in ``index``, most relevant first.
        source: ``SourceTerms.of(index)`` when already computed.
    """
    from evident.verify.facts import analyze

    src = source or SourceTerms.of(index)
    an = analyze(statement)
    terms = sorted({t for t in an.terms if not t.startswith("#")})
    keys = sorted({t for t in an.terms if t.startswith("#")})
    top = list(positions[:_TOP])
    window = sorted({p for q in top for p in index.neighbours(q, _RADIUS)})
    pools = {
        "top3": _pool(index, top),
        "top1": _pool(index, top[:1]),
        "window": _pool(index, window),
    }
    weight = {t: index.idf(t) for t in terms}
    total = sum(weight.values())

    def cov(pool: set[str]) -> float:
        return sum(weight[t] for t in terms if t in pool) / total if total else 0.0

    prefix = (
        sum(weight[t] for t in terms if t in src.terms or t[:_PREFIX] in src.prefixes) / total
        if total
        else 0.0
    )
    missing = [t for t in terms if t not in pools["window"]]
    facts = sum(k in pools["window"] for k in keys) / len(keys) if keys else 0.0
    return (
        cov(pools["top3"]),
        cov(pools["top1"]),
        cov(pools["window"]),
        cov(set(src.terms)),
        prefix,
        max((weight[t] for t in missing), default=0.0) / src.top_idf,
        math.log1p(len(missing)),
        math.log1p(len(terms)),
        facts,
        1.0 if keys else 0.0,
        polarity_mismatch(statement, src.ways),
    )


def _pool(index: SourceIndex, positions: Sequence[int] | range) -> set[str]:
    out: set[str] = set()
    for p in positions:
        out.update(index.segments[p].analysis.terms)
    return out


class SupportEntailer:
    """The learned support model as an entailer (graded, like the lexical one).

    Args:
        weights: The trained model; None loads the shipped one.
        index: The source index it is bound to (see :meth:`prepare`); None builds one
            over the evidence alone.
        shipped: Whether the weights are the shipped ones, so that :meth:`prepare` may
            pick the shipped model for written sources (default: ``weights`` is None).
    """

    name = "support"
    #: How far below and above its cutoff a score is borderline (the judge is asked): its
    #: probabilities crowd just above the cutoff, so the band above is narrower than the
    #: lexical one's; chosen on the development half (ACI train and the first 600
    #: MTS-Dialog train dialogues, 2,457 clinical statements) so that a judge sees a
    #: comparable share: 9.0% of statements against 8.7% with the lexical entailer (the
    #: lexical band would send it 11.8%).
    judge_band = (JUDGE_BAND[0], 0.12)

    def __init__(
        self,
        weights: SupportWeights | None = None,
        index: SourceIndex | None = None,
        *,
        shipped: bool | None = None,
    ):
        self.shipped = weights is None if shipped is None else shipped
        self.weights = weights or load_weights()
        self.index = index
        self._source = SourceTerms.of(index) if index is not None else None

    @property
    def cutoff(self) -> float:
        """The probability from which a statement is supported (from the model file)."""
        return self.weights.cutoff

    def prepare(self, index: SourceIndex) -> SupportEntailer:
        """This entailer bound to one verification's source index; the shipped model
        for written sources when every source is written (no transcript) and no model
        file was given."""
        if not self.shipped:
            return SupportEntailer(self.weights, index)
        written = load_written() if index.segments and _written(index) else None
        return SupportEntailer(written or load_weights(), index, shipped=True)

    def entail(self, statement: str, evidence: Sequence[Segment]) -> Entailment:
        """The model's probability of support, from the statement's alignment features."""
        index, source = self.index, self._source
        if index is None:
            from evident.verify.index import SourceIndex

            index = SourceIndex([Source(kind="note", text="", segments=tuple(evidence))])
            source = SourceTerms.of(index)
        positions = [index.by_id[s.id].pos for s in evidence if s.id in index.by_id]
        if not positions:
            return Entailment("neutral", 0.0, (), "no evidence", self.name, decisive=False)
        p = self.weights.probability(alignment(statement, index, positions, source))
        ids = tuple(s.id for s in evidence[:2])
        return Entailment(
            "neutral", round(p, 6), ids, "learned alignment", self.name, decisive=False
        )


def _written(index: SourceIndex) -> bool:
    return all(s.source_kind != "transcript" for s in index.segments)


def create(target: str = "", **kwargs: Any) -> SupportEntailer:
    """Entry-point factory (``support``, or ``support:<path to a model file>``)."""
    weights = load_weights(Path(target)) if target else None
    return SupportEntailer(weights, **kwargs)


def default_entailer(spec: str) -> Entailer:
    """The entailer a spec names; for the default ``support`` whose shipped file is
    missing (a broken install), the lexical entailer with a logged warning.

    Raises:
        ConfigError: As :func:`~evident.verify.entail.load_entailer`.
    """
    if spec == "support" and not shipped_path().is_file():
        logger.warning(
            "the support model file is missing from the package (%s): "
            "falling back to the lexical entailer",
            shipped_path().name,
        )
        return LexicalEntailer()
    return load_entailer(spec)
