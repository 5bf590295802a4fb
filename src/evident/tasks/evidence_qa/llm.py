"""The model path: a versioned prompt listing passages by id, a JSON answer schema."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from evident.models.base import Backend, Generation, GenerationRequest, Message
from evident.tasks.evidence_qa.settings import load_prompt
from evident.types import Segment

__all__ = ["AnswerOutput", "AnswerSentence", "build_messages", "generate_answer"]


class AnswerSentence(BaseModel):
    """One sentence of the model's answer with the passage ids it cites."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    citations: list[str] = Field(default_factory=list)


class AnswerOutput(BaseModel):
    """The JSON the model must return."""

    model_config = ConfigDict(extra="forbid")

    abstain: bool = False
    certainty: Literal["high", "moderate", "low"] = "low"
    sentences: list[AnswerSentence] = Field(default_factory=list)


def build_messages(question: str, passages: Sequence[Segment]) -> tuple[Message, ...]:
    """The system and user messages: the question and each passage with its id."""
    prompt = load_prompt()
    listing = "\n\n".join(
        f"[{p.id}] {p.meta.get('title', '')} ({p.meta.get('source', '')}"
        f"{', ' + p.meta['date'] if p.meta.get('date') else ''})\n{p.text}"
        for p in passages
    )
    user = prompt.user.replace("{question}", question).replace("{passages}", listing)
    return (Message("system", prompt.system), Message("user", user))


def generate_answer(
    question: str, passages: Sequence[Segment], backend: Backend, max_tokens: int = 1024
) -> Generation[AnswerOutput]:
    """Ask the backend for a cited answer validated against :class:`AnswerOutput`."""
    request = GenerationRequest(
        messages=build_messages(question, passages),
        output_type=AnswerOutput,
        temperature=0.0,
        max_tokens=max_tokens,
    )
    return backend.generate(request)
