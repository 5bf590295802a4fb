"""The fallback chain, over HTTP against two scripted servers."""

from __future__ import annotations

from typing import Any

import pytest

from evident.errors import BackendError, ConfigError, OutputError
from evident.models.base import Generation, GenerationRequest, Message
from evident.models.endpoints import openai_compatible_endpoint
from evident.models.fallback import FallbackBackend
from evident.models.openai_compat import OpenAICompatibleBackend
from evident.models.settings import RetryPolicy
from evident.types import Usage
from tests.models.conftest import Answer
from tests.support.openai_server import start_server

GOOD = {"json": {"answer": "yes", "confidence": 8}}
REQUEST = GenerationRequest(messages=(Message("user", "Is it sunny?"),), output_type=Answer)


def http_backend(base_url: str, model: str) -> OpenAICompatibleBackend:
    spec = f"openai-compatible:{base_url}#{model}"
    endpoint = openai_compatible_endpoint(f"{base_url}#{model}", spec)
    retry = RetryPolicy(max_retries=1, backoff=0)
    return OpenAICompatibleBackend(spec, endpoint, timeout=2, retry=retry, sleep=lambda _: None)


@pytest.fixture(scope="module")
def second_server():
    with start_server([]) as running:
        yield running


def test_falls_back_from_a_failing_endpoint(server, second_server):
    server.set_script({"default": {"status": 500}})
    second_server.set_script([{**GOOD, "usage": {"prompt_tokens": 10, "completion_tokens": 3}}])
    chain = FallbackBackend(
        "a,b",
        [http_backend(server.base_url, "primary"), http_backend(second_server.base_url, "backup")],
    )
    result = chain.generate(REQUEST)
    assert result.value.answer == "yes"
    assert result.model == "backup"
    assert [(a["model"], a["status"]) for a in result.attempts] == [
        ("primary", 500),
        ("primary", 500),
        ("backup", 200),
    ]
    assert result.usage.input_tokens == 10
    assert len(server.chat_requests) == 2  # the primary's own retries came first


def test_falls_back_on_output_error_by_default(server, second_server):
    server.set_script({"default": {"content": "not json"}})
    second_server.set_script([GOOD])
    chain = FallbackBackend(
        "a,b",
        [http_backend(server.base_url, "weak"), http_backend(second_server.base_url, "strong")],
    )
    result = chain.generate(REQUEST)
    assert result.model == "strong"
    assert [a["phase"] for a in result.attempts] == ["initial", "repair", "initial"]


def test_output_error_can_stop_the_chain(server, second_server):
    server.set_script({"default": {"content": "not json"}})
    second_server.set_script([GOOD])
    chain = FallbackBackend(
        "a,b",
        [http_backend(server.base_url, "weak"), http_backend(second_server.base_url, "strong")],
        fallback_on_output_error=False,
    )
    with pytest.raises(OutputError, match=r"1 tried"):
        chain.generate(REQUEST)
    assert second_server.chat_requests == []


def test_all_fail(server, second_server):
    server.set_script({"default": {"status": 503}})
    second_server.set_script({"default": {"content": "garbage"}})
    chain = FallbackBackend(
        "a,b", [http_backend(server.base_url, "one"), http_backend(second_server.base_url, "two")]
    )
    with pytest.raises(BackendError) as info:
        chain.generate(REQUEST)
    assert not isinstance(info.value, OutputError)  # mixed failures are a BackendError
    message = str(info.value)
    assert "2 tried" in message and "HTTP 503" in message and "repair" in message
    assert "sunny" not in message
    assert len(info.value.attempts) == 4  # type: ignore[attr-defined]


class Stub:
    """A backend without an attempt log, as a third-party plugin might be."""

    name = "stub"
    offline = False

    def __init__(self, model: str, *, local: bool, error: Exception | None = None) -> None:
        self.spec = f"stub:{model}"
        self.model = model
        self.local = local
        self.error = error
        self.calls = 0

    def generate(self, request: GenerationRequest[Any]) -> Generation[Any]:
        self.calls += 1
        if self.error:
            raise self.error
        value = request.output_type(answer="stub", confidence=1)
        return Generation(value=value, raw="{}", model=self.model, usage=Usage(calls=1))


def test_stub_members_and_locality():
    first = Stub("a", local=True, error=BackendError("down"))
    second = Stub("b", local=False)
    chain = FallbackBackend("stub:a,stub:b", [first, second])
    assert chain.local is False
    result = chain.generate(REQUEST)
    assert result.model == "b"
    assert result.attempts == (
        {"backend": "stub", "model": "a", "status": None, "error": "BackendError"},
        {"backend": "stub", "model": "b", "status": 200, "error": None},
    )
    assert FallbackBackend("x", [Stub("a", local=True), Stub("b", local=True)]).local is True


def test_config_errors_are_not_swallowed():
    first = Stub("a", local=True, error=ConfigError("bad key"))
    second = Stub("b", local=True)
    with pytest.raises(ConfigError):
        FallbackBackend("x", [first, second]).generate(REQUEST)
    assert second.calls == 0


def test_chain_needs_two_members():
    with pytest.raises(ConfigError, match="at least two"):
        FallbackBackend("x", [Stub("a", local=True)])


class Closable(Stub):
    """A stub member with a ``close()`` that may fail."""

    def __init__(self, model: str, *, fail: bool = False) -> None:
        super().__init__(model, local=True)
        self.fail = fail
        self.closed = 0

    def close(self) -> None:
        self.closed += 1
        if self.fail:
            raise OSError("socket already gone")


def test_close_closes_every_member_that_can_be_closed(server, second_server):
    server.set_script([GOOD])
    http = http_backend(server.base_url, "primary")
    plain, closable = Stub("plain", local=True), Closable("closable")
    with FallbackBackend("a,b,c", [http, plain, closable]) as chain:
        assert chain.generate(REQUEST).model == "primary"
        client = http._client
        assert client is not None and not client.is_closed()
    assert client.is_closed() and http._client is None
    assert closable.closed == 1  # the stub without close() was skipped


def test_a_failing_close_does_not_leave_the_others_open():
    failing, other = Closable("a", fail=True), Closable("b")
    chain = FallbackBackend("a,b", [failing, other])
    with pytest.raises(OSError, match="already gone"):
        chain.close()
    assert (failing.closed, other.closed) == (1, 1)
