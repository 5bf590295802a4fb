"""The ``llm:<backend spec>`` entailer: any configured model backend reads the evidence.

The prompt is a versioned file (``resources/prompts/entail-llm-1.txt``); the model
answers with JSON ``{label, score, segments, reason}`` (structured output with one
repair attempt, see :mod:`evident.models`). Absence of evidence is not support: a
sentence the excerpts do not carry is ``neutral``, which the decision table reads as
unsupported.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from evident.errors import ConfigError
from evident.models.base import Backend, GenerationRequest, Message
from evident.types import Segment
from evident.verify.entail import Entailment

__all__ = ["PROMPT_VERSION", "EntailAnswer", "LLMEntailer", "create"]

PROMPT_VERSION = "entail-llm/1"
_PROMPT_FILE = "entail-llm-1.txt"
_MAX_SEGMENT_CHARS = 600
_MAX_SEGMENTS = 8


class EntailAnswer(BaseModel):
    """The structured output the LLM entailer asks the model for."""

    model_config = ConfigDict(extra="forbid")

    label: Literal["entailed", "neutral", "contradicted"]
    score: float = Field(ge=0.0, le=1.0)
    segments: list[str] = Field(default_factory=list, max_length=20)
    reason: str = Field(default="", max_length=300)


@cache
def _system_prompt() -> str:
    return files("evident.verify").joinpath("resources", "prompts", _PROMPT_FILE).read_text()


class LLMEntailer:
    """An entailer backed by any language-model backend.

    Args:
        backend: An :class:`evident.models.Backend`; not the offline one.
        max_tokens: Output budget per statement.
    """

    def __init__(self, backend: Backend, max_tokens: int = 200) -> None:
        if backend.name == "offline":
            raise ConfigError("the llm entailer needs a model backend, not 'offline'")
        self.backend = backend
        self.max_tokens = max_tokens
        self.name = f"llm:{backend.spec}"

    def close(self) -> None:
        """Close the backend's connections (when it has any)."""
        close = getattr(self.backend, "close", None)
        if callable(close):
            close()

    def entail(self, statement: str, evidence: Sequence[Segment]) -> Entailment:
        """Ask the model; the segments it cites are kept only if they were shown to it."""
        shown = list(evidence[:_MAX_SEGMENTS])
        excerpts = "\n".join(
            f"[{s.id}] {(s.speaker + ': ') if s.speaker else ''}{s.text[:_MAX_SEGMENT_CHARS]}"
            for s in shown
        )
        user = f"Excerpts:\n{excerpts or '(none)'}\n\nSentence: {statement}"
        request = GenerationRequest(
            messages=(Message("system", _system_prompt()), Message("user", user)),
            output_type=EntailAnswer,
            temperature=0.0,
            max_tokens=self.max_tokens,
        )
        answer: EntailAnswer = self.backend.generate(request).value
        ids = {s.id for s in shown}
        used = tuple(i for i in answer.segments if i in ids)
        score = answer.score
        # the label is the judgement; a score that disagrees with it is clamped to agree
        score = max(score, 0.5) if answer.label == "entailed" else min(score, 0.49)
        reason = answer.reason.splitlines()[0].strip() if answer.reason.strip() else ""
        return Entailment(answer.label, round(score, 3), used, reason, "llm", decisive=True)


def create(target: str = "", *, backend: Backend | None = None, **kwargs: Any) -> LLMEntailer:
    """Entry-point factory: ``llm:<backend spec>`` (``llm:openai:gpt-4o``), or a ready
    ``backend=``."""
    if backend is None:
        if not target:
            raise ConfigError("the llm entailer needs a backend spec: 'llm:<model spec>'")
        from evident.models import load_backend

        backend = load_backend(target)
    return LLMEntailer(backend, **kwargs)
