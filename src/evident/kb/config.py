"""The knowledge base's settings and stopwords, loaded from ``resources/`` and validated."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evident.errors import ConfigError

__all__ = ["KBConfig", "load_config", "stopwords"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChunkConfig(_Strict):
    """Passage sizes in words."""

    max_words: int = Field(gt=10, le=2000)
    min_words: int = Field(ge=0, le=500)


class FtsConfig(_Strict):
    """SQLite FTS5 tokenizer and BM25 column weights."""

    tokenizer: str
    title_weight: float = Field(gt=0)
    text_weight: float = Field(gt=0)


class SearchConfig(_Strict):
    """Query building, pruning and fusion.

    ``max_postings`` bounds the work of one BM25 query on a large index: the query keeps
    its terms rarest first while their summed document frequencies stay within it (the
    rarest term is always kept). Common terms carry little BM25 weight, and FTS5 scores
    every row matching any term, so this keeps latency flat as the corpus grows. 0 turns
    pruning off (exact BM25 over every query term).
    """

    max_query_terms: int = Field(gt=0, le=256)
    max_postings: int = Field(ge=0)
    hybrid_candidates: int = Field(gt=0, le=10_000)
    rrf_k: int = Field(gt=0)


class KBConfig(_Strict):
    """All settings of ``resources/kb.json``."""

    version: str
    chunk: ChunkConfig
    fts: FtsConfig
    search: SearchConfig
    abbreviations: tuple[str, ...]


class _Stopwords(_Strict):
    version: str
    language: str
    words: tuple[str, ...] = Field(min_length=1)


def _read(name: str) -> object:
    try:
        text = resources.files("evident.kb").joinpath("resources", name).read_text("utf-8")
        return json.loads(text)
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"cannot load kb resource {name}: {exc}") from None


@cache
def load_config() -> KBConfig:
    """The validated ``resources/kb.json``.

    Raises:
        ConfigError: The file is missing or invalid.
    """
    try:
        return KBConfig.model_validate(_read("kb.json"))
    except ValidationError as exc:
        raise ConfigError(f"invalid kb resource kb.json: {exc.errors()[0]['msg']}") from None


@cache
def stopwords() -> frozenset[str]:
    """English stopwords dropped from search queries (``resources/stopwords.json``)."""
    try:
        data = _Stopwords.model_validate(_read("stopwords.json"))
    except ValidationError as exc:
        raise ConfigError(f"invalid kb resource stopwords.json: {exc.errors()[0]['msg']}") from None
    return frozenset(w.lower() for w in data.words)
