"""Findings of the HTTP security audit: each case failed before its fix."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.server.conftest import Live, LiveServer

TRANSCRIPT_ST1 = "I have had a dry cough for two weeks."  # the echo task's st1
NAME = "JohnZyxwv"  # a fake patient name a client might put where an id belongs


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/api/runs/{NAME}"),
        ("GET", f"/api/runs/{NAME}/status"),
        ("GET", f"/api/runs/{NAME}/export"),
        ("POST", f"/api/runs/{NAME}/actions"),
        ("GET", f"/runs/{NAME}"),
        ("GET", f"/api/runs/{NAME * 8}"),  # too long for an id: 422
    ],
)
def test_access_log_never_names_a_client_chosen_id(live, caplog, method, path):
    body = {"action": "accept", "statement_id": "st1"} if method == "POST" else None
    with caplog.at_level(logging.INFO, logger="evident.server.access"):
        r = live.req(method, path, "alice", json=body)
        assert r.status_code in (303, 404, 422), r.text
        access = _access_lines(caplog)
    assert access and not any("Zyxwv" in line for line in access), access


def _access_lines(caplog, wait_s: float = 5.0) -> list[str]:
    """The access log's lines, once the server thread has written one (it logs after
    the response has gone out)."""
    deadline = time.monotonic() + wait_s
    while True:
        lines = [r.getMessage() for r in caplog.records if r.name == "evident.server.access"]
        if lines or time.monotonic() > deadline:
            return lines
        time.sleep(0.02)


class _Interleaved:
    """A store whose first run read is followed by another process's write: what two
    ``evident serve`` processes on one database see when they act on a run at once."""

    def __init__(self, store: Any, write: Callable[[], None]) -> None:
        self._store, self._write = store, write

    def get_run(self, run_id: str) -> Any:
        stored = self._store.get_run(run_id)
        write, self._write = self._write, None
        if write is not None:
            write()
        return stored

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


@pytest.fixture(scope="module")
def other(live) -> Iterator[Live]:
    """A second server process's app on the same database and users."""
    from evident.server import ServerSettings
    from evident.server.app import build_state, create_app

    state = build_state(ServerSettings(db_url=live.db_url, workers=1))
    with LiveServer(create_app(state.settings, state)) as server:
        handle = Live(url=server.url, tokens=live.tokens, state=state, db_url=live.db_url)
        try:
            yield handle
        finally:
            handle.client.close()


EDIT = {"action": "edit", "statement_id": "st1", "text": "Dry cough for two weeks."}
ACCEPT = {"action": "accept", "statement_id": "st1"}
SIGN = {"action": "sign", "attest": True, "clinician": "Dr A", "reason": "seen"}


@pytest.mark.parametrize(
    ("mine", "theirs", "kept_text", "signed"),
    [
        (ACCEPT, [EDIT], EDIT["text"], False),  # my accept was of the text before the edit
        ({**EDIT, "text": "Cough."}, [EDIT, ACCEPT], EDIT["text"], False),  # accepted edit
        (SIGN, [EDIT], EDIT["text"], False),  # I would sign a note without their edit
        (EDIT, [SIGN], TRANSCRIPT_ST1, True),  # signed under me: 409, not 500
    ],
)
def test_actions_from_two_processes_never_lose_one(live, other, mine, theirs, kept_text, signed):
    """My action was decided on a view that another process changed before it was
    recorded: it is refused with 409 and their change stands."""
    run_id = live.run()["id"]

    def their_actions() -> None:
        for body in theirs:
            r = live.req("POST", f"/api/runs/{run_id}/actions", "alice", json=body)
            assert r.status_code == 200, r.text

    other.state.store = _Interleaved(other.state.store, their_actions)
    try:
        r = other.req("POST", f"/api/runs/{run_id}/actions", "alice", json=mine)
    finally:
        other.state.store = other.state.store._store
    assert r.status_code == 409 and r.headers["content-type"] == "application/problem+json"
    view = live.req("GET", f"/api/runs/{run_id}", "alice").json()
    st1 = next(st for st in view["statements"] if st["id"] == "st1")
    assert st1["text"] == kept_text and (view["status"] == "signed") is signed
    assert [a["action"] for a in view["actions"]] == [b["action"] for b in theirs]


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("text/plain", 415),  # a cross-site form may send this without a preflight
        ("application/x-www-form-urlencoded", 415),
        ("multipart/form-data; boundary=x", 415),
        (None, 415),
        ("application/json", 202),
        ("Application/JSON; charset=utf-8", 202),
    ],
)
def test_api_bodies_must_be_json(live, content_type, status):
    body = json.dumps({"task": "echo", "transcript": TRANSCRIPT_ST1 + " " + NAME})
    headers = {**live.auth("alice"), **({"Content-Type": content_type} if content_type else {})}
    r = live.client.post(live.url + "/api/runs", content=body.encode(), headers=headers)
    assert r.status_code == status, r.text
    if status == 415:
        assert r.headers["content-type"] == "application/problem+json" and NAME not in r.text
