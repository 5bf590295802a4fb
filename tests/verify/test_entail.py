"""Entailers: the lexical coverage score, the plugin loader and the llm entailer against
a scripted OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from evident.errors import ConfigError
from evident.models.endpoints import openai_compatible_endpoint
from evident.models.openai_compat import OpenAICompatibleBackend
from evident.models.settings import RetryPolicy
from evident.types import Segment
from evident.verify.entail import (
    Entailer,
    Entailment,
    LexicalEntailer,
    available_entailers,
    load_entailer,
)
from evident.verify.entail_llm import PROMPT_VERSION, LLMEntailer
from tests.support.openai_server import ScriptedServer, start_server


def seg(i: str, text: str, speaker: str | None = None) -> Segment:
    return Segment(id=i, text=text, start=0, end=len(text), speaker=speaker)


EVIDENCE = (
    seg("u1", "Any chest pain or shortness of breath?", "doctor"),
    seg("u2", "I have had a dry cough for two weeks.", "patient"),
)


@pytest.mark.parametrize(
    ("statement", "low", "high"),
    [
        ("Dry cough for two weeks.", 0.99, 1.0),
        ("Cough.", 0.99, 1.0),
        ("Dry cough, no fever.", 0.4, 0.99),
        ("Broken femur after a skiing accident.", 0.0, 0.01),
        ("", 0.0, 0.0),
    ],
)
def test_lexical_coverage(statement: str, low: float, high: float) -> None:
    e = LexicalEntailer().entail(statement, EVIDENCE)
    assert low <= e.score <= high
    assert (e.label, e.entailer, e.decisive) == ("neutral", "lexical", False)
    assert e.segments == ("u1", "u2")


@pytest.mark.parametrize(
    ("spec", "cls"),
    [("lexical", LexicalEntailer), (" lexical ", LexicalEntailer)],
)
def test_load_entailer(spec: str, cls: type) -> None:
    entailer = load_entailer(spec)
    assert isinstance(entailer, cls)
    assert isinstance(entailer, Entailer)


def test_builtins_register_as_plugins() -> None:
    assert {"lexical", "llm"} <= set(available_entailers())


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty entailer spec"),
        ("nli-of-nowhere", "unknown entailer 'nli-of-nowhere'"),
        ("lexical:x", "takes no argument"),
        ("llm", "needs a backend spec"),
        ("llm:offline", "not 'offline'"),
    ],
)
def test_load_entailer_errors(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_entailer(spec)


@pytest.mark.parametrize("score", [-0.1, 1.5])
def test_entailment_score_range(score: float) -> None:
    with pytest.raises(ValueError, match="score"):
        Entailment("entailed", score, ())


@pytest.fixture(scope="module")
def server() -> Iterator[ScriptedServer]:
    with start_server([]) as running:
        yield running


@pytest.fixture
def entailer(server: ScriptedServer) -> Iterator[Any]:
    made: list[OpenAICompatibleBackend] = []

    def make(script: Any) -> LLMEntailer:
        server.set_script(script)
        spec = f"openai-compatible:{server.base_url}#m"
        endpoint = openai_compatible_endpoint(f"{server.base_url}#m", spec)
        backend = OpenAICompatibleBackend(
            spec, endpoint, timeout=5, retry=RetryPolicy(max_retries=0)
        )
        made.append(backend)
        return load_entailer("llm", backend=backend)  # type: ignore[return-value]

    yield make
    for backend in made:
        backend.close()


def _reply(**answer: Any) -> dict[str, Any]:
    return {"content": json.dumps(answer)}


@pytest.mark.parametrize(
    ("answer", "label", "score", "segments"),
    [
        (
            {"label": "entailed", "score": 0.9, "segments": ["u2"], "reason": "u2 says so"},
            "entailed",
            0.9,
            ("u2",),
        ),
        (
            {"label": "neutral", "score": 0.2, "segments": [], "reason": "not said"},
            "neutral",
            0.2,
            (),
        ),
        (
            {"label": "contradicted", "score": 0.0, "segments": ["u1"], "reason": "denied"},
            "contradicted",
            0.0,
            ("u1",),
        ),
        # an id the model was not shown is dropped; a score against its label is clamped
        (
            {"label": "entailed", "score": 0.1, "segments": ["u7", "u2"], "reason": "x"},
            "entailed",
            0.5,
            ("u2",),
        ),
        ({"label": "neutral", "score": 0.9, "segments": [], "reason": "x"}, "neutral", 0.49, ()),
    ],
)
def test_llm_entailer(
    entailer: Any,
    server: ScriptedServer,
    answer: dict[str, Any],
    label: str,
    score: float,
    segments: tuple[str, ...],
) -> None:
    e = entailer([_reply(**answer)]).entail("Dry cough for two weeks.", EVIDENCE)
    assert (e.label, e.score, e.segments, e.entailer, e.decisive) == (
        label,
        score,
        segments,
        "llm",
        True,
    )
    body = server.chat_requests[-1]
    system, user = body["messages"][0]["content"], body["messages"][-1]["content"]
    assert "Absence of evidence is not support" in system
    assert "[u2] patient: I have had a dry cough" in user
    assert user.endswith("Sentence: Dry cough for two weeks.")


def test_llm_entailer_error_raises(entailer: Any) -> None:
    """A failing backend raises; the verify stage records it as a finding."""
    ent = entailer([{"status": 500, "error": "boom"}])
    with pytest.raises(Exception):  # noqa: B017 - any backend error
        ent.entail("Dry cough.", EVIDENCE)


def test_prompt_is_versioned() -> None:
    assert PROMPT_VERSION == "entail-llm/1"
