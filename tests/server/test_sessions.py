"""Signed session cookies: forged, malformed, expired and demo cookies are refused."""

from __future__ import annotations

import base64
import json

import pytest

from evident.server.sessions import SessionSigner

KEY = b"k" * 32


def _payload(cookie: str) -> dict:
    part = cookie.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _forge(cookie: str, **changes) -> str:
    data = {**_payload(cookie), **changes}
    body = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{body}.{cookie.split('.')[1]}"


def test_round_trip():
    signer = SessionSigner(KEY, 60)
    cookie, session = signer.issue("dr.a")
    assert signer.verify(cookie) == session and len(session.csrf) >= 24


@pytest.mark.parametrize(
    "mangle",
    [
        lambda c: "",
        lambda c: "no-dot-at-all",
        lambda c: c + "x",
        lambda c: c.split(".")[0] + ".",
        lambda c: "." + c.split(".")[1],
        lambda c: _forge(c, u="admin"),
        lambda c: _forge(c, e=9e12),
        lambda c: "!!!." + c.split(".")[1],
        lambda c: c + "." + "a" * 2000,
    ],
    ids=[
        "empty",
        "no-dot",
        "sig-changed",
        "no-sig",
        "no-payload",
        "user-changed",
        "expiry-changed",
        "garbage-payload",
        "oversized",
    ],
)
def test_tampered_cookies_are_refused(mangle):
    signer = SessionSigner(KEY, 60)
    cookie, _ = signer.issue("dr.a")
    assert signer.verify(mangle(cookie)) is None


def test_other_key_expired_and_demo_cookies_are_refused():
    cookie, _ = SessionSigner(b"x" * 32, 60).issue("dr.a")
    assert SessionSigner(KEY, 60).verify(cookie) is None
    old, _ = SessionSigner(KEY, -1).issue("dr.a")
    assert SessionSigner(KEY, 60).verify(old) is None
    demo, _ = SessionSigner(KEY, 60).issue("demo-clinician", demo=True)
    assert SessionSigner(KEY, 60).verify(demo) is None
    assert SessionSigner(KEY, 60).verify(demo, demo_mode=True).user == "demo-clinician"
