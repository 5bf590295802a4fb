"""Answer extraction from raw model output.

Two extractors share one rule file (``resources/answer_patterns.yaml``):

- :func:`mirage_choice` reimplements MIRAGE's published scoring convention so re-scored
  numbers are comparable with the paper (an output with no letter counts as option A).
- :func:`extract_choice` is robust to real output: JSON, JSON inside prose or code
  fences, malformed JSON with an answer field, "The answer is (B)", the option's text
  instead of its letter. It returns no letter rather than guessing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from evident.errors import ConfigError

__all__ = ["Extraction", "extract_choice", "find_json_objects", "mirage_choice", "raw_text"]


class _Mirage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    field_marker: str
    default: str
    patterns: tuple[str, ...]

    @field_validator("patterns")
    @classmethod
    def _compile(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            re.compile(pattern)
        return value


class _Robust(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    json_keys: tuple[str, ...]
    field_patterns: tuple[str, ...]
    prose_patterns: tuple[str, ...]

    @field_validator("field_patterns", "prose_patterns")
    @classmethod
    def _compile(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            if "{L}" not in pattern:
                raise ValueError(f"pattern lacks the {{L}} placeholder: {pattern}")
            re.compile(pattern.replace("{L}", "A|B"))
        return value


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    mirage: _Mirage
    robust: _Robust


@cache
def _rules() -> _Rules:
    text = resources.files("evident.evals").joinpath("resources/answer_patterns.yaml").read_text()
    try:
        return _Rules.model_validate(yaml.safe_load(text))
    except (ValueError, re.error) as exc:
        raise ConfigError(f"invalid answer_patterns.yaml: {exc}") from None


@cache
def _compiled(letters: str) -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    alt = "|".join(re.escape(c) for c in letters)
    rules = _rules().robust
    fields = tuple(re.compile(p.replace("{L}", alt)) for p in rules.field_patterns)
    prose = tuple(re.compile(p.replace("{L}", alt), re.MULTILINE) for p in rules.prose_patterns)
    return fields, prose


@dataclass(frozen=True)
class Extraction:
    """What an extractor found.

    Attributes:
        letter: The option letter, or None when nothing could be parsed.
        method: How it was found (``json``, ``json-text``, ``field``, ``prose``,
            ``option-text``, ``empty``, ``none``).
    """

    letter: str | None
    method: str


def raw_text(raw: Any) -> str:
    """The first recorded output as text (MIRAGE stores a list of outputs per item)."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, list | tuple):
        return raw_text(raw[0]) if raw else ""
    return json.dumps(raw)


def mirage_choice(raw: Any) -> tuple[str, bool]:
    """Apply MIRAGE's published convention.

    Args:
        raw: A recorded output: a string, or a list whose first element is used.

    Returns:
        (letter, found): the letter, and False when no pattern matched and the
        convention's default (option A) was used.
    """
    rules = _rules().mirage
    tail = raw_text(raw).split(rules.field_marker)[-1].strip()
    for pattern in rules.patterns:
        found = re.findall(pattern, tail)
        if found:
            return str(found[0]).upper(), True
    return rules.default, False


_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.DOTALL)


def find_json_objects(text: str) -> list[dict[str, Any]]:
    """All JSON objects in ``text``: the whole text, code fences, or embedded in prose."""
    decoder = json.JSONDecoder()
    candidates = [text.strip(), *(m.group(1).strip() for m in _FENCE.finditer(text))]
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return [value]
    found: list[dict[str, Any]] = []
    pos = text.find("{")
    while pos != -1:
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            pos = text.find("{", pos + 1)
            continue
        if isinstance(value, dict):
            found.append(value)
        pos = text.find("{", end)
    return found


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _by_option_text(text: str, options: Mapping[str, str], whole: bool) -> str | None:
    """The letter whose option text ``text`` equals (whole) or uniquely contains."""
    norm = _norm(text)
    if not norm:
        return None
    exact = [k for k, v in options.items() if _norm(v) and _norm(v) == norm]
    if len(exact) == 1:
        return exact[0]
    if whole:
        return None
    padded = f" {norm} "
    hits = [k for k, v in options.items() if _norm(v) and f" {_norm(v)} " in padded]
    # Several hits are ambiguous, unless the longest contains the others ("not known"
    # containing "no"): then the shorter ones matched only inside it.
    hits.sort(key=lambda k: -len(_norm(options[k])))
    longest = f" {_norm(options[hits[0]])} " if hits else ""
    if hits and all(f" {_norm(options[k])} " in longest for k in hits[1:]):
        return hits[0]
    return None


def _letter_from_field(value: Any, options: Mapping[str, str]) -> str | None:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if not isinstance(value, str | int):
        return None
    text = str(value).strip()
    fields, _ = _compiled("".join(options))
    for pattern in fields:
        match = pattern.search(text)
        if match:
            return match.group(1)
    return _by_option_text(text, options, whole=False)


_FIELD_IN_TEXT = '"{key}"\\s*:\\s*"([^"\\n]*)'


def _from_json(text: str, options: Mapping[str, str]) -> Extraction | None:
    keys = _rules().robust.json_keys
    for obj in reversed(find_json_objects(text)):
        for key in keys:
            if key in obj:
                letter = _letter_from_field(obj[key], options)
                if letter:
                    return Extraction(letter, "json")
    for key in keys:  # malformed JSON: read the field's string value directly
        matches = re.findall(_FIELD_IN_TEXT.format(key=re.escape(key)), text)
        for value in reversed(matches):
            letter = _letter_from_field(value, options)
            if letter:
                return Extraction(letter, "json-text")
    return None


def extract_choice(raw: Any, options: Mapping[str, str] | Sequence[str]) -> Extraction:
    """Find the chosen option letter in a model's raw output.

    Args:
        raw: The output (a string, or a list whose first element is used).
        options: The item's options (letter to text), or just the letters.

    Returns:
        The extraction; ``letter`` is None when nothing could be parsed.
    """
    opts = dict(options) if isinstance(options, Mapping) else {k: "" for k in options}
    text = raw_text(raw)
    if not text.strip():
        return Extraction(None, "empty")
    found = _from_json(text, opts)
    if found:
        return found
    _, prose = _compiled("".join(opts))
    for pattern in prose:
        matches = pattern.findall(text)
        if matches:
            return Extraction(str(matches[-1]), "prose")
    letter = _by_option_text(text, opts, whole=True)
    if letter:
        return Extraction(letter, "option-text")
    last_line = text.strip().splitlines()[-1]
    letter = _by_option_text(last_line, opts, whole=False) if len(last_line) < 200 else None
    if letter:
        return Extraction(letter, "option-text")
    return Extraction(None, "none")
