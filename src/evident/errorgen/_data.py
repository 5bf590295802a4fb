"""Load and validate the generator's grammar table (``errorgen/resources/grammar.json``).

The table is the generator's own: it is never read by the verifier, and the generator
never reads the verifier's lexicons, so the benchmark does not inherit their gaps.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from evident.errors import ConfigError

__all__ = ["Grammar", "load_grammar"]

Pair = tuple[str, str]


class Grammar(BaseModel):
    """Closed-class words and rewrite pairs of clinical English (all lower case)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    comment: str = Field(default="", alias="_comment")
    negation_removed: tuple[Pair, ...] = Field(min_length=1)
    negation_added: tuple[Pair, ...] = Field(min_length=1)
    auxiliaries: tuple[str, ...]
    participles: tuple[str, ...]
    subjects: tuple[str, ...]
    antonyms: tuple[Pair, ...] = Field(min_length=1)
    verb_antonyms: tuple[Pair, ...]
    sides: tuple[Pair, ...]
    dose_units: tuple[str, ...] = Field(min_length=1)
    unit_swaps: tuple[Pair, ...]
    medication_verbs: tuple[str, ...]
    drug_stems: tuple[str, ...]
    finding_cues: tuple[str, ...]
    finding_verbs: tuple[str, ...]
    finding_heads: tuple[str, ...]
    boundaries: tuple[str, ...]
    patient_subjects: tuple[str, ...]
    relatives: tuple[str, ...] = Field(min_length=1)
    possessives: dict[str, str]
    yes_words: tuple[str, ...] = Field(min_length=1)
    no_words: tuple[str, ...] = Field(min_length=1)
    irregular_past: dict[str, str]
    stopwords: frozenset[str]

    @field_validator(
        "negation_removed", "negation_added", "antonyms", "verb_antonyms", "sides", "unit_swaps"
    )
    @classmethod
    def _pairs(cls, v: tuple[Pair, ...]) -> tuple[Pair, ...]:
        for a, b in v:
            if not a or a != a.lower() or b != b.lower() or a == b:
                raise ValueError(f"bad rewrite pair ({a!r}, {b!r})")
        return v

    def antonym_map(self) -> dict[str, str]:
        """Each antonym to its opposite, both directions (the first pair listed wins)."""
        out: dict[str, str] = {}
        for a, b in self.antonyms:
            out.setdefault(a, b)
            out.setdefault(b, a)
        return out


@cache
def load_grammar() -> Grammar:
    """The validated grammar table, read once per process.

    Raises:
        ConfigError: The file is missing or does not match the schema.
    """
    try:
        raw = resources.files("evident.errorgen").joinpath("resources/grammar.json").read_text()
        return Grammar.model_validate(json.loads(raw))
    except (OSError, ValueError, ValidationError) as exc:
        first = str(exc).splitlines()[0]
        raise ConfigError(f"errorgen grammar.json is invalid: {first}") from None
