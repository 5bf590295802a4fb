"""Optional OpenTelemetry spans: one per pipeline stage, one per model call (GenAI semconv).

Off unless ``EVIDENT_OTEL=1``, an OTLP endpoint or ``OTEL_TRACES_EXPORTER`` is set, or
:func:`configure` turns it on. When off, nothing imports ``opentelemetry`` and every call
here is a no-op. Message content is never recorded unless
``EVIDENT_OTEL_CAPTURE_CONTENT=1``.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from evident.types import Usage

__all__ = [
    "capture_content",
    "configure",
    "enabled",
    "record_generation",
    "stage_span",
]

logger = logging.getLogger(__name__)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_ENDPOINT_VARS = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
# Spec prefixes whose provider has a well-known GenAI semconv name.
_PROVIDERS = {"openai": "openai", "azure": "azure.ai.openai", "ollama": "ollama"}

_state: dict[str, Any] = {"enabled": None, "provider": None, "warned": False}


class _NoSpan:
    """Stands in for a span when telemetry is off."""

    def set_attribute(self, key: str, value: Any) -> None:
        return None

    def set_attributes(self, attributes: Mapping[str, Any]) -> None:
        return None

    def is_recording(self) -> bool:
        return False


def configure(*, enabled: bool | None = True, tracer_provider: Any | None = None) -> None:
    """Turn telemetry on or off from code, overriding the environment.

    Args:
        enabled: True or False to force; None to go back to the environment.
        tracer_provider: A TracerProvider to use instead of the global one (tests pass
            an SDK provider with an in-memory exporter).
    """
    _state["enabled"] = enabled
    _state["provider"] = tracer_provider


def enabled() -> bool:
    """True when spans are recorded (see the module docstring for the switches)."""
    if _state["enabled"] is not None:
        return bool(_state["enabled"])
    flag = os.environ.get("EVIDENT_OTEL", "").strip().lower()
    if flag in _FALSE:
        return False
    if flag in _TRUE:
        return True
    exporter = os.environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter and exporter != "none":
        return True
    return any(os.environ.get(var) for var in _ENDPOINT_VARS)


def capture_content() -> bool:
    """True only when ``EVIDENT_OTEL_CAPTURE_CONTENT=1``: messages may then hold PHI."""
    return os.environ.get("EVIDENT_OTEL_CAPTURE_CONTENT", "").strip().lower() in _TRUE


def _tracer() -> Any | None:
    if not enabled():
        return None
    try:
        from opentelemetry import trace
    except ImportError:
        if not _state["warned"]:
            _state["warned"] = True
            logger.warning(
                "telemetry is on but opentelemetry is missing: pip install 'evident[telemetry]'"
            )
        return None
    from evident import __version__

    provider = _state["provider"]
    if provider is None:
        provider = trace.get_tracer_provider()
        if isinstance(provider, trace.ProxyTracerProvider):
            provider = _default_provider() or provider
    return provider.get_tracer("evident", __version__)


def _default_provider() -> Any | None:
    """An SDK provider exporting as ``OTEL_TRACES_EXPORTER`` says (console or otlp)."""
    try:
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
    except ImportError:
        return None
    kind = os.environ.get("OTEL_TRACES_EXPORTER", "").strip().lower() or (
        "otlp" if any(os.environ.get(v) for v in _ENDPOINT_VARS) else "console"
    )
    exporter: Any
    if kind == "otlp":
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        except ImportError:
            logger.warning("OTLP export needs: pip install opentelemetry-exporter-otlp-proto-http")
            return None
        exporter = OTLPSpanExporter()
    else:
        exporter = ConsoleSpanExporter(out=sys.stderr)  # never mix spans into stdout output
    provider = TracerProvider()
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return trace.get_tracer_provider()


def _clean(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Keep values OpenTelemetry accepts; None is dropped, other objects become strings."""
    out: dict[str, Any] = {}
    for key, value in attributes.items():
        if value is None:
            continue
        if isinstance(value, str | bool | int | float):
            out[key] = value
        elif isinstance(value, Sequence) and all(isinstance(v, str | int | float) for v in value):
            out[key] = list(value)
        else:
            out[key] = str(value)
    return out


@contextmanager
def stage_span(stage: str, attributes: Mapping[str, Any] | None = None) -> Iterator[Any]:
    """Open a span ``evident.<stage>`` around a pipeline stage.

    Args:
        stage: Stage name (``parse``, ``privacy``, ``generate``, ``verify``, ``audit``).
        attributes: Extra attributes (counts, task name); never patient text.

    Yields:
        The span (or a no-op stand-in when telemetry is off); exceptions are recorded on
        it and re-raised.
    """
    tracer = _tracer()
    if tracer is None:
        yield _NoSpan()
        return
    attrs = _clean({"evident.stage": stage, **(attributes or {})})
    with tracer.start_as_current_span(f"evident.{stage}", attributes=attrs) as span:
        yield span


def _split_spec(spec: str) -> tuple[str, str, str | None]:
    """``(provider, request model, server host)`` from a model spec string."""
    prefix, _, rest = spec.partition(":")
    host = None
    model = rest or prefix
    if "#" in rest:  # openai-compatible:http://host:8000/v1#model
        url, _, model = rest.rpartition("#")
        host = urlsplit(url).hostname
    return _PROVIDERS.get(prefix, prefix), model, host


def _messages_json(messages: Sequence[Any]) -> str:
    items = []
    for msg in messages:
        role = msg.get("role") if isinstance(msg, Mapping) else getattr(msg, "role", "user")
        text = msg.get("content") if isinstance(msg, Mapping) else getattr(msg, "content", msg)
        items.append({"role": role, "parts": [{"type": "text", "content": str(text)}]})
    return json.dumps(items, ensure_ascii=False)


def record_generation(
    spec: str,
    model: str | None = None,
    usage: Usage | None = None,
    *,
    operation: str = "chat",
    temperature: float | None = None,
    max_tokens: int | None = None,
    messages: Sequence[Any] | None = None,
    output: str | None = None,
    error: BaseException | str | None = None,
) -> None:
    """Record one finished model call as a GenAI client span (a no-op when off).

    Call it right after the call returns; the span's start is back-dated by
    ``usage.latency_ms``. One line in a backend::

        record_generation(self.spec, generation.model, generation.usage)

    Args:
        spec: The model spec string (``openai:gpt-4o``, ``ollama:llama3.1``, ...).
        model: The model that answered (``gen_ai.response.model``).
        usage: Tokens and latency of the call.
        operation: ``gen_ai.operation.name`` (``chat`` by default).
        temperature: Requested temperature.
        max_tokens: Requested token limit.
        messages: The prompt messages (objects with ``role``/``content`` or dicts);
            recorded only when content capture is on.
        output: The model's raw answer; recorded only when content capture is on.
        error: The exception (or its class name) when the call failed.
    """
    tracer = _tracer()
    if tracer is None:
        return
    from opentelemetry.trace import SpanKind, Status, StatusCode

    provider, request_model, host = _split_spec(spec)
    attrs: dict[str, Any] = {
        "gen_ai.operation.name": operation,
        "gen_ai.provider.name": provider,
        "gen_ai.system": provider,
        "gen_ai.request.model": request_model,
        "gen_ai.response.model": model,
        "gen_ai.request.temperature": temperature,
        "gen_ai.request.max_tokens": max_tokens,
        "server.address": host,
    }
    if usage is not None:
        attrs["gen_ai.usage.input_tokens"] = usage.input_tokens
        attrs["gen_ai.usage.output_tokens"] = usage.output_tokens
    if capture_content():
        attrs["gen_ai.input.messages"] = _messages_json(messages) if messages else None
        attrs["gen_ai.output.messages"] = (
            _messages_json([{"role": "assistant", "content": output}]) if output else None
        )
    end = time.time_ns()
    start = end - int((usage.latency_ms if usage else 0.0) * 1_000_000)
    span = tracer.start_span(
        f"{operation} {request_model}",
        kind=SpanKind.CLIENT,
        attributes=_clean(attrs),
        start_time=start,
    )
    if error is not None:
        name = error if isinstance(error, str) else type(error).__name__
        span.set_attribute("error.type", name)
        span.set_status(Status(StatusCode.ERROR))
    span.end(end_time=end)
