"""API fuzz: requests generated from the OpenAPI schema never get a 5xx or an echo.

Every operation of ``/openapi.json`` gets requests whose path and query parameters and
JSON bodies are drawn from its schema (valid values, out-of-range numbers, NaN and
infinities, text with lone surrogates, NUL and a marker, unknown keys). Problem bodies
must not contain the marker. Bounded (derandomized, a few dozen examples per
operation) so it runs in well under a minute.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MARK = "Zq9Marker"
EXAMPLES = 15

_text = st.one_of(
    st.text(max_size=20).map(lambda s: MARK + s),
    st.sampled_from([MARK + "\ud800", MARK + "\x00x", MARK + "../../etc/passwd", ""]),
    st.text(max_size=12),
)
_number = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
)
_scalar = st.one_of(_text, _number, st.booleans(), st.none())


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        return dict(spec["components"]["schemas"][name])
    return schema


def _from_schema(schema: dict[str, Any], spec: dict[str, Any], depth: int = 0) -> Any:
    """A strategy for values of a JSON schema, mostly valid, often not."""
    schema = _resolve(schema, spec)
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        return st.one_of(*[_from_schema(o, spec, depth) for o in options])
    if "enum" in schema:
        return st.one_of(st.sampled_from(schema["enum"]), _text)
    if "const" in schema:
        return st.one_of(st.just(schema["const"]), _text)
    kind = schema.get("type")
    if kind == "string":
        return st.one_of(_text, st.sampled_from(["scribe", "echo", "soap", "st1", "offline"]))
    if kind == "integer":
        low, high = schema.get("minimum", -10), schema.get("maximum", 10**6)
        return st.one_of(st.integers(min_value=low, max_value=high), _number, _text)
    if kind == "number":
        return st.one_of(_number, _text)
    if kind == "boolean":
        return st.one_of(st.booleans(), _scalar)
    if kind == "array" and depth < 3:
        return st.lists(_from_schema(schema.get("items", {}), spec, depth + 1), max_size=3)
    if kind == "object" and depth < 3:
        props = schema.get("properties", {})
        fixed = {k: _from_schema(v, spec, depth + 1) for k, v in props.items()}
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            values = _from_schema(extra, spec, depth + 1)
            return st.dictionaries(
                st.one_of(_text, st.sampled_from(["temperature", "seed"])), values, max_size=3
            )
        return st.fixed_dictionaries({}, optional={**fixed, MARK: _scalar})
    return _scalar


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    ops = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if path.startswith("/api/") and method in ("get", "post", "delete"):
                ops.append((method.upper(), path, op))
    return ops


def _request(op: dict[str, Any], spec: dict[str, Any], run_id: str) -> Any:
    params = op.get("parameters", [])
    path_params = {
        p["name"]: st.one_of(st.just(run_id), st.just("alice"), _text)
        for p in params
        if p["in"] == "path"
    }
    query = {
        p["name"]: _from_schema(p.get("schema", {}), spec) for p in params if p["in"] == "query"
    }
    body_schema = (
        op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    )
    body = _from_schema(body_schema, spec) if body_schema else st.none()
    return st.tuples(
        st.fixed_dictionaries(path_params),
        st.fixed_dictionaries({}, optional=query),
        body,
    )


def _path(template: str, values: dict[str, str]) -> str:
    from urllib.parse import quote

    for name, value in values.items():
        safe = value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        template = template.replace("{" + name + "}", quote(safe, safe=""))
    return template


def _query(values: dict[str, Any]) -> dict[str, str]:
    out = {}
    for k, v in values.items():
        text = json.dumps(v) if not isinstance(v, str) else v
        out[k] = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return out


@pytest.fixture(scope="module")
def fuzz_target(live):
    spec = live.req("GET", "/openapi.json").json()
    run_id = live.run()["id"]
    return spec, run_id


def _checker(live, method: str, template: str, strategy: Any, seen: dict[str, set[int]]) -> Any:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def check(drawn: tuple[dict[str, str], dict[str, Any], Any]) -> None:
        path_values, query, body = drawn
        if isinstance(body, dict) and method == "POST" and template == "/api/runs":
            body = {**body, "wait": False}  # keep the queue short
        raw = json.dumps(body, allow_nan=True) if body is not None else None
        user = "alice" if template.startswith("/api/runs") else "ada"
        headers = {**live.auth(user), "Content-Type": "application/json"}
        r = live.client.request(
            method,
            live.url + _path(template, path_values),
            params=_query(query),
            content=raw.encode() if raw is not None else None,
            headers=headers,
        )
        seen.setdefault(f"{method} {template}", set()).add(r.status_code)
        assert r.status_code < 500, (method, template, r.text[:300])
        if r.headers.get("content-type") == "application/problem+json":
            assert MARK not in r.text, (method, template, r.text[:300])

    return check


def test_every_operation_answers_without_5xx_or_echo(live, fuzz_target):
    spec, run_id = fuzz_target
    ops = _operations(spec)
    assert len(ops) >= 12
    seen: dict[str, set[int]] = {}
    for method, template, op in ops:
        _checker(live, method, template, _request(op, spec, run_id), seen)()
    assert set(seen) == {f"{m} {t}" for m, t, _ in ops}
    assert any(c < 300 for codes in seen.values() for c in codes)  # not only refusals
