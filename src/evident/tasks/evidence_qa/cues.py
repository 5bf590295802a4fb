"""Question types and the sentences that answer them (``resources/answer_cues.json``).

A question is typed by its form ("when should ...", "what causes ...", "is ... ?"); a
sentence that has the structure of an answer to that type (a condition or threshold for
*when*, a cause for *what causes*, a finding for a yes/no question) is preferred over one
that only shares the question's words. Sentences that restate a question, a study's aim
or a list of resources are not answers and score lower. The table is data, validated
when loaded.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from evident.errors import ConfigError

__all__ = ["AnswerCues", "QuestionType", "load_cues"]


def _compile(patterns: tuple[str, ...]) -> list[re.Pattern[str]]:
    try:
        return [re.compile(p, re.IGNORECASE) for p in patterns]
    except re.error as exc:
        raise ValueError(f"bad pattern: {exc}") from None


class QuestionType(BaseModel):
    """One question type: how to recognise it and what its answers look like."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    question: tuple[str, ...] = Field(min_length=1)
    answer: tuple[str, ...] = Field(min_length=1)

    @field_validator("question", "answer")
    @classmethod
    def _valid(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        _compile(value)
        return value


class _Weights(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cue: float = Field(ge=0, le=1)
    document: float = Field(ge=0, le=1)
    background: float = Field(default=0.0, ge=0, le=1)
    position: float = Field(default=0.0, ge=0, le=1)


class AnswerCues(BaseModel):
    """The validated table, with its patterns compiled once."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    about: str = ""
    weights: _Weights
    restate: tuple[str, ...] = Field(min_length=1)
    background: tuple[str, ...] = ()
    position_types: tuple[str, ...] = ()
    types: tuple[QuestionType, ...] = Field(min_length=1)

    @field_validator("restate", "background")
    @classmethod
    def _valid(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        _compile(value)
        return value

    def question_type(self, question: str) -> str | None:
        """The first type whose question patterns match, or None."""
        for qtype, patterns, _ in _compiled(self):
            if any(p.search(question) for p in patterns):
                return qtype
        return None

    def cue(self, qtype: str | None, sentence: str) -> float:
        """The weight a sentence gains for being shaped like an answer to ``qtype``."""
        for name, _, answers in _compiled(self):
            if name == qtype and any(p.search(sentence) for p in answers):
                return self.weights.cue
        return 0.0

    def context(self, qtype: str | None, sentence: str, place: float) -> float:
        """What a sentence's place in its passage adds for ``qtype``.

        A sentence reporting earlier work ("studies have shown ...") is background, not
        the passage's own finding: it loses ``background``. For the types in
        ``position_types`` (a study abstract answers a yes/no question in its results and
        conclusions), a sentence gains ``position`` times its place in the passage (0 for
        the first sentence, 1 for the last).
        """
        score = 0.0
        if any(p.search(sentence) for p in _background(self)):
            score -= self.weights.background
        if qtype in self.position_types:
            score += self.weights.position * min(1.0, max(0.0, place))
        return score

    def restates(self, sentence: str) -> bool:
        """True when the sentence restates a question, a study's aim or resources."""
        return any(p.search(sentence) for p in _restate(self))


@cache
def _compiled(
    cues: AnswerCues,
) -> tuple[tuple[str, list[re.Pattern[str]], list[re.Pattern[str]]], ...]:
    return tuple((t.name, _compile(t.question), _compile(t.answer)) for t in cues.types)


@cache
def _restate(cues: AnswerCues) -> list[re.Pattern[str]]:
    return _compile(cues.restate)


@cache
def _background(cues: AnswerCues) -> list[re.Pattern[str]]:
    return _compile(cues.background)


@cache
def load_cues() -> AnswerCues:
    """The bundled table.

    Raises:
        ConfigError: The file is missing or invalid.
    """
    try:
        text = (
            resources.files("evident.tasks.evidence_qa")
            .joinpath("resources", "answer_cues.json")
            .read_text("utf-8")
        )
        return AnswerCues.model_validate(json.loads(text))
    except (OSError, ValueError, ValidationError) as exc:
        raise ConfigError(
            f"invalid evidence_qa answer_cues.json: {type(exc).__name__}: {exc}"
        ) from None
