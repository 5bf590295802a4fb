"""A backend for task tests: answers with a scripted object and records the requests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evident.models.base import Generation, GenerationRequest
from evident.types import Usage


@dataclass
class FakeBackend:
    """A backend that answers with a scripted object and records the requests."""

    answer: Any
    spec: str = "fake:model-1"
    name: str = "fake"
    model: str = "model-1"
    offline: bool = False
    local: bool = True
    requests: list[GenerationRequest[Any]] = field(default_factory=list)

    def generate(self, request: GenerationRequest[Any]) -> Generation[Any]:
        self.requests.append(request)
        value = request.output_type.model_validate(self.answer)
        usage = Usage(input_tokens=120, output_tokens=40, latency_ms=5.0, calls=1)
        return Generation(value=value, raw="{}", model="model-1b", usage=usage)
