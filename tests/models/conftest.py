"""Fixtures for the backend tests: one scripted server process per module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

from evident.models.endpoints import openai_compatible_endpoint
from evident.models.openai_compat import OpenAICompatibleBackend, StructuredMode
from evident.models.settings import RetryPolicy
from tests.support.openai_server import ScriptedServer, start_server


class Answer(BaseModel):
    """A small output type used across the backend tests."""

    model_config = ConfigDict(extra="forbid")

    answer: str
    confidence: int


@pytest.fixture(autouse=True)
def no_user_models_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a developer's ~/.config/evident/models.yaml out of the tests."""
    monkeypatch.setenv("EVIDENT_MODELS_FILE", "")


@pytest.fixture(scope="module")
def server() -> Iterator[ScriptedServer]:
    """A scripted server shared by a module; tests load their script with ``set_script``."""
    with start_server([]) as running:
        yield running


class Sleeps:
    """Records the delays a backend asked to sleep instead of sleeping."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def make_backend(server: ScriptedServer, sleeps: Sleeps) -> Iterator[Any]:
    """Build backends against the shared server with short timeouts and no real sleeps.

    The backends made are closed when the test ends.
    """
    made: list[OpenAICompatibleBackend] = []

    def make(
        script: Any,
        *,
        model: str = "m",
        timeout: float = 5.0,
        retries: int = 2,
        mode: StructuredMode = "json_schema",
        backoff: float = 0.0,
    ) -> OpenAICompatibleBackend:
        server.set_script(script)
        spec = f"openai-compatible:{server.base_url}#{model}"
        endpoint = openai_compatible_endpoint(f"{server.base_url}#{model}", spec)
        retry = RetryPolicy(max_retries=retries, backoff=backoff)
        backend = OpenAICompatibleBackend(
            spec, endpoint, timeout=timeout, retry=retry, mode=mode, sleep=sleeps
        )
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()
