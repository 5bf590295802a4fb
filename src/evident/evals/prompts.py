"""Versioned prompts (``resources/prompts/*.yaml``) and the output types they request."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from evident.errors import ConfigError
from evident.evals.items import EvalItem
from evident.models.base import Message

__all__ = [
    "MODES",
    "ChoiceAnswer",
    "CoTAnswer",
    "MedecAnswer",
    "Prompt",
    "build_messages",
    "load_prompt",
    "prompt_for",
]

MODES = ("zero-shot", "cot")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


class _Permissive(BaseModel):
    # Model output, not a trust boundary: unknown keys are ignored, every field has a
    # default, and the raw text is re-parsed by the robust extractor anyway.
    model_config = ConfigDict(extra="ignore", frozen=True)


class ChoiceAnswer(_Permissive):
    """Zero-shot multiple-choice output."""

    answer_choice: str | int | None = None


class CoTAnswer(_Permissive):
    """Chain-of-thought multiple-choice output (MIRAGE's shape)."""

    step_by_step_thinking: str | None = None
    answer_choice: str | int | None = None


class MedecAnswer(_Permissive):
    """MEDEC error detection output."""

    step_by_step_thinking: str | None = None
    error_flag: int | str | bool | None = None
    error_sentence_id: int | str | None = None
    corrected_sentence: str | None = None


class _PromptFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    version: int
    system: str
    user: str
    final: str | None = None


@dataclass(frozen=True)
class Prompt:
    """A loaded prompt.

    Attributes:
        id: The prompt's name (``mcq-cot``).
        version: ``<id>/<n>``, recorded with every result and part of the cache key.
        system: System message template.
        user: User message template.
        final: Optional closing instruction (conversation doctor).
    """

    id: str
    version: str
    system: str
    user: str
    final: str | None = None


@cache
def load_prompt(name: str) -> Prompt:
    """Load ``resources/prompts/<name>.yaml``.

    Raises:
        ConfigError: The file is missing or invalid.
    """
    if not _NAME.fullmatch(name):
        raise ConfigError(f"invalid prompt name '{name}'")
    path = resources.files("evident.evals").joinpath(f"resources/prompts/{name}.yaml")
    try:
        data = _PromptFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise ConfigError(f"no prompt named '{name}'") from None
    except (ValidationError, yaml.YAMLError) as exc:
        raise ConfigError(f"invalid prompt file {name}.yaml: {exc}") from None
    if data.id != name:
        raise ConfigError(f"prompt file {name}.yaml declares id '{data.id}'")
    return Prompt(data.id, f"{data.id}/{data.version}", data.system, data.user, data.final)


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace ``{name}`` placeholders; other braces (JSON examples) are left alone."""
    # One pass, so placeholder-like text inside a value is never expanded again.
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def prompt_for(item: EvalItem, mode: str) -> tuple[Prompt, type[BaseModel]]:
    """The prompt and output type for an item in a mode (``zero-shot`` or ``cot``)."""
    if mode not in MODES:
        raise ConfigError(f"unknown mode '{mode}' (known: {', '.join(MODES)})")
    if item.kind == "medec":
        return load_prompt(f"medec-{mode}"), MedecAnswer
    return load_prompt(f"mcq-{mode}"), CoTAnswer if mode == "cot" else ChoiceAnswer


def format_options(options: Mapping[str, str]) -> str:
    """``A. text`` lines."""
    return "\n".join(f"{k}. {v}" for k, v in options.items())


def _context_block(item: EvalItem) -> str:
    if not item.context:
        return ""
    lines = "\n".join(f"[{i}] {c}" for i, c in enumerate(item.context, 1))
    return f"Context:\n{lines}\n\n"


def build_messages(item: EvalItem, prompt: Prompt, **extra: Any) -> tuple[Message, ...]:
    """The system and user messages for an item."""
    values = {
        "question": item.question,
        "options": format_options(item.options),
        "context": _context_block(item),
        "sentences": "\n".join(f"{i} {t}" for i, t in item.sentences) or item.question,
        **{k: str(v) for k, v in extra.items()},
    }
    return (
        Message("system", fill(prompt.system, values)),
        Message("user", fill(prompt.user, values)),
    )
