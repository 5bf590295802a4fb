"""Re-score recorded outputs (MIRAGE predictions format) without calling a model."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evident.errors import InputError
from evident.evals.extract import extract_choice, mirage_choice
from evident.evals.items import EvalItem
from evident.evals.loaders import read_json
from evident.evals.stats import wilson

__all__ = ["RescoreResult", "align_predictions", "load_predictions", "rescore"]

logger = logging.getLogger(__name__)

_SPLIT_PREFIX = re.compile(r"^(?:test|dev|train|val|valid|validation)_")


@dataclass(frozen=True)
class RescoreResult:
    """Accuracy of recorded outputs under both conventions.

    Attributes:
        benchmark: The benchmark's name.
        n: Items scored (every benchmark item; a missing prediction counts as unparsed).
        correct: Correct under the published convention (no letter found = option A).
        strict_correct: Correct under the robust extractor (unparsed = wrong).
        unparsed: Ids the robust extractor could not parse (missing ones included).
        missing: Benchmark ids with no prediction.
        defaulted: Number of outputs the published convention counted as option A
            because it found no letter.
        extra: Prediction ids that match no benchmark item (ignored).
        methods: How the robust extractor found each answer, counted.
    """

    benchmark: str
    n: int
    correct: int
    strict_correct: int
    unparsed: tuple[str, ...]
    missing: tuple[str, ...] = ()
    defaulted: int = 0
    extra: int = 0
    methods: Mapping[str, int] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        """Accuracy under the published convention, as a fraction."""
        return self.correct / self.n if self.n else 0.0

    @property
    def strict_accuracy(self) -> float:
        """Accuracy with unparsed outputs counted wrong, as a fraction."""
        return self.strict_correct / self.n if self.n else 0.0

    def ci(self, strict: bool = False) -> tuple[float, float]:
        """Wilson 95% interval of the accuracy (or strict accuracy)."""
        return wilson(self.strict_correct if strict else self.correct, self.n)

    def to_json(self) -> dict[str, Any]:
        """The CLI's JSON contract: benchmark, n, correct, accuracy, strict_accuracy, unparsed."""
        return {
            "benchmark": self.benchmark,
            "n": self.n,
            "correct": self.correct,
            "accuracy": self.accuracy,
            "strict_accuracy": self.strict_accuracy,
            "unparsed": list(self.unparsed),
        }


def load_predictions(path: Path) -> dict[str, Any]:
    """Read a ``{question_id: raw_output}`` JSON file.

    Raises:
        InputError: The file is missing, not JSON, or not an object.
    """
    data = read_json(Path(path))
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object {{question_id: raw_output}}")
    return {str(k): v for k, v in data.items()}


def align_predictions(
    predictions: Mapping[str, Any], ids: Sequence[str]
) -> tuple[dict[str, Any], int]:
    """Map prediction ids onto benchmark ids, removing split prefixes (``test_``, ``dev_``).

    Returns:
        (predictions keyed by benchmark id, number of prediction ids matching no item).
    """
    wanted = set(ids)
    aligned: dict[str, Any] = {}
    extra = 0
    for key, value in predictions.items():
        if key in wanted:
            aligned[key] = value
            continue
        stripped = _SPLIT_PREFIX.sub("", key, count=1)
        if stripped in wanted and stripped not in predictions:
            aligned[stripped] = value
        else:
            extra += 1
    return aligned, extra


def rescore(
    benchmark: str, items: Sequence[EvalItem], predictions: Mapping[str, Any]
) -> RescoreResult:
    """Score recorded outputs against the benchmark's answers.

    Args:
        benchmark: Name reported in the result.
        items: The benchmark's items.
        predictions: ``{question_id: raw_output}``; ids may carry a split prefix.

    Returns:
        The result under the published convention and the robust extractor.

    Raises:
        InputError: No prediction id matches any benchmark item.
    """
    if not items:
        raise InputError(f"benchmark '{benchmark}' has no items")
    aligned, extra = align_predictions(predictions, [it.id for it in items])
    if not aligned:
        raise InputError(
            f"no prediction id matches an item of '{benchmark}' "
            f"({len(predictions)} predictions, {len(items)} items)"
        )
    if extra:
        logger.warning("%d prediction ids match no item of %s; ignored", extra, benchmark)
    correct = strict = defaulted = 0
    unparsed: list[str] = []
    missing: list[str] = []
    methods: Counter[str] = Counter()
    for item in items:
        if item.id not in aligned:
            missing.append(item.id)
            unparsed.append(item.id)
            letter, found = mirage_choice(None)
        else:
            raw = aligned[item.id]
            letter, found = mirage_choice(raw)
            robust = extract_choice(raw, item.options)
            methods[robust.method] += 1
            if robust.letter is None:
                unparsed.append(item.id)
            elif robust.letter == item.answer:
                strict += 1
        defaulted += not found
        correct += letter == item.answer
    return RescoreResult(
        benchmark=benchmark,
        n=len(items),
        correct=correct,
        strict_correct=strict,
        unparsed=tuple(unparsed),
        missing=tuple(missing),
        defaulted=defaulted,
        extra=extra,
        methods=dict(methods),
    )
