"""Thresholds and the prompt of ``evidence_qa``, loaded from ``resources/`` and validated."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evident.errors import ConfigError

__all__ = ["PROMPT_VERSION", "Prompt", "Settings", "load_prompt", "load_settings"]

PROMPT_VERSION = "evidence_qa/1.0"


class Settings(BaseModel):
    """Offline-engine thresholds (``resources/settings.json``).

    Attributes:
        min_coverage: Share of the question's content terms the retrieved passages must
            contain, else the engine abstains.
        min_sentence_terms: Question terms a sentence must share to be quoted.
        min_top_score: Lowest retrieval score of the best passage that may be answered from.
        max_sentences: Sentences in an answer.
        max_per_passage: Sentences quoted from one passage.
        relative_sentence_score: A sentence is kept if it scores at least this share of
            the best sentence.
        high_coverage: Coverage for ``high`` certainty (with two or more documents).
        moderate_coverage: Coverage for ``moderate`` certainty.
        quote_chars: Length of a quoted passage in the evidence list.
        max_age_years: Evidence older than this is stale (a warning).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    min_coverage: float = Field(ge=0, le=1)
    min_sentence_terms: int = Field(ge=1)
    min_top_score: float = Field(ge=0)
    max_sentences: int = Field(ge=1, le=20)
    max_per_passage: int = Field(ge=1)
    relative_sentence_score: float = Field(ge=0, le=1)
    high_coverage: float = Field(ge=0, le=1)
    moderate_coverage: float = Field(ge=0, le=1)
    quote_chars: int = Field(ge=50)
    max_age_years: float = Field(gt=0)


class Prompt(BaseModel):
    """The versioned prompt: a system message and a user template."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    system: str = Field(min_length=1)
    user: str = Field(min_length=1)


def _read(name: str) -> str:
    try:
        return resources.files(__package__).joinpath("resources", name).read_text("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot load evidence_qa resource {name}: {exc}") from None


@cache
def load_settings() -> Settings:
    """The validated offline-engine settings."""
    try:
        return Settings.model_validate(json.loads(_read("settings.json")))
    except (ValidationError, json.JSONDecodeError) as exc:
        raise ConfigError(f"invalid evidence_qa settings.json: {exc}") from None


@cache
def load_prompt() -> Prompt:
    """The prompt of ``resources/prompt.txt``: ``[system]`` and ``[user]`` blocks."""
    text = _read("prompt.txt")
    parts: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("# "):
            continue
        if line.strip() in ("[system]", "[user]"):
            current = line.strip()[1:-1]
            parts[current] = []
        elif current:
            parts[current].append(line)
    try:
        return Prompt(
            version=PROMPT_VERSION,
            system="\n".join(parts.get("system", [])).strip(),
            user="\n".join(parts.get("user", [])).strip(),
        )
    except ValidationError:
        raise ConfigError("evidence_qa prompt.txt needs a [system] and a [user] block") from None
