"""The openai-compatible backend over real HTTP against the scripted server process."""

from __future__ import annotations

import json
import time

import pytest

from evident.errors import BackendError, OutputError
from evident.models.base import GenerationRequest, Message
from tests.models.conftest import Answer

GOOD = {"json": {"answer": "yes", "confidence": 8}}
REQUEST = GenerationRequest(
    messages=(Message("system", "You answer questions."), Message("user", "Is it sunny?")),
    output_type=Answer,
)


def test_success_with_json_schema_and_usage(make_backend, server):
    backend = make_backend(
        [{**GOOD, "usage": {"prompt_tokens": 21, "completion_tokens": 6}}], model="my-model"
    )
    result = backend.generate(REQUEST)
    assert result.value == Answer(answer="yes", confidence=8)
    assert (result.model, result.repaired) == ("my-model", False)
    assert (result.usage.input_tokens, result.usage.output_tokens, result.usage.calls) == (21, 6, 1)
    assert result.usage.latency_ms > 0
    (body,) = server.chat_requests
    assert body["model"] == "my-model"
    assert body["response_format"]["type"] == "json_schema"
    schema = body["response_format"]["json_schema"]
    assert schema["strict"] is True
    assert schema["schema"]["required"] == ["answer", "confidence"]
    assert body["messages"] == [
        {"role": "system", "content": "You answer questions."},
        {"role": "user", "content": "Is it sunny?"},
    ]
    assert server.requests[0]["headers"]["authorization"] == "Bearer EMPTY"


def test_invalid_json_then_successful_repair(make_backend, server):
    backend = make_backend([{"content": "I think the answer is yes."}, GOOD])
    result = backend.generate(REQUEST)
    assert result.value.answer == "yes"
    assert result.repaired is True
    assert result.usage.calls == 2
    first, repair = server.chat_requests
    assert repair["messages"][:2] == first["messages"]
    assert repair["messages"][2] == {"role": "assistant", "content": "I think the answer is yes."}
    assert "parseable JSON" in repair["messages"][3]["content"]
    assert [a["phase"] for a in result.attempts] == ["initial", "repair"]


def test_schema_violation_then_repair_names_the_field(make_backend, server):
    backend = make_backend([{"json": {"answer": "yes"}}, GOOD])
    assert backend.generate(REQUEST).repaired is True
    assert "confidence: Field required" in server.chat_requests[1]["messages"][-1]["content"]


def test_invalid_twice_raises_output_error(make_backend, server):
    backend = make_backend([{"content": "nope"}, {"json": {"answer": 3}}])
    with pytest.raises(OutputError) as info:
        backend.generate(REQUEST)
    message = str(info.value)
    assert "after one repair attempt" in message and "'m'" in message
    assert "nope" not in message and "sunny" not in message
    assert len(server.chat_requests) == 2


def test_output_error_carries_raw_output_for_reparsing(make_backend, server):
    backend = make_backend([{"content": "nope"}, {"content": "The answer is (B)."}])
    with pytest.raises(OutputError) as info:
        backend.generate(REQUEST)
    assert info.value.raw == "The answer is (B)."
    assert "(B)" not in str(info.value)


def test_repair_off_scores_the_first_output(make_backend, server):
    backend = make_backend([{"content": "The answer is (C)."}, GOOD])
    no_repair = GenerationRequest(REQUEST.messages, Answer, repair=False)
    with pytest.raises(OutputError) as info:
        backend.generate(no_repair)
    assert info.value.raw == "The answer is (C)."
    assert len(server.chat_requests) == 1


def test_429_then_retry_honours_retry_after(make_backend, server, sleeps):
    script = [
        {"status": 429, "headers": {"Retry-After": "0.05"}},
        {"status": 503},
        GOOD,
    ]
    backend = make_backend(script, retries=3, backoff=0.0)
    result = backend.generate(REQUEST)
    assert result.value.confidence == 8
    assert sleeps.delays == [0.05, 0.0]  # Retry-After, then the (zero) backoff
    assert [a["status"] for a in result.attempts] == [429, 503, 200]
    assert len(server.chat_requests) == 3


def test_real_sleep_between_retries(server):
    from evident.models.endpoints import openai_compatible_endpoint
    from evident.models.openai_compat import OpenAICompatibleBackend
    from evident.models.settings import RetryPolicy

    server.set_script([{"status": 429, "headers": {"Retry-After": "0.3"}}, GOOD])
    spec = f"openai-compatible:{server.base_url}#m"
    endpoint = openai_compatible_endpoint(f"{server.base_url}#m", spec)
    backend = OpenAICompatibleBackend(spec, endpoint, timeout=5, retry=RetryPolicy(max_retries=1))
    started = time.perf_counter()
    backend.generate(REQUEST)
    assert time.perf_counter() - started >= 0.3


def test_5xx_exhausted_raises_backend_error(make_backend, server, sleeps):
    backend = make_backend([{"status": 500}] * 3, retries=2, backoff=0.5)
    with pytest.raises(BackendError) as info:
        backend.generate(REQUEST)
    assert not isinstance(info.value, OutputError)
    message = str(info.value)
    assert "HTTP 500" in message and "3 tries" in message and "'m'" in message
    assert "sunny" not in message
    assert len(sleeps.delays) == 2
    assert 0.5 * 0.75 <= sleeps.delays[0] <= 0.5 * 1.25  # exponential backoff with jitter
    assert 1.0 * 0.75 <= sleeps.delays[1] <= 1.0 * 1.25
    assert len(info.value.attempts) == 3  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("status", "hint"), [(400, "HTTP 400"), (401, "check the API key"), (404, "HTTP 404")]
)
def test_client_errors_are_not_retried(make_backend, server, status, hint):
    backend = make_backend([{"status": status, "error": "Is it sunny? is not allowed"}, GOOD])
    with pytest.raises(BackendError, match=hint) as info:
        backend.generate(REQUEST)
    assert "sunny" not in str(info.value)
    assert len(server.chat_requests) == 1


def test_timeout(make_backend, server):
    backend = make_backend([{"delay": 2, **GOOD}, {"delay": 2, **GOOD}], timeout=0.25, retries=1)
    started = time.perf_counter()
    with pytest.raises(BackendError, match=r"timed out after 0\.25 s") as info:
        backend.generate(REQUEST)
    assert time.perf_counter() - started < 1.9
    assert "2 tries" in str(info.value)


def test_timeout_then_retry_succeeds(make_backend):
    backend = make_backend([{"delay": 2, **GOOD}, GOOD], timeout=0.25, retries=1)
    result = backend.generate(REQUEST)
    assert [a["error"] for a in result.attempts] == ["APITimeoutError", None]


def test_connection_dropped_then_retry(make_backend):
    backend = make_backend([{"drop": True}, GOOD], retries=1)
    assert backend.generate(REQUEST).value.answer == "yes"


def test_connection_refused():
    from evident.models import load_backend

    backend = load_backend("openai-compatible:http://127.0.0.1:9/v1#m")
    backend.retry = type(backend.retry)(max_retries=0)
    with pytest.raises(BackendError, match="connection failed"):
        backend.generate(REQUEST)


def test_json_schema_refused_steps_to_json_object_with_schema_once(make_backend, server):
    script = {"unsupported_response_formats": ["json_schema"], "replies": [GOOD, GOOD]}
    backend = make_backend(script)
    assert backend.generate(REQUEST).value.answer == "yes"
    assert backend.mode == "json_object_schema"
    backend.generate(REQUEST)
    formats = [b["response_format"] for b in server.chat_requests]
    assert [f["type"] for f in formats] == ["json_schema", "json_object", "json_object"]
    # llama.cpp's shape: JSON mode with the schema beside it (remembered for the next call).
    assert formats[1] == formats[2] == {"type": "json_object", "schema": Answer.model_json_schema()}
    system = server.chat_requests[1]["messages"][0]
    assert system["role"] == "system"
    assert system["content"].startswith("You answer questions.")
    assert '"confidence"' in system["content"]  # the schema is in the prompt as well


def test_json_object_with_schema_refused_steps_to_plain_json_mode(make_backend, server):
    script = {
        "unsupported_response_formats": ["json_schema", "json_object+schema"],
        "replies": [GOOD],
    }
    backend = make_backend(script)
    result = backend.generate(REQUEST)
    assert backend.mode == "json_object"
    formats = [b["response_format"] for b in server.chat_requests]
    assert formats[-1] == {"type": "json_object"}
    assert [f.get("schema") is not None for f in formats] == [False, True, False]
    assert [a["mode"] for a in result.attempts] == [
        "json_schema",
        "json_object_schema",
        "json_object",
    ]
    assert [a["status"] for a in result.attempts] == [400, 400, 200]


def test_degrades_to_plain_prompting(make_backend, server):
    script = {"unsupported_response_formats": ["json_schema", "json_object"], "replies": [GOOD]}
    backend = make_backend(script)
    request = GenerationRequest(messages=(Message("user", "q"),), output_type=Answer)
    assert backend.generate(request).value.answer == "yes"
    assert backend.mode == "prompt"
    bodies = server.chat_requests
    assert [b.get("response_format", {}).get("type") for b in bodies] == [
        "json_schema",
        "json_object",  # with the schema
        "json_object",
        None,
    ]
    last = bodies[-1]
    assert "response_format" not in last
    assert last["messages"][0]["role"] == "system"  # a schema instruction was added


LLAMACPP_500 = (
    "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', "
    "'type'), 'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}"
)
FASTAPI_422 = {
    "detail": [
        {
            "type": "literal_error",
            "loc": ["body", "response_format", "type"],
            "msg": "Input should be 'text' or 'json_object'",
            "input": "json_schema",
        }
    ]
}


@pytest.mark.parametrize(
    "refusal",
    [
        {"status": 500, "error": LLAMACPP_500},  # llama-cpp-python's validation error
        {"status": 500},  # the scripted server's own message names response_format
        {"status": 422, "body": FASTAPI_422},  # FastAPI's request validation
        {"status": 400, "error": "Invalid parameter: 'json_schema' is not supported"},
    ],
    ids=["500-llamacpp", "500-message", "422-detail", "400"],
)
def test_response_format_refusal_degrades_without_a_retry(make_backend, server, sleeps, refusal):
    script = {
        "unsupported_response_formats": ["json_schema"],
        "response_format_reply": refusal,
        "replies": [GOOD],
    }
    backend = make_backend(script, retries=0)  # a degrade must not need a retry
    result = backend.generate(REQUEST)
    assert result.value.answer == "yes"
    assert backend.mode == "json_object_schema"
    assert sleeps.delays == []
    assert [(a["mode"], a["status"]) for a in result.attempts] == [
        ("json_schema", refusal["status"]),
        ("json_object_schema", 200),
    ]
    assert server.chat_requests[1]["response_format"]["schema"] == Answer.model_json_schema()


def test_500_not_naming_response_format_is_retried_not_degraded(make_backend, server, sleeps):
    backend = make_backend([{"status": 500, "error": "CUDA error: out of memory"}, GOOD], retries=1)
    result = backend.generate(REQUEST)
    assert backend.mode == "json_schema"
    assert len(sleeps.delays) == 1
    assert [(a["mode"], a["status"]) for a in result.attempts] == [
        ("json_schema", 500),
        ("json_schema", 200),
    ]


def test_422_not_naming_response_format_is_an_error(make_backend, server):
    detail = {"detail": [{"loc": ["body", "max_tokens"], "msg": "Input should be > 0"}]}
    backend = make_backend([{"status": 422, "body": detail}, GOOD])
    with pytest.raises(BackendError, match="HTTP 422"):
        backend.generate(REQUEST)
    assert backend.mode == "json_schema"
    assert len(server.chat_requests) == 1


def test_500_refusals_walk_the_whole_ladder_once(make_backend, server, sleeps):
    script = {
        "unsupported_response_formats": ["json_schema", "json_object"],
        "response_format_reply": {"status": 500},
        "replies": [GOOD, GOOD],
    }
    backend = make_backend(script, retries=0)
    backend.generate(REQUEST)
    backend.generate(REQUEST)
    assert backend.mode == "prompt"
    assert [r["status"] for r in server.requests] == [500, 500, 500, 200, 200]
    assert sleeps.delays == []


def test_repair_in_json_object_schema_mode_sends_the_schema(make_backend, server):
    script = {"unsupported_response_formats": ["json_schema"], "replies": [{"json": {}}, GOOD]}
    backend = make_backend(script)
    result = backend.generate(REQUEST)
    assert result.repaired is True
    repair = server.chat_requests[-1]
    assert repair["response_format"] == {
        "type": "json_object",
        "schema": Answer.model_json_schema(),
    }
    assert [a["phase"] for a in result.attempts] == ["initial", "initial", "repair"]


def test_close_releases_the_client_and_reopens_on_demand(make_backend, server):
    backend = make_backend([GOOD, GOOD])
    backend.close()  # nothing opened yet: a no-op
    backend.generate(REQUEST)
    client = backend._client
    assert client is not None and not client.is_closed()
    backend.close()
    backend.close()  # idempotent
    assert client.is_closed() and backend._client is None
    assert backend.generate(REQUEST).value.answer == "yes"  # a new client
    assert backend._client is not client


def test_backend_is_a_context_manager(make_backend):
    with make_backend([GOOD]) as backend:
        backend.generate(REQUEST)
        client = backend._client
    assert client.is_closed() and backend._client is None


def test_max_completion_tokens_is_used_when_max_tokens_is_refused(make_backend, server):
    refusal = {
        "status": 400,
        "error": "Unsupported parameter: 'max_tokens'. Use 'max_completion_tokens' instead.",
    }
    backend = make_backend([refusal, GOOD])
    backend.generate(REQUEST)
    first, second = server.chat_requests
    assert first["max_tokens"] == 2048
    assert second["max_completion_tokens"] == 2048 and "max_tokens" not in second


def test_model_discovered_from_the_server(make_backend, server):
    backend = make_backend({"models": ["served-model"], "replies": [GOOD]}, model="")
    assert backend.model == "auto"
    result = backend.generate(REQUEST)
    assert result.model == "served-model"
    assert server.chat_requests[0]["model"] == "served-model"


def test_sampling_parameters_are_sent(make_backend, server):
    backend = make_backend([GOOD])
    request = GenerationRequest(
        messages=(Message("user", "q"),), output_type=Answer, temperature=0.7, max_tokens=99, seed=5
    )
    backend.generate(request)
    (body,) = server.chat_requests
    assert (body["temperature"], body["max_tokens"], body["seed"]) == (0.7, 99, 5)


def test_code_fenced_answer_is_accepted(make_backend):
    fenced = "Here you go:\n```json\n" + json.dumps(GOOD["json"]) + "\n```"
    backend = make_backend([{"content": fenced}])
    result = backend.generate(REQUEST)
    assert (result.value.confidence, result.repaired) == (8, False)


def test_timeout_from_env(monkeypatch):
    from evident.models import load_backend

    monkeypatch.setenv("EVIDENT_TIMEOUT", "7.5")
    monkeypatch.setenv("EVIDENT_MAX_RETRIES", "1")
    backend = load_backend("ollama:x")
    assert (backend.timeout, backend.retry.max_retries) == (7.5, 1)


def test_temperature_is_dropped_when_refused(make_backend, server):
    refusal = {
        "status": 400,
        "error": "Unsupported value: 'temperature' does not support 0.0 with this model.",
    }
    backend = make_backend([refusal, GOOD, GOOD])
    backend.generate(REQUEST)
    backend.generate(REQUEST)
    bodies = server.chat_requests
    assert "temperature" in bodies[0]
    assert all("temperature" not in b for b in bodies[1:])  # remembered


def test_served_model_is_recorded(make_backend):
    backend = make_backend([{**GOOD, "model": "gpt-x-2025-01-01"}], model="gpt-x")
    result = backend.generate(REQUEST)
    assert result.model == "gpt-x"
    assert result.attempts[-1]["served_model"] == "gpt-x-2025-01-01"


def test_truncated_answer_is_reported(make_backend):
    cut = {"content": '{"answer": "ye', "finish_reason": "length"}
    backend = make_backend([cut, cut])
    with pytest.raises(OutputError, match="cut off at max_tokens") as info:
        backend.generate(REQUEST)
    assert all(a["truncated"] for a in info.value.attempts)  # type: ignore[attr-defined]
