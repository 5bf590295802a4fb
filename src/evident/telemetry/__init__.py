"""Optional OpenTelemetry tracing of pipeline stages and model calls (GenAI conventions).

Usage::

    from evident.telemetry import record_generation, stage_span

    with stage_span("verify", {"evident.task": "scribe"}):
        report = verify(draft, sources)
    record_generation(backend.spec, generation.model, generation.usage)

Off unless ``EVIDENT_OTEL=1`` (or an OTLP exporter is configured); never records message
content unless ``EVIDENT_OTEL_CAPTURE_CONTENT=1``. Needs ``pip install 'evident[telemetry]'``.
"""

from evident.telemetry.spans import (
    capture_content,
    configure,
    enabled,
    record_generation,
    stage_span,
)

__all__ = ["capture_content", "configure", "enabled", "record_generation", "stage_span"]
