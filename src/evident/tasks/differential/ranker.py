"""The learned weights of the offline score (``resources/ranker.json``).

Written by ``evident train differential-ranker`` (see :mod:`.learn`): one set of weights
for the lexical engine and one for the engine with the embeddings bridge, each with the
cross-validated figure it was chosen on. Validated when loaded; without the file the
engine keeps its hand-set weights.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evident.errors import ConfigError
from evident.tasks.differential.engine import FEATURES, EngineConfig, with_weights

__all__ = ["RANKER_FILE", "RankerFile", "learned_config", "read_ranker"]

RANKER_FILE = "ranker.json"


class RankerModel(BaseModel):
    """One engine's learned weights and how they were chosen."""

    model_config = ConfigDict(extra="forbid")

    weights: list[float]
    dense_candidates: int = Field(default=0, ge=0, le=2000)
    cv_top10: float = Field(ge=0.0, le=1.0)
    cases: int = Field(ge=0)
    must_not_miss_top: int = Field(default=0, ge=0, le=5000)
    must_not_miss_cv: dict[str, int] = Field(default_factory=dict)


class RankerFile(BaseModel):
    """The ranker resource: the features' order and a model per engine."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    features: list[str]
    trained_on: str
    folds: int = Field(ge=2)
    l2: float = Field(ge=0.0)
    models: dict[Literal["lexical", "embeddings"], RankerModel]


def read_ranker(raw: str | bytes, where: str = RANKER_FILE) -> RankerFile:
    """Parse and validate a ranker file.

    Raises:
        ConfigError: It does not match the schema or the engine's features.
    """
    try:
        data = RankerFile.model_validate(json.loads(raw))
    except (ValueError, ValidationError) as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise ConfigError(f"ranker '{where}' is invalid: {first}") from None
    if tuple(data.features) != FEATURES:
        raise ConfigError(
            f"ranker '{where}' has other features than the engine: rebuild it with "
            "'evident train differential-ranker'"
        )
    for name, model in data.models.items():
        if len(model.weights) != len(FEATURES):
            raise ConfigError(f"ranker '{where}': {name} needs {len(FEATURES)} weights")
    return data


@cache
def _shipped() -> RankerFile | None:
    path: Any = resources.files("evident.tasks.differential") / "resources" / RANKER_FILE
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    return read_ranker(raw)


def learned_config(bridge: bool, base: EngineConfig | None = None) -> EngineConfig:
    """The engine's weights: the shipped ranker's for this engine, else the hand-set ones."""
    cfg = base or EngineConfig()
    ranker = _shipped()
    model = ranker.models.get("embeddings" if bridge else "lexical") if ranker else None
    if model is None:
        return cfg
    cfg = with_weights(cfg, model.weights)
    return replace(
        cfg,
        dense_candidates=model.dense_candidates if bridge else 0,
        mnm_top=model.must_not_miss_top if bridge else 0,
    )
