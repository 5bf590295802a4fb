"""Signed session cookies for the page, with a CSRF token bound to each session.

A session cookie is ``payload.signature``: the payload names the user, the expiry, the
session's CSRF token and its server-side session id; the signature is an HMAC-SHA256
with a server secret. The server also keeps each session in its database (only a digest
of the id), so logout, token revocation and user disable end a session at once. The page
reads the CSRF token from a ``<meta>`` tag and sends it as ``X-CSRF-Token`` with every
state-changing request; the cookie is HttpOnly and SameSite=Strict on top of that.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

__all__ = ["COOKIE_NAME", "CSRF_HEADER", "LOGIN_CSRF_COOKIE", "Session", "SessionSigner"]

COOKIE_NAME = "evident_session"
LOGIN_CSRF_COOKIE = "evident_login_csrf"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True)
class Session:
    """A verified session."""

    user: str
    expires: float
    csrf: str
    demo: bool = False
    sid: str = ""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    """Issues and verifies session cookies.

    Args:
        key: The signing secret (at least 32 bytes).
        lifetime_s: How long a session lasts.
    """

    def __init__(self, key: bytes, lifetime_s: float) -> None:
        self._key = key
        self._lifetime = lifetime_s

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode(), hashlib.sha256).digest())

    def issue(self, user: str, demo: bool = False, sid: str = "") -> tuple[str, Session]:
        """A new cookie value for the user, and the session it carries.

        Args:
            user: The user name.
            demo: A passwordless demo login; only a demo-mode server accepts it.
            sid: The server-side session id (see ``UserStore.start_session``).
        """
        session = Session(user, time.time() + self._lifetime, secrets.token_urlsafe(24), demo, sid)
        data = {
            "u": session.user,
            "e": session.expires,
            "c": session.csrf,
            "d": int(demo),
            "s": sid,
        }
        payload = _b64(json.dumps(data).encode())
        return f"{payload}.{self._sign(payload)}", session

    def verify(self, cookie: str, demo_mode: bool = False) -> Session | None:
        """The session of a cookie value, or None when forged, malformed or expired.

        Args:
            cookie: The cookie value.
            demo_mode: Whether this server runs in demo mode; demo sessions are refused
                otherwise (a demo login must not outlive the demo on a shared database).
        """
        payload, _, sig = cookie.partition(".")
        if not payload or not sig or len(cookie) > 1024:
            return None
        if not hmac.compare_digest(sig, self._sign(payload)):
            return None
        try:
            data = json.loads(_unb64(payload))
            session = Session(
                str(data["u"]),
                float(data["e"]),
                str(data["c"]),
                bool(data.get("d", 0)),
                str(data.get("s", "")),
            )
        except (ValueError, KeyError, TypeError):
            return None
        if session.demo and not demo_mode:
            return None
        return session if session.expires > time.time() else None

    @property
    def lifetime_s(self) -> float:
        """Session lifetime in seconds."""
        return self._lifetime
