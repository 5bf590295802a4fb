"""Bad values are 4xx problems that name the field and never echo the value."""

from __future__ import annotations

import json

import pytest

from evident.server.inputs import check_options
from tests.server.conftest import TRANSCRIPT

MARK = "Jonathan Marrowby MRN 88442211"


def _post_raw(live, path: str, raw: str):
    headers = {**live.auth("alice"), "Content-Type": "application/json"}
    return live.client.post(live.url + path, content=raw.encode(), headers=headers)


def _fields(r) -> list[str]:
    return [e["field"] for e in r.json().get("errors", [])]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"task": MARK, "transcript": TRANSCRIPT}, "task"),
        ({"task": "echo", "transcript": TRANSCRIPT, "model": MARK}, "model"),
        ({"task": "scribe", "demo": MARK}, "demo"),
        ({"task": "echo", "transcript": TRANSCRIPT, "sections": "../../etc/passwd"}, "sections"),
        ({"task": "echo", "transcript": TRANSCRIPT, "sections": MARK + "/x"}, "sections"),
        ({"task": "echo", "transcript": TRANSCRIPT, "options": {"temperature": MARK}}, "options"),
        ({"task": "echo", "transcript": TRANSCRIPT, "options": {"temperature": 7}}, "options"),
        ({"task": "echo", "transcript": TRANSCRIPT, "options": {"max_tokens": 0.5}}, "options"),
        ({"task": "echo", "transcript": TRANSCRIPT, "options": {MARK: 1}}, "options"),
        ({"task": "echo", "transcript": TRANSCRIPT, "options": {"sections": "../x"}}, "options"),
        ({"task": "echo", "transcript": TRANSCRIPT, "options": {"note": "a" * 501}}, "options"),
        ({"task": "echo", "transcript": TRANSCRIPT, "patient": {"age": 10**30}}, "patient.age"),
    ],
)
def test_run_request_fields(live, body, field):
    r = live.req("POST", "/api/runs", "alice", json=body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert MARK not in r.text and "etc/passwd" not in r.text
    assert field in _fields(r) or r.json()["detail"].startswith(f"unknown {field}"), r.text


@pytest.mark.parametrize(
    "raw",
    [
        # JSON escapes Python reads as a lone surrogate
        '{"task": "echo", "transcript": "Patient: my knee \\ud800 hurts"}',
        '{"task": "echo", "transcript": "x", "options": {"note": "\\udfff"}}',
        # JSON numbers Python's json module reads as NaN and infinity
        '{"task": "echo", "transcript": "Patient: ok", "options": {"temperature": NaN}}',
        '{"task": "echo", "transcript": "Patient: ok", "options": {"temperature": Infinity}}',
        '{"task": "echo", "transcript": "Patient: ok", "options": {"other": -Infinity}}',
        '{"task": "echo", "transcript": "Patient: ok", "options": {"other": 1e400}}',
        '{"task": "echo", "transcript": "Patient: ok", "options": {"seed": 1e20}}',
    ],
)
def test_unencodable_and_non_finite_values_are_422(live, raw):
    r = _post_raw(live, "/api/runs", raw)
    assert r.status_code == 422, r.text
    assert _fields(r)


@pytest.mark.parametrize(
    "query",
    ["offset=9223372036854775808", "offset=-1", "limit=0", "limit=99999999999999999999"],
)
def test_list_bounds(live, query):
    r = live.req("GET", f"/api/runs?{query}", "alice")
    assert r.status_code == 422 and _fields(r) in (["query.offset"], ["query.limit"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "edit", "statement_id": "st1", "text": "Dry\x00cough."}, "text"),
        ({"action": "edit", "statement_id": "st1", "text": "Dry \ud800 cough."}, "text"),
        ({"action": "sign", "reason": "ok\x00"}, "reason"),
        ({"action": "accept", "statement_id": "../st1"}, "statement_id"),
    ],
)
def test_action_fields(live, body, field):
    run = live.run()
    raw = json.dumps(body)  # ensure_ascii: a lone surrogate travels as an escape
    r = _post_raw(live, f"/api/runs/{run['id']}/actions", raw)
    assert r.status_code == 422 and _fields(r) == [field], r.text
    assert "Dry" not in r.text


def test_user_names_in_paths_and_bodies(live):
    assert live.req("DELETE", "/api/users/..%2Fadmin", "ada").status_code in (404, 422)
    r = live.req("POST", "/api/users", "ada", json={"name": MARK, "role": "auditor"})
    assert r.status_code == 422 and _fields(r) == ["name"] and MARK not in r.text


@pytest.mark.parametrize(
    ("options", "ok"),
    [
        ({"temperature": 0.2, "max_tokens": 512, "seed": 7}, True),
        ({"temperature": True}, False),
        ({"sections": "soap"}, True),
        ({"sections": "Subjective, Plan"}, True),
        ({f"o{i}": 1 for i in range(21)}, False),
        ({"flag": True, "name": "x"}, True),
        # "$" matched before a final newline: these passed the name and section rules
        ({"flag\n": True}, False),
        ({"sections": "soap\n"}, False),
    ],
)
def test_check_options_table(options, ok):
    if ok:
        assert check_options(options) == options
    else:
        with pytest.raises(ValueError):
            check_options(options)


@pytest.mark.parametrize(
    ("loc", "shown"),
    [
        (("body", "options", "seed"), "options.*"),
        (("body", "task"), "task"),
        (("body", "task\n"), "*"),  # a client's key ending in a newline is its own text
    ],
)
def test_problem_locations_show_no_client_text(loc, shown):
    from evident.server.problems import _location

    assert _location({"loc": loc, "type": "string_type"}) == shown
