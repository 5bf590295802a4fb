"""Telemetry: GenAI semantic-convention spans, content only on request, off by default."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from evident import telemetry
from evident.models.base import Message
from evident.types import Usage


@pytest.fixture
def exporter(monkeypatch):
    monkeypatch.delenv("EVIDENT_OTEL_CAPTURE_CONTENT", raising=False)
    memory = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    telemetry.configure(enabled=True, tracer_provider=provider)
    yield memory
    telemetry.configure(enabled=None, tracer_provider=None)
    provider.shutdown()


SECRET = "Patient Jane Roe reports chest pain"


@pytest.mark.parametrize(
    ("spec", "model", "provider", "request_model", "host"),
    [
        ("openai:gpt-4o", "gpt-4o-2024-08-06", "openai", "gpt-4o", None),
        ("ollama:llama3.1", "llama3.1:8b", "ollama", "llama3.1", None),
        ("azure:my-deploy", "gpt-4o", "azure.ai.openai", "my-deploy", None),
        (
            "openai-compatible:http://gpu-box:8000/v1#qwen2.5",
            "qwen2.5",
            "openai-compatible",
            "qwen2.5",
            "gpu-box",
        ),
        ("offline", "offline", "offline", "offline", None),
    ],
)
def test_generation_span_follows_genai_conventions(
    exporter, spec, model, provider, request_model, host
):
    usage = Usage(input_tokens=321, output_tokens=54, latency_ms=250.0, calls=1)
    telemetry.record_generation(
        spec,
        model,
        usage,
        temperature=0.0,
        max_tokens=512,
        messages=[Message(role="user", content=SECRET)],
        output=SECRET,
    )
    (span,) = exporter.get_finished_spans()
    attrs = dict(span.attributes)
    assert span.name == f"chat {request_model}"
    assert span.kind is SpanKind.CLIENT
    assert attrs["gen_ai.operation.name"] == "chat"
    assert attrs["gen_ai.provider.name"] == provider == attrs["gen_ai.system"]
    assert attrs["gen_ai.request.model"] == request_model
    assert attrs["gen_ai.response.model"] == model
    assert (attrs["gen_ai.usage.input_tokens"], attrs["gen_ai.usage.output_tokens"]) == (321, 54)
    assert (attrs["gen_ai.request.temperature"], attrs["gen_ai.request.max_tokens"]) == (0.0, 512)
    assert attrs.get("server.address") == host
    assert span.end_time - span.start_time == 250_000_000  # back-dated by the latency
    assert SECRET not in json.dumps(attrs)  # content is off by default


def test_content_only_when_enabled(exporter, monkeypatch):
    monkeypatch.setenv("EVIDENT_OTEL_CAPTURE_CONTENT", "1")
    telemetry.record_generation(
        "openai:gpt-4o",
        "gpt-4o",
        None,
        messages=[{"role": "system", "content": "Be brief."}, Message("user", SECRET)],
        output="Summary.",
    )
    (span,) = exporter.get_finished_spans()
    sent = json.loads(span.attributes["gen_ai.input.messages"])
    assert sent[1] == {"role": "user", "parts": [{"type": "text", "content": SECRET}]}
    got = json.loads(span.attributes["gen_ai.output.messages"])
    assert got[0]["parts"][0]["content"] == "Summary."
    assert "gen_ai.usage.input_tokens" not in span.attributes


def test_failed_generation_marks_error(exporter):
    telemetry.record_generation("openai:gpt-4o", None, None, error=TimeoutError("slow"))
    (span,) = exporter.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["error.type"] == "TimeoutError"
    assert "gen_ai.response.model" not in span.attributes


def test_stage_spans_nest_and_record_errors(exporter):
    with telemetry.stage_span("pipeline", {"evident.task": "scribe", "skip": None}):
        with telemetry.stage_span("verify", {"evident.statements": 3, "ids": ("a", "b")}) as span:
            span.set_attribute("evident.verdicts.supported", 2)
        with pytest.raises(ValueError), telemetry.stage_span("audit"):
            raise ValueError("boom")
    spans = {s.name: s for s in exporter.get_finished_spans()}
    assert set(spans) == {"evident.pipeline", "evident.verify", "evident.audit"}
    verify = spans["evident.verify"]
    assert verify.parent.span_id == spans["evident.pipeline"].context.span_id
    assert dict(verify.attributes) == {
        "evident.stage": "verify",
        "evident.statements": 3,
        "ids": ("a", "b"),
        "evident.verdicts.supported": 2,
    }
    assert "skip" not in spans["evident.pipeline"].attributes
    assert spans["evident.audit"].status.status_code is StatusCode.ERROR


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, False),
        ({"EVIDENT_OTEL": "1"}, True),
        ({"EVIDENT_OTEL": "0", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, True),
        ({"OTEL_TRACES_EXPORTER": "console"}, True),
        ({"OTEL_TRACES_EXPORTER": "none"}, False),
    ],
)
def test_enabled_switches(monkeypatch, env, expected):
    for var in (
        "EVIDENT_OTEL",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_TRACES_EXPORTER",
    ):
        monkeypatch.delenv(var, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert telemetry.enabled() is expected


def test_off_imports_no_opentelemetry():
    code = (
        "import sys\n"
        "from evident import telemetry\n"
        "from evident.types import Usage\n"
        "with telemetry.stage_span('verify', {'n': 1}) as s:\n"
        "    s.set_attribute('x', 1)\n"
        "telemetry.record_generation('openai:gpt-4o', 'gpt-4o', Usage())\n"
        "print(any(m.startswith('opentelemetry') for m in sys.modules))\n"
    )
    env = {"PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "False"


def test_console_exporter_writes_spans_to_stderr_only():
    code = (
        "from evident import telemetry\nwith telemetry.stage_span('verify'):\n    print('result')\n"
    )
    env = {"PATH": "/usr/bin:/bin", "EVIDENT_OTEL": "1", "OTEL_TRACES_EXPORTER": "console"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout == "result\n"
    assert '"name": "evident.verify"' in out.stderr
