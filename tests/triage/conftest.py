"""Fixtures of the triage tests: the invented message cases and a fake model backend."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from evident.models.base import Generation, GenerationRequest
from evident.types import Usage

CASES = Path(__file__).parent / "cases"


def load_cases(split: str) -> list[dict[str, str]]:
    """The cases of ``dev`` or ``heldout``."""
    data = yaml.safe_load((CASES / f"{split}.yaml").read_text(encoding="utf-8"))
    return list(data["cases"])


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
        return Generation(value=value, raw="{}", model="model-1b", usage=Usage(calls=1))
