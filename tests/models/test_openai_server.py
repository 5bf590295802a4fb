"""The scripted OpenAI-compatible server that the backend tests (and evals) talk to."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.openai_server import ScriptedServer, start_server


def chat(server: ScriptedServer, *texts: str, **extra: object) -> httpx.Response:
    messages = [{"role": "user", "content": t} for t in texts]
    body = {"model": "m", "messages": messages, **extra}
    return httpx.post(f"{server.base_url}/chat/completions", json=body, timeout=5)


def content(response: httpx.Response) -> str:
    return str(response.json()["choices"][0]["message"]["content"])


def test_replies_in_order_then_exhausted(server):
    server.set_script([{"content": "one"}, {"json": {"n": 2}}])
    assert content(chat(server, "a")) == "one"
    assert json.loads(content(chat(server, "b"))) == {"n": 2}
    exhausted = chat(server, "c")
    assert exhausted.status_code == 500
    assert "exhausted" in exhausted.json()["error"]["message"]
    assert [r["status"] for r in server.requests] == [200, 200, 500]


@pytest.mark.parametrize(
    ("rule", "messages", "expected"),
    [
        ({"match": "pain", "content": "A"}, ["chest pain"], "A"),
        ({"match": "^pain$", "content": "A"}, ["chest pain"], "fallback"),
        ({"match": "first", "content": "A"}, ["first", "second"], "fallback"),
        ({"match": "first", "on": "any", "content": "A"}, ["first", "second"], "A"),
    ],
)
def test_rules_match_the_last_user_message(server, rule, messages, expected):
    server.set_script({"rules": [rule], "default": {"content": "fallback"}})
    assert content(chat(server, *messages)) == expected


def test_rule_on_system_messages(server):
    server.set_script({"rules": [{"match": "judge", "on": "system", "content": "J"}]})
    body = {
        "model": "m",
        "messages": [
            {"role": "system", "content": "You are a judge"},
            {"role": "user", "content": "x"},
        ],
    }
    response = httpx.post(f"{server.base_url}/chat/completions", json=body, timeout=5)
    assert content(response) == "J"


def test_handler_runs_in_the_server_process(server):
    server.set_script(
        {"handler": "tests.models.scripted_handlers:count_words", "default": {"content": "d"}}
    )
    assert json.loads(content(chat(server, "three little words"))) == {"words": 3}
    assert content(chat(server, "pass")) == "d"


def test_unsupported_response_format_is_rejected_without_consuming(server):
    server.set_script(
        {"unsupported_response_formats": ["json_schema"], "replies": [{"content": "ok"}]}
    )
    rejected = chat(server, "x", response_format={"type": "json_schema", "json_schema": {}})
    assert rejected.status_code == 400
    assert "response_format" in rejected.json()["error"]["message"]
    assert content(chat(server, "x", response_format={"type": "json_object"})) == "ok"


def test_usage_model_echo_and_errors(server):
    server.set_script(
        [
            {"content": "two words"},
            {
                "content": "x",
                "usage": {"prompt_tokens": 40, "completion_tokens": 7},
                "model": "other",
            },
            {"echo": True},
            {"status": 429, "headers": {"Retry-After": "3"}, "error": "slow down"},
        ]
    )
    first = chat(server, "a b c").json()
    assert first["usage"] == {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}
    assert first["model"] == "m"
    second = chat(server, "a").json()
    assert (second["usage"]["total_tokens"], second["model"]) == (47, "other")
    assert content(chat(server, "repeat me")) == "repeat me"
    limited = chat(server, "a")
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "3"
    assert limited.json()["error"]["message"] == "slow down"


def test_drop_and_delay(server):
    server.set_script([{"drop": True}, {"delay": 1.0, "content": "late"}])
    with pytest.raises(httpx.HTTPError):
        chat(server, "a")
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            f"{server.base_url}/chat/completions",
            json={"model": "m", "messages": []},
            timeout=0.2,
        )


def test_models_stream_and_log(server):
    server.set_script({"models": ["alpha", "beta"], "replies": [{"content": "streamed"}]})
    listed = httpx.get(f"{server.base_url}/models", timeout=5).json()
    assert [m["id"] for m in listed["data"]] == ["alpha", "beta"]
    streamed = chat(server, "a", stream=True)
    assert streamed.headers["content-type"] == "text/event-stream"
    first = json.loads(streamed.text.split("\n\n")[0].removeprefix("data: "))
    assert first["choices"][0]["delta"]["content"] == "streamed"
    assert streamed.text.rstrip().endswith("data: [DONE]")
    assert [r["path"] for r in server.requests] == ["/v1/models", "/v1/chat/completions"]
    assert server.chat_requests[0]["stream"] is True
    server.reset()
    assert server.requests == []


@pytest.mark.parametrize("script", [42, {"replies": [], "bogus": 1}, "not json"])
def test_malformed_script_is_refused(script, tmp_path):
    if script == "not json":
        path = tmp_path / "bad.json"
        path.write_text("{nope", encoding="utf-8")
        with pytest.raises(RuntimeError, match="failed to start"), start_server(path):
            pass
    else:
        with pytest.raises(ValueError), start_server(script):
            pass


def test_command_line_prints_the_port(tmp_path):
    script = tmp_path / "script.json"
    script.write_text(json.dumps([{"content": "hi"}]), encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    cmd = [sys.executable, "-m", "tests.support.openai_server", "--script", str(script)]
    with subprocess.Popen(cmd, cwd=root, stdout=subprocess.PIPE, text=True) as proc:
        try:
            port = int(proc.stdout.readline())
            body = {"model": "m", "messages": [{"role": "user", "content": "x"}]}
            reply = httpx.post(f"http://127.0.0.1:{port}/v1/chat/completions", json=body, timeout=5)
            assert reply.json()["choices"][0]["message"]["content"] == "hi"
        finally:
            proc.terminate()
            proc.wait(timeout=5)


def test_json_object_with_schema_can_be_refused_alone(server):
    server.set_script(
        {
            "unsupported_response_formats": ["json_object+schema"],
            "response_format_reply": {"status": 500},
            "default": {"content": "ok"},
        }
    )
    with_schema = {"type": "json_object", "schema": {"type": "object"}}
    rejected = chat(server, "x", response_format=with_schema)
    assert rejected.status_code == 500
    assert "response_format type 'json_object'" in rejected.json()["error"]["message"]
    assert content(chat(server, "x", response_format={"type": "json_object"})) == "ok"


def test_refusing_json_object_refuses_it_with_a_schema_too(server):
    server.set_script(
        {"unsupported_response_formats": ["json_object"], "default": {"content": "ok"}}
    )
    with_schema = {"type": "json_object", "schema": {"type": "object"}}
    assert chat(server, "x", response_format=with_schema).status_code == 400
    assert content(chat(server, "x", response_format={"type": "text"})) == "ok"


def test_refusal_reply_can_carry_any_body(server):
    detail = [{"loc": ["body", "response_format", "type"], "msg": "Input should be 'text'"}]
    server.set_script(
        {
            "unsupported_response_formats": ["json_schema"],
            "response_format_reply": {"status": 422, "body": {"detail": detail}},
        }
    )
    rejected = chat(server, "x", response_format={"type": "json_schema", "json_schema": {}})
    assert (rejected.status_code, rejected.json()) == (422, {"detail": detail})
