"""Where an OpenAI-compatible backend connects: spec targets and environment variables.

=====================  ==============================================================
Spec                   Endpoint
=====================  ==============================================================
``openai-compatible:`` ``URL#model`` (``URL`` without a path gets ``/v1``; without
                       ``#model`` the server's first model is used); ``#model`` or
                       ``model`` alone take the URL from ``$EVIDENT_OPENAI_BASE_URL``.
                       Key: ``$EVIDENT_API_KEY`` (never ``$OPENAI_API_KEY``, so an
                       OpenAI key is not sent to another server), else ``EMPTY``.
``openai:MODEL``       ``$OPENAI_BASE_URL`` or ``https://api.openai.com/v1``; key
                       ``$EVIDENT_API_KEY`` or ``$OPENAI_API_KEY`` (required).
``ollama:MODEL``       ``$OLLAMA_HOST`` (``host``, ``host:port`` or a URL; default
                       ``127.0.0.1:11434``) + ``/v1``.
``azure:DEPLOYMENT``   ``$AZURE_OPENAI_ENDPOINT`` (required), key
                       ``$AZURE_OPENAI_API_KEY`` or ``$EVIDENT_API_KEY`` (required),
                       ``$OPENAI_API_VERSION`` (default ``2024-10-21``).
=====================  ==============================================================
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from evident.errors import ConfigError

__all__ = [
    "AZURE_API_VERSION",
    "Endpoint",
    "azure_endpoint",
    "is_loopback",
    "ollama_endpoint",
    "openai_compatible_endpoint",
    "openai_endpoint",
]

AZURE_API_VERSION = "2024-10-21"
OPENAI_URL = "https://api.openai.com/v1"
OLLAMA_DEFAULT = "127.0.0.1:11434"
_MODEL_NAME = re.compile(r"^[^\s,#]+$")


@dataclass(frozen=True)
class Endpoint:
    """An OpenAI-compatible endpoint.

    Attributes:
        name: The registered backend name the spec used.
        base_url: API base URL (for Azure: the resource endpoint).
        model: Model or deployment name; empty means "ask the server".
        api_key: The key sent (not shown in repr).
        local: Overrides the loopback test of the host when not None.
        azure_api_version: Set for Azure OpenAI.
    """

    name: str
    base_url: str
    model: str
    api_key: str = field(default="EMPTY", repr=False)
    local: bool | None = None
    azure_api_version: str | None = None

    @property
    def host(self) -> str:
        """``host[:port]`` of the endpoint, without credentials (safe for messages)."""
        parts = urlsplit(self.base_url)
        return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)

    def client(self, timeout: float) -> Any:
        """An ``openai`` SDK client with its own retries off (the backend retries)."""
        import openai

        if self.azure_api_version is not None:
            return openai.AzureOpenAI(
                azure_endpoint=self.base_url,
                api_key=self.api_key,
                api_version=self.azure_api_version,
                timeout=timeout,
                max_retries=0,
            )
        return openai.OpenAI(
            base_url=self.base_url, api_key=self.api_key, timeout=timeout, max_retries=0
        )


def is_loopback(url: str) -> bool:
    """True when the URL's host is this machine (``localhost``, ``127.0.0.0/8``, ``::1``)."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _env(name: str) -> str:
    return os.environ.get(name, "").strip()


def _check_url(url: str, spec: str, *, add_v1: bool) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"model spec '{spec}': '{url}' is not an http(s) URL")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ConfigError(f"model spec '{spec}': bad port in '{url}'") from None
    url = url.rstrip("/")
    if add_v1 and parts.path in ("", "/"):
        url += "/v1"
    return url


def _check_model(model: str, spec: str, what: str = "model name") -> str:
    if not _MODEL_NAME.match(model):
        raise ConfigError(
            f"model spec '{spec}' needs a {what} after ':' (no spaces, commas or '#')"
        )
    return model


def openai_compatible_endpoint(target: str, spec: str) -> Endpoint:
    """Parse ``URL#model``, ``URL``, ``#model`` or ``model`` (see module docstring)."""
    url, has_hash, model = target.partition("#")
    url, model = url.strip(), model.strip()
    if not url.lower().startswith(("http://", "https://")):
        if has_hash and url:
            raise ConfigError(f"model spec '{spec}': '{url}' is not an http(s) URL")
        model = model or url
        url = _env("EVIDENT_OPENAI_BASE_URL")
        if not url:
            raise ConfigError(
                f"model spec '{spec}' needs a base URL: openai-compatible:http://HOST:PORT/v1#MODEL"
                " (or set EVIDENT_OPENAI_BASE_URL)"
            )
    if model:
        _check_model(model, spec)
    return Endpoint(
        name="openai-compatible",
        base_url=_check_url(url, spec, add_v1=True),
        model=model,
        api_key=_env("EVIDENT_API_KEY") or "EMPTY",
    )


def openai_endpoint(target: str, spec: str) -> Endpoint:
    """``openai:MODEL`` against api.openai.com (or ``$OPENAI_BASE_URL``)."""
    model = _check_model(target.strip(), spec)
    key = _env("EVIDENT_API_KEY") or _env("OPENAI_API_KEY")
    if not key:
        raise ConfigError(f"model spec '{spec}' needs an API key: set OPENAI_API_KEY")
    url = _check_url(_env("OPENAI_BASE_URL") or OPENAI_URL, spec, add_v1=False)
    return Endpoint(name="openai", base_url=url, model=model, api_key=key)


def ollama_endpoint(target: str, spec: str) -> Endpoint:
    """``ollama:MODEL`` against ``$OLLAMA_HOST`` (default 127.0.0.1:11434)."""
    model = _check_model(target.strip(), spec)
    host = _env("OLLAMA_HOST") or OLLAMA_DEFAULT
    if "://" not in host:
        host = f"http://{host}"
    parts = urlsplit(host)
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(f"model spec '{spec}': bad port in OLLAMA_HOST") from None
    netloc = parts.netloc
    if parts.hostname in ("0.0.0.0", "::"):  # a bind-all address: connect locally
        netloc = "127.0.0.1" + (f":{port}" if port else "")
    if parts.hostname and port is None and parts.scheme == "http":
        netloc += ":11434"
    base = _check_url(f"{parts.scheme}://{netloc}{parts.path.rstrip('/')}", spec, add_v1=False)
    if not base.endswith("/v1"):
        base += "/v1"
    return Endpoint(name="ollama", base_url=base, model=model, api_key="ollama")


def azure_endpoint(target: str, spec: str) -> Endpoint:
    """``azure:DEPLOYMENT`` from the ``AZURE_OPENAI_*`` variables."""
    deployment = _check_model(target.strip(), spec, "deployment name")
    url = _env("AZURE_OPENAI_ENDPOINT")
    if not url:
        raise ConfigError(f"model spec '{spec}' needs AZURE_OPENAI_ENDPOINT")
    key = _env("AZURE_OPENAI_API_KEY") or _env("EVIDENT_API_KEY")
    if not key:
        raise ConfigError(f"model spec '{spec}' needs an API key: set AZURE_OPENAI_API_KEY")
    return Endpoint(
        name="azure",
        base_url=_check_url(url, spec, add_v1=False),
        model=deployment,
        api_key=key,
        azure_api_version=_env("OPENAI_API_VERSION") or AZURE_API_VERSION,
    )
