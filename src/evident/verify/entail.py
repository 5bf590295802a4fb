"""Entailers: does the evidence entail a statement? A plugin protocol.

An entailer reads one statement against its evidence segments and answers
``entailed``, ``neutral`` or ``contradicted`` with a score and the segments it used. It
decides what the checkers could not (paraphrase, lay words, answers spread over a
dialogue); it never overrides a checker's conflict or missing fact (see
:mod:`evident.verify.decide`).

Entailers register a factory under the entry-point group ``evident.entailers``; the
built-in ones register the same way in Evident's own ``pyproject.toml``::

    [project.entry-points."evident.entailers"]
    myentailer = "mypackage.module:create"

The factory is called as ``create(target, **kwargs)``, where ``target`` is the part of
the spec after the first colon (``openai:gpt-4o`` in ``llm:openai:gpt-4o``).

An entailer may also define ``prepare(index)`` returning an entailer bound to one
verification's :class:`~evident.verify.index.SourceIndex` (the lexical entailer weighs
words by their rarity in the whole source that way), ``cutoff`` (its own score cutoff,
used when ``--support-threshold`` is not given; :data:`SUPPORT_THRESHOLD` when it names
none) and ``judge_band`` (how far below and above its cutoff a graded score is
borderline enough to ask a judge; :data:`JUDGE_BAND` when it names none).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from evident.errors import ConfigError
from evident.types import Segment
from evident.verify.options import SUPPORT_THRESHOLD

if TYPE_CHECKING:
    from evident.verify.index import SourceIndex

__all__ = [
    "GROUP",
    "JUDGE_BAND",
    "EntailLabel",
    "Entailer",
    "Entailment",
    "LexicalEntailer",
    "available_entailers",
    "create_lexical",
    "cutoff_of",
    "judge_band_of",
    "load_entailer",
]

GROUP = "evident.entailers"

#: How far below and above its cutoff a graded score is borderline (the judge is asked):
#: the lexical entailer's band, 0.25 to 0.7 around its cutoff of 0.4.
JUDGE_BAND = (0.15, 0.3)

EntailLabel = Literal["entailed", "neutral", "contradicted"]


@dataclass(frozen=True)
class Entailment:
    """An entailer's reading of one statement.

    Attributes:
        label: ``entailed``, ``neutral`` (the evidence does not carry it) or
            ``contradicted``.
        score: In [0, 1]: how strongly the evidence entails the statement.
        segments: Ids of the segments used.
        reason: One line, no PHI beyond the texts compared.
        entailer: Name of the entailer (recorded in ``decided_by``).
        decisive: Whether ``label`` is a judgement (a model's) that the decision table
            takes as it is; False for a graded score (lexical coverage) that the table
            blends with the checkers' agreements and compares with the threshold.
    """

    label: EntailLabel
    score: float
    segments: tuple[str, ...]
    reason: str = ""
    entailer: str = ""
    decisive: bool = True

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"entailment score must be in [0, 1], got {self.score}")


@runtime_checkable
class Entailer(Protocol):
    """Reads a statement against evidence segments. ``name`` is recorded in verdicts."""

    name: str

    def entail(self, statement: str, evidence: Sequence[Segment]) -> Entailment:
        """How strongly ``evidence`` (most relevant first) entails ``statement``."""
        ...


class LexicalEntailer:
    """Coverage of the statement's content words by its top evidence, weighted by rarity.

    Not a judgement but a graded score (``decisive=False``): the decision table blends it
    with the checkers' agreements and compares it with the support threshold.

    Args:
        index: The source index whose analyses and word rarities to use; None analyses
            the evidence itself and weighs every word alike.
        top: How many evidence segments count.
    """

    name = "lexical"
    #: The share of the statement's word weight it needs to be supported.
    cutoff = SUPPORT_THRESHOLD
    judge_band = JUDGE_BAND

    def __init__(self, index: SourceIndex | None = None, top: int = 3) -> None:
        self.index = index
        self.top = top

    def prepare(self, index: SourceIndex) -> LexicalEntailer:
        """This entailer bound to one verification's source index."""
        return LexicalEntailer(index, self.top)

    def entail(self, statement: str, evidence: Sequence[Segment]) -> Entailment:
        """Share of the statement's content-word weight found in the top evidence."""
        from evident.verify.facts import analyze

        terms = {t for t in analyze(statement).terms if not t.startswith("#")}
        pool: set[str] = set()
        for seg in evidence[: self.top]:
            indexed = self.index.by_id.get(seg.id) if self.index is not None else None
            an = indexed.analysis if indexed is not None else analyze(seg.text)
            pool.update(an.terms)
        weight = self.index.idf if self.index is not None else _unit
        total = sum(weight(t) for t in terms)
        covered = sum(weight(t) for t in terms if t in pool)
        score = round(min(1.0, covered / total), 6) if total else 0.0
        ids = tuple(s.id for s in evidence[:2])
        return Entailment("neutral", score, ids, "wording overlap", self.name, decisive=False)


def _unit(term: str) -> float:
    return 1.0


def cutoff_of(entailer: object) -> float:
    """The entailer's own score cutoff: its ``cutoff`` attribute, else
    :data:`SUPPORT_THRESHOLD`."""
    cutoff = getattr(entailer, "cutoff", SUPPORT_THRESHOLD)
    return float(cutoff) if isinstance(cutoff, int | float) else SUPPORT_THRESHOLD


def judge_band_of(entailer: object) -> tuple[float, float]:
    """How far below and above its cutoff the entailer's graded score is borderline: its
    ``judge_band`` attribute, else :data:`JUDGE_BAND`."""
    band = getattr(entailer, "judge_band", JUDGE_BAND)
    if isinstance(band, tuple) and len(band) == 2:
        return float(band[0]), float(band[1])
    return JUDGE_BAND


def create_lexical(target: str = "", **kwargs: Any) -> LexicalEntailer:
    """Entry-point factory of the lexical entailer (``lexical``)."""
    if target:
        raise ConfigError(f"the lexical entailer takes no argument, got 'lexical:{target}'")
    return LexicalEntailer(**kwargs)


Factory = Callable[..., Entailer]


@cache
def _factories() -> dict[str, Any]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def available_entailers() -> list[str]:
    """Names of all registered entailers, sorted."""
    return sorted(_factories())


def load_entailer(spec: str = "lexical", **kwargs: Any) -> Entailer:
    """Create the entailer a spec names.

    Args:
        spec: ``lexical`` (today's coverage score), ``llm:<backend spec>`` (any
            configured backend, versioned prompt, 'absence of evidence is not support'),
            or any name registered under the entry-point group ``evident.entailers``.
        **kwargs: Passed to the factory (``backend=`` a ready backend for ``llm``).

    Returns:
        The entailer.

    Raises:
        ConfigError: Empty spec, unknown name, or a factory that fails to build.
    """
    spec = spec.strip()
    if not spec:
        raise ConfigError("empty entailer spec")
    name, _, target = spec.partition(":")
    ep = _factories().get(name)
    if ep is None:
        known = ", ".join(available_entailers()) or "none"
        raise ConfigError(f"unknown entailer '{name}' (registered: {known})")
    factory: Factory = ep.load()
    entailer = factory(target, **kwargs)
    if not isinstance(entailer, Entailer):
        raise ConfigError(f"entailer '{name}' does not implement entail()")
    return entailer
