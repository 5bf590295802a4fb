"""Judges: decide the statements the rules cannot (off by default).

A judge is any object with a ``name`` and a ``decide(statement, segments)`` method
returning a :class:`JudgeDecision`. :class:`LLMJudge` asks any :mod:`evident.models`
backend with a small structured output type. The verify stage records which judge
decided each verdict (``Verdict.judge``) and that a judge took part
(``Report.verifier``, ``metrics["judged"]``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from evident.models.base import Backend, GenerationRequest, Message
from evident.types import Segment, Statement, VerdictLabel

__all__ = ["Judge", "JudgeAnswer", "JudgeDecision", "LLMJudge"]

PROMPT_VERSION = "verify-judge/1"
_MAX_SEGMENT_CHARS = 600

_SYSTEM = (
    "You check one sentence of a clinical note against numbered source excerpts "
    "(a doctor-patient conversation or another note). Answer 'supported' if the excerpts "
    "state or directly imply the sentence, 'contradicted' if they conflict with it (dose, "
    "number, negation, side, a different drug or finding), 'unsupported' if they do not "
    "carry its content. Cite the ids of the excerpts you used. Reason in one short line."
)


@dataclass(frozen=True)
class JudgeDecision:
    """A judge's answer for one statement."""

    label: VerdictLabel
    reason: str = ""
    evidence: tuple[str, ...] = ()
    score: float | None = None


@runtime_checkable
class Judge(Protocol):
    """Decides statements from candidate segments. ``name`` is recorded in the report."""

    name: str

    def decide(self, statement: Statement, segments: Sequence[Segment]) -> JudgeDecision:
        """Label ``statement`` given its candidate evidence ``segments``."""
        ...


class JudgeAnswer(BaseModel):
    """The structured output the LLM judge asks the model for."""

    model_config = ConfigDict(extra="forbid")

    label: Literal["supported", "unsupported", "contradicted"]
    evidence: list[str] = Field(default_factory=list, max_length=10)
    reason: str = Field(default="", max_length=300)


class LLMJudge:
    """A judge backed by any language-model backend (structured output).

    Args:
        backend: An :class:`evident.models.Backend`; must not be the offline one.
        max_tokens: Output budget per decision.
    """

    def __init__(self, backend: Backend, max_tokens: int = 200) -> None:
        self.backend = backend
        self.max_tokens = max_tokens
        self.name = f"llm:{backend.model}"

    def decide(self, statement: Statement, segments: Sequence[Segment]) -> JudgeDecision:
        """Ask the model; scores 0.9/0.5/0.1 for supported/unsupported/contradicted."""
        excerpts = "\n".join(
            f"[{s.id}] {(s.speaker + ': ') if s.speaker else ''}{s.text[:_MAX_SEGMENT_CHARS]}"
            for s in segments
        )
        user = f"Excerpts:\n{excerpts or '(none)'}\n\nSentence: {statement.text}"
        request = GenerationRequest(
            messages=(Message("system", _SYSTEM), Message("user", user)),
            output_type=JudgeAnswer,
            temperature=0.0,
            max_tokens=self.max_tokens,
        )
        answer = self.backend.generate(request).value
        score = {"supported": 0.9, "unsupported": 0.5, "contradicted": 0.1}[answer.label]
        if answer.label == "unsupported":
            score = 0.3
        return JudgeDecision(
            label=answer.label,
            reason=answer.reason.splitlines()[0] if answer.reason else "",
            evidence=tuple(answer.evidence),
            score=score,
        )
