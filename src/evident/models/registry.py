"""Backend plugins and model spec strings.

A backend registers a factory under the entry-point group ``evident.backends``; the
built-in ones register the same way in Evident's own ``pyproject.toml``::

    [project.entry-points."evident.backends"]
    mybackend = "mypackage.module:create"

The factory is called as ``create(target, spec)`` where ``spec`` is the full spec string
and ``target`` the part after the first colon (``gpt-4o`` in ``openai:gpt-4o``).
A spec with commas (``openai:gpt-4o,ollama:llama3.1``) is a fallback chain.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from importlib.metadata import entry_points

from evident.errors import ConfigError
from evident.models.base import Backend

__all__ = ["DEFAULT_SPEC", "ENV_VAR", "available_backends", "load_backend", "resolve_spec"]

ENV_VAR = "EVIDENT_MODEL"
DEFAULT_SPEC = "offline"
GROUP = "evident.backends"

Factory = Callable[[str, str], Backend]


@cache
def _factories() -> dict[str, object]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def available_backends() -> list[str]:
    """Names of all registered backends, sorted."""
    return sorted(_factories())


def resolve_spec(spec: str | None) -> str:
    """The spec to use: the given one, else ``$EVIDENT_MODEL``, else the models config
    file's ``default`` (see :mod:`evident.models.config`), else ``offline``."""
    chosen = spec or os.environ.get(ENV_VAR) or None
    if chosen is None:
        from evident.models.config import load_config

        chosen = load_config().default or DEFAULT_SPEC
    chosen = chosen.strip()
    if not chosen:
        raise ConfigError("empty model spec")
    return chosen


def _expand_aliases(parts: list[str]) -> list[str]:
    """Replace names defined as aliases in the models config file by their specs."""
    if all(":" in p or p in _factories() for p in parts):
        return parts  # the common case: no alias, no config file read
    from evident.models.config import load_config

    aliases = load_config().aliases
    out: list[str] = []
    for part in parts:
        expanded = aliases.get(part, part) if ":" not in part else part
        out.extend(p.strip() for p in expanded.split(",") if p.strip())
    return out


def load_backend(spec: str | None = None) -> Backend:
    """Create the backend a spec string names.

    Args:
        spec: ``offline``, ``openai:gpt-4o``, ``ollama:llama3.1``,
            ``openai-compatible:http://127.0.0.1:8000/v1#my-model``, ``hf:/path``, or a
            comma-separated fallback chain of these, or an alias defined in the models
            config file. None reads ``$EVIDENT_MODEL``.

    Returns:
        The backend.

    Raises:
        ConfigError: The spec names no registered backend or is malformed.
    """
    spec = resolve_spec(spec)
    parts = _expand_aliases([p.strip() for p in spec.split(",") if p.strip()])
    if not parts:
        raise ConfigError(f"model spec '{spec}' names no backend")
    if len(parts) > 1:
        from evident.models.fallback import FallbackBackend

        return FallbackBackend(spec, [_load_one(p) for p in parts])
    return _load_one(parts[0])


def _load_one(spec: str) -> Backend:
    name, _, target = spec.partition(":")
    ep = _factories().get(name)
    if ep is None:
        known = ", ".join(available_backends()) or "none"
        raise ConfigError(f"unknown model backend '{name}' in spec '{spec}' (known: {known})")
    factory: Factory = ep.load()  # type: ignore[attr-defined]
    backend = factory(target, spec)
    if not isinstance(backend, Backend):
        raise ConfigError(f"backend plugin '{name}' did not return a Backend")
    return backend
