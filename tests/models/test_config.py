"""The models configuration file: aliases, default model, endpoint settings."""

from __future__ import annotations

import pytest

from evident.errors import ConfigError
from evident.models import load_backend, resolve_spec
from evident.models.config import config_path, load_config
from evident.models.fallback import FallbackBackend
from evident.models.openai_compat import OpenAICompatibleBackend

CONFIG = """
version: 1
default: team
aliases:
  team: "openai-compatible:http://10.0.0.5:8000/v1#llama, ollama:llama3.1"
  fast: ollama:qwen2.5
timeout: 30
max_retries: 1
backoff: 2.0
endpoints:
  - url: http://10.0.0.5:8000
    api_key_env: VLLM_KEY
    local: true
    timeout: 120
    max_retries: 5
"""


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    path = tmp_path / "models.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("EVIDENT_MODELS_FILE", str(path))
    for name in ("EVIDENT_MODEL", "EVIDENT_TIMEOUT", "EVIDENT_MAX_RETRIES", "EVIDENT_BACKOFF"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("EVIDENT_API_KEY", raising=False)
    return path


def test_default_and_aliases(config_file, monkeypatch):
    assert resolve_spec(None) == "team"
    chain = load_backend()
    assert isinstance(chain, FallbackBackend)
    assert [b.model for b in chain.backends] == ["llama", "llama3.1"]
    fast = load_backend("fast")
    assert isinstance(fast, OpenAICompatibleBackend)
    assert (fast.spec, fast.model) == ("ollama:qwen2.5", "qwen2.5")
    mixed = load_backend("fast,team")
    assert isinstance(mixed, FallbackBackend) and len(mixed.backends) == 3
    monkeypatch.setenv("EVIDENT_MODEL", "ollama:x")
    assert resolve_spec(None) == "ollama:x"  # the environment wins over the file


def test_endpoint_settings(config_file, monkeypatch):
    monkeypatch.setenv("VLLM_KEY", "vllm-secret")
    remote = load_backend("openai-compatible:http://10.0.0.5:8000/v1#llama")
    assert isinstance(remote, OpenAICompatibleBackend)
    assert (remote.local, remote.timeout, remote.retry.max_retries) == (True, 120, 5)
    assert remote.retry.backoff == 2.0
    assert remote.endpoint.api_key == "vllm-secret"
    other = load_backend("openai-compatible:http://10.0.0.5:9000/v1#llama")
    assert isinstance(other, OpenAICompatibleBackend)
    assert (other.local, other.timeout, other.retry.max_retries) == (False, 30, 1)
    assert other.endpoint.api_key == "EMPTY"
    monkeypatch.setenv("EVIDENT_TIMEOUT", "3")
    monkeypatch.setenv("EVIDENT_MAX_RETRIES", "0")
    env_wins = load_backend("openai-compatible:http://10.0.0.5:8000/v1#llama")
    assert isinstance(env_wins, OpenAICompatibleBackend)
    assert (env_wins.timeout, env_wins.retry.max_retries) == (3, 0)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("m.yaml", "aliases: [unclosed", "not valid YAML"),
        ("m.yaml", "bogus: 1", "bogus: Extra inputs"),
        ("m.yaml", "version: 2", "version"),
        ("m.yaml", "timeout: -1", "timeout"),
        ("m.yaml", "aliases: {'a:b': 'ollama:x'}", "plain name"),
        ("m.yaml", "endpoints: [{url: 'ftp://x'}]", "endpoints.0.url"),
        ("m.yaml", "endpoints: [{url: 'http://x', api_key_env: 'not a var'}]", "api_key_env"),
        ("m.yaml", "- just\n- a list", "top level"),
        ("m.json", "{nope", "not valid JSON"),
        ("m.toml", "timeout = ", "not valid TOML"),
    ],
)
def test_malformed_config(tmp_path, monkeypatch, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("EVIDENT_MODELS_FILE", str(path))
    with pytest.raises(ConfigError, match=message) as info:
        load_config()
    assert str(path) in str(info.value)


def test_missing_or_binary_config(tmp_path, monkeypatch):
    monkeypatch.setenv("EVIDENT_MODELS_FILE", str(tmp_path / "absent.yaml"))
    with pytest.raises(ConfigError, match="cannot read"):
        load_config()
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00")
    monkeypatch.setenv("EVIDENT_MODELS_FILE", str(binary))
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config()


def test_toml_and_json(tmp_path, monkeypatch):
    toml = tmp_path / "m.toml"
    toml.write_text('default = "ollama:a"\n[aliases]\nb = "ollama:b"\n', encoding="utf-8")
    monkeypatch.setenv("EVIDENT_MODELS_FILE", str(toml))
    assert load_config().aliases == {"b": "ollama:b"}
    js = tmp_path / "m.json"
    js.write_text('{"default": "ollama:c"}', encoding="utf-8")
    monkeypatch.setenv("EVIDENT_MODELS_FILE", str(js))
    assert load_config().default == "ollama:c"


def test_config_location(tmp_path, monkeypatch):
    monkeypatch.setenv("EVIDENT_MODELS_FILE", "")
    assert config_path() is None
    assert load_config().aliases == {}
    monkeypatch.delenv("EVIDENT_MODELS_FILE")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert config_path() is None
    (tmp_path / "evident").mkdir()
    (tmp_path / "evident" / "models.yaml").write_text("default: ollama:z\n", encoding="utf-8")
    assert config_path() == tmp_path / "evident" / "models.yaml"
    monkeypatch.delenv("EVIDENT_MODEL", raising=False)
    assert resolve_spec(None) == "ollama:z"


def test_unknown_alias_is_an_unknown_backend(config_file):
    with pytest.raises(ConfigError, match="unknown model backend 'nosuch'"):
        load_backend("nosuch")
    with pytest.raises(ConfigError, match="names no backend"):
        load_backend(" , ")
