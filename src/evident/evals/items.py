"""Benchmark items: the unit every loader yields and every scorer reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

__all__ = ["EvalItem", "ItemKind"]

ItemKind = Literal["mcq", "medec"]


@dataclass(frozen=True)
class EvalItem:
    """One benchmark question.

    Attributes:
        id: Identifier, unique within the benchmark.
        benchmark: The benchmark's name (``medqa``, ``pubmedqa-context``, ``medec``).
        question: The question (for MEDEC: the clinical text).
        options: Option letter to option text, in order (empty for MEDEC).
        answer: The correct option letter (for MEDEC: ``A`` = has an error, ``B`` = none).
        context: Passages given with the question (PubMedQA abstracts), may be empty.
        kind: ``mcq`` for multiple choice, ``medec`` for error detection.
        sentences: MEDEC only: the text's sentences as (sentence id, text).
        error_sentence_id: MEDEC only: id of the sentence holding the error, else -1.
        meta: Extra string attributes (variant of a bias probe, source id, ...).
    """

    id: str
    benchmark: str
    question: str
    options: Mapping[str, str]
    answer: str
    context: tuple[str, ...] = ()
    kind: ItemKind = "mcq"
    sentences: tuple[tuple[int, str], ...] = ()
    error_sentence_id: int = -1
    meta: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", MappingProxyType(dict(self.options)))
        object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))

    def with_question(self, question: str, item_id: str, **meta: str) -> EvalItem:
        """A copy with another question text and id (used by bias probes)."""
        return EvalItem(
            id=item_id,
            benchmark=self.benchmark,
            question=question,
            options=self.options,
            answer=self.answer,
            context=self.context,
            kind=self.kind,
            sentences=self.sentences,
            error_sentence_id=self.error_sentence_id,
            meta={**self.meta, **meta},
        )
