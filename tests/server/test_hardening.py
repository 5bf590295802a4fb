"""Findings of the HTTP security audit: each case failed before its fix."""

from __future__ import annotations

import logging
import time

import pytest

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
