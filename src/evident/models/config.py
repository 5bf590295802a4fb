"""The optional models configuration file: aliases, a default model, endpoint settings.

The file is ``$EVIDENT_MODELS_FILE`` (an empty value disables it), else
``$XDG_CONFIG_HOME/evident/models.yaml`` (``~/.config/evident/models.yaml``) when it
exists. YAML, JSON or TOML (by suffix)::

    version: 1
    default: team              # used when neither -m nor $EVIDENT_MODEL is given
    aliases:                   # -m team  ==  -m "openai-compatible:...#llama,ollama:llama3.1"
      team: "openai-compatible:http://10.0.0.5:8000/v1#llama,ollama:llama3.1"
    timeout: 90                # seconds per request (EVIDENT_TIMEOUT wins)
    max_retries: 2             # (EVIDENT_MAX_RETRIES wins)
    backoff: 1.0               # (EVIDENT_BACKOFF wins)
    endpoints:                 # settings for servers whose base URL starts with `url`
      - url: http://10.0.0.5:8000
        api_key_env: VLLM_API_KEY   # the variable holding the key (no keys in files)
        local: true                 # an on-premises server the privacy policy may trust
        timeout: 120

Environment variables win over the file; the file wins over built-in defaults.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from evident.errors import ConfigError

__all__ = ["CONFIG_ENV", "EndpointSettings", "ModelsConfig", "config_path", "load_config"]

CONFIG_ENV = "EVIDENT_MODELS_FILE"
_MAX_BYTES = 1_000_000


class EndpointSettings(BaseModel):
    """Settings for the endpoints under one base URL.

    Attributes:
        url: An http(s) URL; it applies to endpoints with the same scheme, host and port
            whose path starts with its path.
        api_key_env: Name of the environment variable that holds the key to send.
        local: Whether the endpoint counts as local (overrides the loopback test).
        timeout: Seconds per request.
        max_retries: Retries after the first try.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    api_key_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    local: bool | None = None
    timeout: float | None = Field(default=None, gt=0)
    max_retries: int | None = Field(default=None, ge=0)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http(s) URL")
        return value.rstrip("/")

    def matches(self, base_url: str) -> bool:
        """True when these settings apply to an endpoint with this base URL."""
        mine, theirs = urlsplit(self.url), urlsplit(base_url)
        try:
            same_port = _port(mine) == _port(theirs)
        except ValueError:
            return False
        return (
            mine.scheme == theirs.scheme
            and mine.hostname == theirs.hostname
            and same_port
            and theirs.path.rstrip("/").startswith(mine.path.rstrip("/"))
        )


def _port(parts: Any) -> int:
    return int(parts.port or (443 if parts.scheme == "https" else 80))


class ModelsConfig(BaseModel):
    """The models configuration file's content."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = 1
    default: str | None = None
    aliases: dict[str, str] = Field(default_factory=dict)
    timeout: float | None = Field(default=None, gt=0)
    max_retries: int | None = Field(default=None, ge=0)
    backoff: float | None = Field(default=None, ge=0)
    endpoints: tuple[EndpointSettings, ...] = ()

    @field_validator("aliases")
    @classmethod
    def _alias_names(cls, value: dict[str, str]) -> dict[str, str]:
        for name, spec in value.items():
            if not name or any(c in name for c in ":,# ") or not spec.strip():
                raise ValueError(f"alias '{name}' needs a plain name and a spec")
        return value

    def endpoint(self, base_url: str) -> EndpointSettings | None:
        """The first endpoint settings that apply to a base URL, or None."""
        return next((e for e in self.endpoints if e.matches(base_url)), None)


def config_path() -> Path | None:
    """The configuration file to read, or None."""
    if CONFIG_ENV in os.environ:
        value = os.environ[CONFIG_ENV].strip()
        return Path(value).expanduser() if value else None
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    path = Path(base) / "evident" / "models.yaml"
    return path if path.is_file() else None


def load_config() -> ModelsConfig:
    """Read and validate the configuration file (an empty config when there is none).

    Raises:
        ConfigError: The file is missing (when named by the variable), too large,
            unparseable or invalid; the message names the file and the first problem.
    """
    path = config_path()
    if path is None:
        return ModelsConfig()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"models config {path}: cannot read ({exc.strerror})") from None
    if len(data) > _MAX_BYTES:
        raise ConfigError(f"models config {path}: larger than {_MAX_BYTES} bytes")
    try:
        raw = _parse(path, data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        raise ConfigError(
            f"models config {path}: not valid {_kind(path)} ({type(exc).__name__})"
        ) from None
    try:
        return ModelsConfig.model_validate(raw or {})
    except ValidationError as exc:
        first = exc.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise ConfigError(f"models config {path}: {where}: {first['msg']}") from None


def _kind(path: Path) -> str:
    return {".toml": "TOML", ".json": "JSON"}.get(path.suffix.lower(), "YAML")


def _parse(path: Path, text: str) -> Any:
    kind = _kind(path)
    if kind == "TOML":
        return tomllib.loads(text)
    if kind == "JSON":
        return json.loads(text)
    return yaml.safe_load(text)
