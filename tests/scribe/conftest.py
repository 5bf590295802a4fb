"""Fixtures of the scribe tests: a short fictional conversation and a fake model backend."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from evident.models.base import Generation, GenerationRequest
from evident.sources import load_source
from evident.types import Source, Usage

VISIT = """\
[doctor] Hello Mrs. Aalto, what brings you in today?
[patient] Um, I've had a cough for about two weeks.
[doctor] I see, and you're here today for that cough. Any fever?
[patient] No.
[doctor] Any shortness of breath?
[patient] Yes, a little when I climb stairs.
[patient] I, I take my inhaler, uh, two puffs twice a day.
[doctor] Okay, let me take a listen to your lungs.
[doctor] On exam, your lungs have a mild wheeze on the right and your temperature is ninety-nine.
[doctor] The chest x-ray from last week shows no pneumonia.
[doctor] My assessment is an asthma flare after a viral infection.
[doctor] I want you to start prednisone forty milligrams once a day for five days.
[doctor] We'll follow up in one week.
[patient] Okay, thank you.
"""


@pytest.fixture
def visit() -> Source:
    """The fictional visit, parsed."""
    return load_source(VISIT, kind="transcript", name="visit.txt")


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
