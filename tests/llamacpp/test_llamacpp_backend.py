"""The ``openai-compatible`` backend against a real llama.cpp server (llama-cpp-python).

The model is random, so its free text is garbage; what these tests check is the protocol:
the chat round trip, the usage the server reports, and whether JSON-schema constrained
decoding reaches llama.cpp's grammar sampler in the request shape the backend sends
(llama-cpp-python refuses OpenAI's ``json_schema`` shape with an HTTP 500, the backend
steps down to ``{"type": "json_object", "schema": ...}``, which it does constrain).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, Literal

import httpx
import openai
import pytest
from pydantic import BaseModel, ConfigDict, Field

from evident.errors import OutputError
from evident.models import load_backend
from evident.models.base import GenerationRequest, Message
from evident.models.endpoints import openai_compatible_endpoint
from evident.models.openai_compat import OpenAICompatibleBackend, StructuredMode
from tests.llamacpp.conftest import LlamaServer

pytestmark = pytest.mark.slow

MAX_TOKENS = 48


class Verdict(BaseModel):
    """An enum answer: a constrained decoder can only spell one of the values."""

    model_config = ConfigDict(extra="forbid")

    verdict: Literal["supported", "unsupported"]


class Short(BaseModel):
    """A short free-text answer with a length cap."""

    model_config = ConfigDict(extra="forbid")

    answer: str = Field(max_length=6)


class Cited(BaseModel):
    """A bounded list of enum citations and a boolean, like a drafted statement's."""

    model_config = ConfigDict(extra="forbid")

    citations: list[Literal["u1", "u2", "u3"]] = Field(min_length=1, max_length=2)
    negated: bool


class Anything(BaseModel):
    """Any JSON object validates: lets a random model's JSON-mode answer succeed."""

    model_config = ConfigDict(extra="allow")


@pytest.fixture
def backends() -> Iterator[list[OpenAICompatibleBackend]]:
    """Backends a test made; they are closed afterwards.

    uvicorn keeps connections alive, so an unclosed backend would leave a socket behind
    (a ResourceWarning, an error under this suite).
    """
    made: list[OpenAICompatibleBackend] = []
    yield made
    for backend in made:
        backend.close()


def _backend(
    server: LlamaServer, made: list[OpenAICompatibleBackend], mode: StructuredMode | None = None
) -> OpenAICompatibleBackend:
    """The backend for the server: from its spec, or built in a given structured mode."""
    if mode is None:
        backend = load_backend(server.spec)
        assert isinstance(backend, OpenAICompatibleBackend)
    else:
        endpoint = openai_compatible_endpoint(f"{server.base_url}#{server.model}", server.spec)
        backend = OpenAICompatibleBackend(server.spec, endpoint, mode=mode, timeout=60)
    made.append(backend)
    return backend


def _client(server: LlamaServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key="unused", timeout=60, max_retries=0)


def _chat(server: LlamaServer, text: str, **extra: Any) -> Any:
    messages: list[Any] = [{"role": "user", "content": text}]
    with _client(server) as client:
        return client.chat.completions.create(
            model=server.model, messages=messages, temperature=0, **extra
        )


def _statuses_logged(server: LlamaServer, since: int = 0) -> list[int]:
    """HTTP statuses of the chat completions in the server's access log, after ``since``.

    Only uvicorn's access lines count: a 500's traceback also prints the request path.
    """
    log = server.log.read_text(errors="replace")
    found = re.findall(r'"POST /v1/chat/completions HTTP/1\.1" (\d{3})', log)
    return [int(status) for status in found[since:]]


def _completions_logged(server: LlamaServer) -> int:
    """Chat-completion requests in the server's access log so far."""
    return len(_statuses_logged(server))


def _request(output_type: type[BaseModel]) -> GenerationRequest[Any]:
    messages = (Message("system", "Answer in JSON."), Message("user", "Is it supported?"))
    return GenerationRequest(messages, output_type, max_tokens=MAX_TOKENS, seed=0)


def test_server_lists_the_model(llama_server: LlamaServer) -> None:
    models = httpx.get(f"{llama_server.base_url}/models", timeout=10).json()
    assert [m["id"] for m in models["data"]] == [llama_server.model]


def test_chat_round_trip_reports_token_usage(llama_server: LlamaServer) -> None:
    short = _chat(llama_server, "ab", max_tokens=5)
    longer = _chat(llama_server, "abcdefgh", max_tokens=5)
    for reply in (short, longer):
        assert isinstance(reply.choices[0].message.content, str)
        assert reply.choices[0].finish_reason in {"stop", "length"}
        # At the limit llama-cpp-python finishes a split UTF-8 character (up to 3 more tokens).
        assert 1 <= reply.usage.completion_tokens <= 5 + 3
        assert reply.usage.total_tokens == (
            reply.usage.prompt_tokens + reply.usage.completion_tokens
        )
    # The tiny vocabulary has one token per character: six more characters, six more tokens.
    assert longer.usage.prompt_tokens - short.usage.prompt_tokens == 6


def test_greedy_decoding_is_deterministic(llama_server: LlamaServer) -> None:
    first = _chat(llama_server, "hello", max_tokens=8).choices[0].message.content
    second = _chat(llama_server, "hello", max_tokens=8).choices[0].message.content
    assert first == second


@pytest.mark.parametrize("output_type", [Verdict, Short, Cited])
def test_llamacpp_constrains_output_to_a_schema_in_its_own_shape(
    llama_server: LlamaServer, output_type: type[BaseModel]
) -> None:
    """llama-cpp-python takes the schema as ``{"type": "json_object", "schema": ...}``."""
    response_format = {"type": "json_object", "schema": output_type.model_json_schema()}
    reply = _chat(
        llama_server,
        "Is it supported?",
        max_tokens=MAX_TOKENS,
        extra_body={"response_format": response_format},
    )
    value = output_type.model_validate(json.loads(reply.choices[0].message.content))
    assert isinstance(value, output_type)


def test_plain_json_mode_does_not_impose_the_schema(llama_server: LlamaServer) -> None:
    """``{"type": "json_object"}`` alone only constrains the answer to some JSON."""
    reply = _chat(
        llama_server,
        "Is it supported?",
        max_tokens=MAX_TOKENS,
        response_format={"type": "json_object"},
    )
    text = reply.choices[0].message.content or ""
    assert text.lstrip().startswith(("{", "["))
    with pytest.raises(ValueError):  # json.JSONDecodeError or pydantic.ValidationError
        Verdict.model_validate(json.loads(text))


def test_backend_loads_from_a_spec_for_the_server(llama_server: LlamaServer) -> None:
    backend = load_backend(llama_server.spec)  # no HTTP until generate()
    assert isinstance(backend, OpenAICompatibleBackend)
    assert (backend.model, backend.base_url, backend.local) == ("tiny", llama_server.base_url, True)
    assert backend.mode == "json_schema"


def test_backend_round_trip_reports_usage_and_attempts(
    llama_server: LlamaServer, backends: list[OpenAICompatibleBackend]
) -> None:
    """Any JSON object validates, so JSON mode succeeds (at the latest after the repair)."""
    before = _completions_logged(llama_server)
    generation = _backend(llama_server, backends, "json_object").generate(_request(Anything))
    assert isinstance(generation.value, Anything)
    assert generation.model == llama_server.model
    calls = _completions_logged(llama_server) - before
    assert calls == len(generation.attempts) == generation.usage.calls == 1 + generation.repaired
    assert [a["status"] for a in generation.attempts] == [200] * calls
    assert all(a["mode"] == "json_object" for a in generation.attempts)
    usage = generation.usage
    assert usage.input_tokens > 20 * calls  # system + user message, one token per character
    assert calls <= usage.output_tokens <= (MAX_TOKENS + 3) * calls
    assert usage.latency_ms > 0


def test_backend_json_mode_repairs_once_then_raises_output_error(
    llama_server: LlamaServer, backends: list[OpenAICompatibleBackend]
) -> None:
    """Plain JSON mode: llama.cpp returns some JSON, not the schema's; one repair, then fail."""
    before = _completions_logged(llama_server)
    with pytest.raises(OutputError, match=r"schema Verdict.*after one repair attempt"):
        _backend(llama_server, backends, "json_object").generate(_request(Verdict))
    assert _completions_logged(llama_server) == before + 2


def test_backend_steps_down_from_json_schema_to_llamacpps_shape(
    llama_server: LlamaServer, backends: list[OpenAICompatibleBackend]
) -> None:
    """OpenAI's ``json_schema`` gets HTTP 500; the backend steps down once, without retries."""
    backend = _backend(llama_server, backends)
    before = _completions_logged(llama_server)
    generation = backend.generate(_request(Verdict))
    assert backend.mode == "json_object_schema"
    # The access log: json_schema refused once (no retry), then llama.cpp's shape accepted.
    assert _statuses_logged(llama_server, before) == [500, 200]
    assert [(a["mode"], a["status"]) for a in generation.attempts] == [
        ("json_schema", 500),
        ("json_object_schema", 200),
    ]
    assert generation.value.verdict in {"supported", "unsupported"}
    log = llama_server.log.read_text(errors="replace")
    assert "Input should be 'text' or 'json_object'" in log
    # The mode is remembered: the next call goes straight to llama.cpp's shape.
    before = _completions_logged(llama_server)
    again = backend.generate(_request(Verdict))
    assert [(a["mode"], a["status"]) for a in again.attempts] == [("json_object_schema", 200)]
    assert _statuses_logged(llama_server, before) == [200]


@pytest.mark.parametrize("output_type", [Verdict, Short, Cited])
def test_backend_structured_output_is_constrained_by_llamacpp(
    llama_server: LlamaServer, backends: list[OpenAICompatibleBackend], output_type: type[BaseModel]
) -> None:
    """Even a random model's answer validates once llama.cpp's grammar constrains it."""
    generation = _backend(llama_server, backends).generate(_request(output_type))
    value = generation.value
    assert isinstance(value, output_type)
    # The raw answer is the JSON itself (no prose around it) and is the value returned.
    assert output_type.model_validate(json.loads(generation.raw, strict=False)) == value
    if isinstance(value, Verdict):
        assert value.verdict in {"supported", "unsupported"}
    elif isinstance(value, Short):
        assert len(value.answer) <= 6
    else:
        assert isinstance(value, Cited)
        assert 1 <= len(value.citations) <= 2
        assert set(value.citations) <= {"u1", "u2", "u3"}
        assert isinstance(value.negated, bool)
    # json_schema refused once, then llama.cpp's shape: constrained, so valid at once.
    assert [(a["mode"], a["status"]) for a in generation.attempts] == [
        ("json_schema", 500),
        ("json_object_schema", 200),
    ]
    assert generation.repaired is False
