"""The backend protocol: messages + an output schema in, a validated object out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel

from evident.types import Usage

__all__ = ["Backend", "Generation", "GenerationRequest", "Message"]

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class Message:
    """One chat message."""

    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class GenerationRequest(Generic[T]):
    """What a task asks of a backend.

    Attributes:
        messages: The conversation to complete.
        output_type: Pydantic model the answer must validate against; its JSON schema
            is sent to the model where the backend supports structured output.
        temperature: Sampling temperature.
        max_tokens: Upper bound on generated tokens.
        seed: Sampling seed where the backend supports one.
        repair: Whether an invalid first output gets one repair turn; benchmark
            harnesses turn it off to score the first output as the model gave it.
    """

    messages: tuple[Message, ...]
    output_type: type[T]
    temperature: float = 0.0
    max_tokens: int = 2048
    seed: int | None = None
    repair: bool = True


@dataclass(frozen=True)
class Generation(Generic[T]):
    """A backend's validated answer.

    Attributes:
        value: The output, validated against the request's ``output_type``.
        raw: The raw text the model returned (last attempt).
        model: The model name that answered (after any fallback).
        usage: Tokens and latency over all attempts.
        repaired: True when the first output was invalid and a repair attempt succeeded.
        attempts: Log of attempts, for the audit trail (status, model, error class).
    """

    value: T
    raw: str
    model: str
    usage: Usage = field(default_factory=Usage)
    repaired: bool = False
    attempts: tuple[dict[str, Any], ...] = ()


@runtime_checkable
class Backend(Protocol):
    """A language-model backend.

    Attributes:
        spec: The spec string it was created from.
        name: The registered backend name (``openai-compatible``, ``hf``, ``offline``).
        model: The model name it calls.
        offline: True when no model is involved; tasks then use their offline engine.
        local: True when data never leaves this machine (drives the privacy policy).
    """

    spec: str
    name: str
    model: str
    offline: bool
    local: bool

    def generate(self, request: GenerationRequest[T]) -> Generation[T]:
        """Complete the messages and return an output validated against the schema."""
        ...
