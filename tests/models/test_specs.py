"""Spec strings, environment variables and the plugin registry."""

from __future__ import annotations

import pytest

from evident.errors import ConfigError
from evident.models import available_backends, load_backend, resolve_spec
from evident.models.base import Backend
from evident.models.endpoints import is_loopback
from evident.models.fallback import FallbackBackend
from evident.models.hf import HFBackend
from evident.models.offline import OfflineBackend
from evident.models.openai_compat import OpenAICompatibleBackend

ENV_VARS = (
    "EVIDENT_MODEL",
    "EVIDENT_OPENAI_BASE_URL",
    "EVIDENT_API_KEY",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OLLAMA_HOST",
    "AZURE_OPENAI_ENDPOINT",
    "AZURE_OPENAI_API_KEY",
    "OPENAI_API_VERSION",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("spec", "env", "name", "base_url", "model", "local"),
    [
        (
            "openai-compatible:http://127.0.0.1:8000/v1#my-model",
            {},
            "openai-compatible",
            "http://127.0.0.1:8000/v1",
            "my-model",
            True,
        ),
        (
            "openai-compatible:http://localhost:8080#org/model:q4",
            {},
            "openai-compatible",
            "http://localhost:8080/v1",
            "org/model:q4",
            True,
        ),
        (
            "openai-compatible:https://llm.example.org/api/v1/",
            {},
            "openai-compatible",
            "https://llm.example.org/api/v1",
            "auto",
            False,
        ),
        (
            "openai-compatible:#served",
            {"EVIDENT_OPENAI_BASE_URL": "http://[::1]:9000/v1"},
            "openai-compatible",
            "http://[::1]:9000/v1",
            "served",
            True,
        ),
        (
            "openai-compatible:served",
            {"EVIDENT_OPENAI_BASE_URL": "http://10.0.0.5:8000/v1"},
            "openai-compatible",
            "http://10.0.0.5:8000/v1",
            "served",
            False,
        ),
        (
            "openai:gpt-4o",
            {"OPENAI_API_KEY": "sk-test"},
            "openai",
            "https://api.openai.com/v1",
            "gpt-4o",
            False,
        ),
        (
            "openai:gpt-4o-mini",
            {"EVIDENT_API_KEY": "k", "OPENAI_BASE_URL": "http://127.0.0.1:1234/v1"},
            "openai",
            "http://127.0.0.1:1234/v1",
            "gpt-4o-mini",
            True,
        ),
        ("ollama:llama3.1", {}, "ollama", "http://127.0.0.1:11434/v1", "llama3.1", True),
        (
            "ollama:llama3.1:8b",
            {"OLLAMA_HOST": "0.0.0.0"},
            "ollama",
            "http://127.0.0.1:11434/v1",
            "llama3.1:8b",
            True,
        ),
        (
            "ollama:qwen2.5",
            {"OLLAMA_HOST": "gpu-box:9999"},
            "ollama",
            "http://gpu-box:9999/v1",
            "qwen2.5",
            False,
        ),
        (
            "ollama:qwen2.5",
            {"OLLAMA_HOST": "https://ollama.example.org"},
            "ollama",
            "https://ollama.example.org/v1",
            "qwen2.5",
            False,
        ),
        (
            "azure:my-deployment",
            {"AZURE_OPENAI_ENDPOINT": "https://res.openai.azure.com/", "AZURE_OPENAI_API_KEY": "k"},
            "azure",
            "https://res.openai.azure.com",
            "my-deployment",
            False,
        ),
    ],
)
def test_openai_compatible_specs(monkeypatch, spec, env, name, base_url, model, local):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    backend = load_backend(spec)
    assert isinstance(backend, OpenAICompatibleBackend)
    assert isinstance(backend, Backend)
    assert (backend.spec, backend.name, backend.base_url) == (spec, name, base_url)
    assert (backend.model, backend.local, backend.offline) == (model, local, False)


@pytest.mark.parametrize(
    ("spec", "env", "message"),
    [
        ("openai-compatible:", {}, "needs a base URL"),
        ("openai-compatible:#m", {}, "needs a base URL"),
        ("openai-compatible:ftp://host/v1#m", {}, "not an http"),
        ("openai-compatible:http://#m", {}, "not an http"),
        ("openai-compatible:http://host:99999/v1#m", {}, "bad port"),
        ("openai-compatible:http://host/v1#two words", {}, "model name"),
        ("openai:", {"OPENAI_API_KEY": "k"}, "model name"),
        ("openai:gpt-4o", {}, "OPENAI_API_KEY"),
        ("ollama:", {}, "model name"),
        ("ollama:llama3", {"OLLAMA_HOST": "host:notaport"}, "bad port"),
        ("azure:dep", {}, "AZURE_OPENAI_ENDPOINT"),
        ("azure:dep", {"AZURE_OPENAI_ENDPOINT": "https://r.example"}, "AZURE_OPENAI_API_KEY"),
        ("hf:", {}, "model directory"),
        ("hf:/no/such/dir", {}, "not a model directory"),
        ("offline:thing", {}, "no model name"),
        ("nosuch:thing", {}, "unknown model backend 'nosuch'"),
        ("openai-compatible:http://h/v1#m,offline", {}, "cannot be part of a chain"),
    ],
)
def test_malformed_specs(monkeypatch, spec, env, message):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError, match=message) as info:
        load_backend(spec)
    assert "\n" not in str(info.value)


def test_api_keys_are_not_leaked(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value")
    backend = load_backend("openai-compatible:http://127.0.0.1:8000/v1#m")
    assert isinstance(backend, OpenAICompatibleBackend)
    assert backend.endpoint.api_key == "EMPTY"  # an OpenAI key never goes to another server
    openai_backend = load_backend("openai:gpt-4o")
    assert isinstance(openai_backend, OpenAICompatibleBackend)
    assert "sk-secret-value" not in repr(openai_backend.endpoint)
    monkeypatch.setenv("EVIDENT_API_KEY", "evident-key")
    backend = load_backend("openai-compatible:http://127.0.0.1:8000/v1#m")
    assert isinstance(backend, OpenAICompatibleBackend)
    assert backend.endpoint.api_key == "evident-key"


def test_azure_api_version(monkeypatch):
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://r.openai.azure.com")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "k")
    backend = load_backend("azure:dep")
    assert isinstance(backend, OpenAICompatibleBackend)
    assert backend.endpoint.azure_api_version == "2024-10-21"
    monkeypatch.setenv("OPENAI_API_VERSION", "2025-01-01-preview")
    backend = load_backend("azure:dep")
    assert isinstance(backend, OpenAICompatibleBackend)
    assert backend.endpoint.azure_api_version == "2025-01-01-preview"


def test_evident_model_env_and_default(monkeypatch):
    assert resolve_spec(None) == "offline"
    assert isinstance(load_backend(), OfflineBackend)
    monkeypatch.setenv("EVIDENT_MODEL", "ollama:llama3.1")
    assert resolve_spec(None) == "ollama:llama3.1"
    assert load_backend().model == "llama3.1"
    assert resolve_spec("offline") == "offline"  # an explicit spec wins over the env


def test_fallback_spec(monkeypatch, tmp_path):
    spec = "openai-compatible:http://127.0.0.1:1/v1#a, ollama:b ,hf:" + str(tmp_path)
    backend = load_backend(spec)
    assert isinstance(backend, FallbackBackend)
    assert [type(b) for b in backend.backends] == [
        OpenAICompatibleBackend,
        OpenAICompatibleBackend,
        HFBackend,
    ]
    assert backend.local is True
    assert backend.model == "a"
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    assert load_backend("ollama:b,openai:gpt-4o").local is False


def test_builtin_backends_are_plugins():
    assert {"offline", "openai-compatible", "openai", "ollama", "azure", "hf"} <= set(
        available_backends()
    )


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8000/v1", True),
        ("http://127.1.2.3/v1", True),
        ("http://localhost/v1", True),
        ("http://LOCALHOST:1/v1", True),
        ("http://vllm.localhost/v1", True),
        ("http://[::1]:8000/v1", True),
        ("http://0.0.0.0:8000/v1", False),
        ("http://192.168.1.4:8000/v1", False),
        ("https://api.openai.com/v1", False),
        ("http://localhost.example.com/v1", False),
        ("not a url", False),
    ],
)
def test_is_loopback(url, local):
    assert is_loopback(url) is local
