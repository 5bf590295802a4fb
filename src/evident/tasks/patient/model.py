"""The model path of the patient tasks: versioned prompts and one output schema."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

from evident.models.base import Backend, GenerationRequest, Message
from evident.types import Source, Usage

__all__ = ["PatientOutput", "PatientStatement", "generate_statements", "listing"]


class PatientStatement(BaseModel):
    """One statement the model wrote, with the segment ids it rests on."""

    model_config = ConfigDict(extra="forbid")

    section: str = ""
    text: str = Field(min_length=1)
    citations: list[str] = Field(default_factory=list)


class PatientOutput(BaseModel):
    """The JSON the model must return."""

    model_config = ConfigDict(extra="forbid")

    statements: list[PatientStatement] = Field(default_factory=list)


@cache
def _prompt(name: str) -> str:
    return (resources.files("evident.tasks.patient") / "resources" / name).read_text("utf-8")


def listing(sources: Sequence[Source]) -> str:
    """The sources as ``[id] text`` lines, the ids the model cites."""
    lines = []
    for src in sources:
        lines.append(f"# {src.kind} ({src.id})")
        lines.extend(f"[{seg.id}] {seg.text}" for seg in src.segments)
    return "\n".join(lines)


def generate_statements(
    prompt: str, user: str, backend: Backend, max_tokens: int = 2048
) -> tuple[PatientOutput, str, Usage]:
    """Ask the backend's model; returns its output, the model name and the usage.

    Args:
        prompt: Resource name of the system prompt (``summary_prompt_v1.txt``).
        user: The user message (sources listed with their ids, the question).
        backend: The model backend.
        max_tokens: Upper bound on the answer.

    Raises:
        BackendError: The model failed or did not return valid JSON after repair.
    """
    request = GenerationRequest(
        messages=(Message("system", _prompt(prompt)), Message("user", user)),
        output_type=PatientOutput,
        temperature=0.0,
        max_tokens=max_tokens,
    )
    gen = backend.generate(request)
    return gen.value, gen.model or backend.model, gen.usage
