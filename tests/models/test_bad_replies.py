"""Replies that are not JSON, not UTF-8 or not a chat completion are backend errors."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from evident.errors import BackendError
from evident.models.base import GenerationRequest, Message
from evident.models.fallback import FallbackBackend
from tests.models.conftest import Answer
from tests.models.test_fallback import GOOD, http_backend, second_server  # noqa: F401

REQUEST = GenerationRequest(messages=(Message("user", "Is it sunny?"),), output_type=Answer)
SECRET = "Quartzfeather"  # stands for patient text a broken proxy might echo

BAD = [
    ({"raw": f"<html>{SECRET} proxy error</html>"}, "not JSON"),
    ({"raw": f"<html>{SECRET}</html>", "content_type": "text/html"}, "not JSON"),
    ({"raw": '{"choices": [\u00ff\u00fe]}'}, "not UTF-8 text"),
    ({"raw": '{"id": "x", "choices": [{"message": '}, "not JSON"),
    ({"body": {"detail": SECRET}}, "not a chat completion"),
    ({"body": {"choices": SECRET}}, "not a chat completion"),
    ({"body": {"choices": [{"message": {"content": 5}}]}}, "not a chat completion"),
    ({"body": {"choices": [{"index": 0}]}}, "not a chat completion"),
    ({"body": {"choices": [], "usage": {"prompt_tokens": "many"}}}, "not a chat completion"),
]


@pytest.mark.parametrize(("reply", "what"), BAD)
def test_bad_reply_is_retried_then_a_backend_error(make_backend, server, reply, what):
    backend = make_backend({"default": reply}, retries=2)
    with pytest.raises(BackendError) as caught:
        backend.generate(REQUEST)
    message = str(caught.value)
    assert what in message and "(3 tries)" in message
    assert SECRET not in message
    assert len(server.chat_requests) == 3
    assert all(a["error"].startswith("bad reply") for a in caught.value.attempts)


@pytest.mark.parametrize(("reply", "what"), BAD[:3])
def test_a_good_reply_after_a_bad_one_is_used(make_backend, reply, what):
    backend = make_backend([reply, GOOD], retries=2)
    result = backend.generate(REQUEST)
    assert result.value.answer == "yes"
    assert [a["status"] for a in result.attempts] == [200, 200]
    assert result.attempts[0]["error"] == f"bad reply: {what}"


def test_the_fallback_chain_moves_on(server, second_server):  # noqa: F811
    server.set_script({"default": {"raw": "not json at all"}})
    second_server.set_script([GOOD])
    chain = FallbackBackend(
        "a,b",
        [http_backend(server.base_url, "broken"), http_backend(second_server.base_url, "ok")],
    )
    result = chain.generate(REQUEST)
    assert (result.value.answer, result.model) == ("yes", "ok")


def test_cli_prints_one_line_not_a_traceback(server, tmp_path):
    server.set_script({"default": {"raw": "<html>gateway</html>"}})
    transcript = tmp_path / "visit.txt"
    transcript.write_text("Doctor: Any pain?\nPatient: My left knee hurts.\n")
    env = {
        **os.environ,
        "EVIDENT_AUDIT": "off",
        "EVIDENT_MAX_RETRIES": "1",
        "EVIDENT_BACKOFF": "0",
        "EVIDENT_MODELS_FILE": "",
        "EVIDENT_PRIVACY": "never",
    }
    spec = f"openai-compatible:{server.base_url}#m"
    done = subprocess.run(
        [sys.executable, "-m", "evident", "scribe", str(transcript), "--model", spec],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("evident: error: ") and "the reply was not JSON" in lines[-1]
    assert all("bad reply: not JSON; retry" in line for line in lines[:-1]), done.stderr
