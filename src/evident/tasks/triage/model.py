"""The model path of triage: the model may raise the protocols' class, never lower it."""

from __future__ import annotations

from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

from evident.models.base import Backend, GenerationRequest, Message
from evident.tasks.triage.engine import RedFlag, TriageResult
from evident.tasks.triage.protocols import Urgency, load_protocols, rank
from evident.types import Usage

__all__ = ["PROMPT_VERSION", "ModelFlag", "TriageOutput", "combine", "model_triage"]

PROMPT_VERSION = "triage/1.0"


class ModelFlag(BaseModel):
    """A red flag as the model reports it."""

    model_config = ConfigDict(extra="forbid")

    finding: str = Field(min_length=1)
    quote: str = Field(min_length=1)


class TriageOutput(BaseModel):
    """The JSON the model must return."""

    model_config = ConfigDict(extra="forbid")

    urgency: Urgency
    red_flags: list[ModelFlag] = Field(default_factory=list)


@cache
def _prompt() -> str:
    path = resources.files("evident.tasks.triage") / "resources" / "prompt_v1.txt"
    return path.read_text(encoding="utf-8")


def model_triage(text: str, backend: Backend) -> tuple[TriageOutput, str, Usage]:
    """Ask the backend's model to triage ``text``.

    Returns:
        The model's output, the model name that answered, and the usage.

    Raises:
        BackendError: The model failed or did not return valid JSON after repair.
    """
    request = GenerationRequest(
        messages=(
            Message("system", _prompt()),
            Message("user", f"Patient message:\n<<<\n{text}\n>>>"),
        ),
        output_type=TriageOutput,
        temperature=0.0,
        max_tokens=512,
    )
    gen = backend.generate(request)
    return gen.value, gen.model or backend.model, gen.usage


def combine(offline: TriageResult, out: TriageOutput, text: str, model: str) -> TriageResult:
    """Merge the model's triage into the protocols' one.

    The class is the higher of the two (a model may raise urgency, never lower an offline
    red flag); the offline red flags are all kept; a model red flag is added only when its
    quote is an exact substring of ``text`` (others are dropped as unfounded).
    """
    urgency = out.urgency if rank(out.urgency) > rank(offline.urgency) else offline.urgency
    flags = list(offline.red_flags)
    quoted = {f.quote for f in flags}
    for f in out.red_flags:
        start = text.find(f.quote)
        if start >= 0 and f.quote not in quoted:
            flags.append(RedFlag(f.finding.strip(), f.quote, start))
            quoted.add(f.quote)
    return TriageResult(
        urgency=urgency,
        red_flags=tuple(flags),
        advice=load_protocols().advice[urgency],
        model=model,
        findings=offline.findings,
        excluded=offline.excluded,
    )
