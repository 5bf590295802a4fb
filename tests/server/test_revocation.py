"""Sessions end server-side: logout, token revocation, user disable; forged sessions fail."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.server.conftest import TRANSCRIPT


def _login(live, client: httpx.Client, token: str) -> str:
    page = client.get(live.url + "/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = client.post(live.url + "/login", data={"csrf": csrf, "token": token})
    assert r.status_code == 303, r.text
    home = client.get(live.url + "/")
    return re.search(r'name="csrf-token" content="([^"]+)"', home.text).group(1)


def _replay(live, cookie: str, csrf: str) -> tuple[int, int]:
    """GET /api/me and POST /api/runs with nothing but the old cookie."""
    with httpx.Client(timeout=30, cookies={"evident_session": cookie}) as client:
        me = client.get(live.url + "/api/me").status_code
        body = {"task": "echo", "transcript": TRANSCRIPT}
        run = client.post(
            live.url + "/api/runs", json=body, headers={"X-CSRF-Token": csrf}
        ).status_code
    return me, run


def _end_by_logout(live, client, csrf, name, token_id):
    r = client.post(live.url + "/logout", data={"csrf": csrf})
    assert r.status_code == 303


def _end_by_token_revocation(live, client, csrf, name, token_id):
    live.state.users.revoke_token(token_id)


def _end_by_disable(live, client, csrf, name, token_id):
    assert live.req("DELETE", f"/api/users/{name}", "ada").status_code == 200
    live.state.users.set_active(name, True)  # enabling again brings no session back


@pytest.mark.parametrize(
    "end", [_end_by_logout, _end_by_token_revocation, _end_by_disable], ids=lambda f: f.__name__
)
def test_a_replayed_cookie_stops_working(live, end):
    name = f"dr-{end.__name__[8:].replace('_', '-')}"
    token = live.req("POST", "/api/users", "ada", json={"name": name, "role": "clinician"})
    token = token.json()["token"]
    token_id = live.state.users.list_tokens(name)[0].id
    with httpx.Client(timeout=30) as client:
        csrf = _login(live, client, token)
        cookie = client.cookies["evident_session"]
        assert _replay(live, cookie, csrf) == (200, 202)
        end(live, client, csrf, name, token_id)
    assert _replay(live, cookie, csrf) == (401, 401)


def test_a_cookie_signed_with_the_key_is_no_session_without_the_server_row(live):
    """Someone who read the signing key still cannot mint a session."""
    cookie, session = live.state.signer.issue("ada", sid="made-up-session-id")
    assert _replay(live, cookie, session.csrf)[0] == 401
    legacy, session = live.state.signer.issue("ada")  # a cookie of the earlier format
    assert _replay(live, legacy, session.csrf)[0] == 401


@pytest.mark.parametrize(("lifetime_s", "alive"), [(-1.0, False), (3600.0, True)])
def test_session_lifetime_is_enforced_server_side(live, lifetime_s, alive):
    users = live.state.users
    sid = users.start_session("alice", None, lifetime_s)
    if alive:
        assert users.session_principal(sid, "alice", "c").user == "alice"
    else:
        with pytest.raises(Exception, match="not valid"):
            users.session_principal(sid, "alice", "c")
    with pytest.raises(Exception, match="not valid"):
        users.session_principal(sid, "bob", "c")  # bound to its user
