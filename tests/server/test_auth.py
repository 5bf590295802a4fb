"""Authentication and roles for every endpoint, sessions, CSRF, and PHI-free logs."""

from __future__ import annotations

import logging
import re

import pytest

from tests.server.conftest import TRANSCRIPT

# Every /api route: method, path, allowed roles, request body. The first test fails when a
# route is added without a row here, so no endpoint escapes the auth tests.
ROUTES = [
    ("GET", "/api/me", {"clinician", "auditor", "admin"}, None),
    ("GET", "/api/tasks", {"clinician", "auditor", "admin"}, None),
    (
        "POST",
        "/api/runs",
        {"clinician", "admin"},
        {"task": "echo", "transcript": TRANSCRIPT, "wait": True},
    ),
    ("GET", "/api/runs", {"clinician", "auditor", "admin"}, None),
    ("GET", "/api/runs/{run_id}/status", {"clinician", "auditor", "admin"}, None),
    ("GET", "/api/runs/{run_id}", {"clinician", "auditor", "admin"}, None),
    (
        "POST",
        "/api/runs/{run_id}/actions",
        {"clinician", "admin"},
        {"action": "accept", "statement_id": "st1"},
    ),
    ("GET", "/api/runs/{run_id}/export", {"clinician", "auditor", "admin"}, None),
    ("GET", "/api/metrics", {"auditor", "admin"}, None),
    ("GET", "/api/audit/verify", {"auditor", "admin"}, None),
    ("GET", "/api/users", {"admin"}, None),
    ("POST", "/api/users", {"admin"}, {"name": "newbie", "role": "auditor"}),
    ("DELETE", "/api/users/{name}", {"admin"}, None),
]
ROLE_USER = {"clinician": "alice", "auditor": "audrey", "admin": "ada"}
IDS = [f"{m} {p}" for m, p, _, _ in ROUTES]


def test_route_table_covers_every_api_route(live):
    spec = live.client.get(live.url + "/openapi.json").json()
    served = {
        (m.upper(), p, frozenset(op["x-roles"]))
        for p, ops in spec["paths"].items()
        for m, op in ops.items()
        if p.startswith("/api/")
    }
    table = {(m, p, frozenset(roles)) for m, p, roles, _ in ROUTES}
    assert served == table


@pytest.fixture(scope="module")
def alice_run(live) -> str:
    return str(live.run("alice")["id"])


def _fill(path: str, run_id: str, name: str = "nobody-here") -> str:
    return path.replace("{run_id}", run_id).replace("{name}", name)


@pytest.mark.parametrize(("method", "path", "roles", "body"), ROUTES, ids=IDS)
def test_no_token_is_401(live, alice_run, method, path, roles, body):
    r = live.req(method, _fill(path, alice_run), json=body)
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["www-authenticate"] == "Bearer"


BAD_HEADERS = ["Bearer evt_wrong", "Basic YWxpY2U6eA==", "Bearer", "Bearer notatoken"]


@pytest.mark.parametrize(("method", "path", "roles", "body"), ROUTES, ids=IDS)
def test_bad_token_is_401(live, alice_run, method, path, roles, body):
    for header in BAD_HEADERS:
        r = live.req(method, _fill(path, alice_run), json=body, headers={"Authorization": header})
        assert r.status_code == 401, header


@pytest.mark.parametrize(("method", "path", "roles", "body"), ROUTES, ids=IDS)
@pytest.mark.parametrize("role", ["clinician", "auditor", "admin"])
def test_roles(live, alice_run, method, path, roles, body, role):
    r = live.req(method, _fill(path, alice_run), ROLE_USER[role], json=body)
    if role in roles:
        assert r.status_code not in (401, 403), r.text
    else:
        assert r.status_code == 403
        assert r.json()["type"].endswith("/forbidden")


RUN_ROUTES = [row for row in ROUTES if "{run_id}" in row[1]]


@pytest.mark.parametrize(
    ("method", "path", "roles", "body"), RUN_ROUTES, ids=[f"{m} {p}" for m, p, _, _ in RUN_ROUTES]
)
def test_other_clinicians_run_is_404(live, alice_run, method, path, roles, body):
    r = live.req(method, _fill(path, alice_run), "bob", json=body)
    assert r.status_code == 404
    assert r.json()["type"].endswith("/run-not-found")


def test_revoked_token_and_disabled_user_stop_working(live):
    created = live.req("POST", "/api/users", "ada", json={"name": "carol", "role": "clinician"})
    assert created.status_code == 201
    token = created.json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert live.req("GET", "/api/me", headers=headers).json()["user"] == "carol"
    users = live.state.users
    assert all(token not in str(t) for t in users.list_tokens("carol"))
    assert live.req("DELETE", "/api/users/carol", "ada").status_code == 200
    assert live.req("GET", "/api/me", headers=headers).status_code == 401
    users.set_active("carol", True)
    assert live.req("GET", "/api/me", headers=headers).status_code == 200
    users.revoke_token(users.list_tokens("carol")[0].id)
    assert live.req("GET", "/api/me", headers=headers).status_code == 401


def _login(live, client, token: str) -> str:
    page = client.get(live.url + "/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = client.post(live.url + "/login", data={"csrf": csrf, "token": token})
    assert r.status_code == 303, r.text
    home = client.get(live.url + "/")
    return re.search(r'name="csrf-token" content="([^"]+)"', home.text).group(1)


def test_session_cookie_login_and_csrf(live, alice_run):
    import httpx

    with httpx.Client(timeout=30) as client:
        assert client.get(live.url + "/").status_code == 303  # redirect to login
        csrf = _login(live, client, live.tokens["alice"])
        cookie = next(c for c in client.cookies.jar if c.name == "evident_session")
        assert cookie.has_nonstandard_attr("HttpOnly")
        assert client.get(live.url + f"/api/runs/{alice_run}").status_code == 200
        body = {"action": "accept", "statement_id": "st1"}
        no_csrf = client.post(live.url + f"/api/runs/{alice_run}/actions", json=body)
        assert no_csrf.status_code == 403 and no_csrf.json()["type"].endswith("/csrf")
        wrong = client.post(
            live.url + f"/api/runs/{alice_run}/actions",
            json=body,
            headers={"X-CSRF-Token": "forged"},
        )
        assert wrong.status_code == 403
        ok = client.post(
            live.url + f"/api/runs/{alice_run}/actions", json=body, headers={"X-CSRF-Token": csrf}
        )
        assert ok.status_code == 200
        # A forged cookie is no session at all
        client.cookies.set("evident_session", cookie.value[:-3] + "abc")
        assert client.get(live.url + f"/api/runs/{alice_run}").status_code == 401


@pytest.mark.parametrize("form", [{"token": "evt_wrong"}, {"demo": "1"}, {}])
def test_login_refuses_bad_tokens_and_demo_outside_demo_mode(live, form):
    import httpx

    with httpx.Client(timeout=30) as client:
        page = client.get(live.url + "/login")
        assert "demo clinician" not in page.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        r = client.post(live.url + "/login", data={"csrf": csrf, **form})
        assert r.status_code == 401
        assert "evident_session" not in client.cookies


def test_login_form_needs_its_csrf_cookie(live):
    import httpx

    with httpx.Client(timeout=30) as client:
        r = client.post(live.url + "/login", data={"csrf": "x", "token": live.tokens["alice"]})
        assert r.status_code == 403 and "evident_session" not in client.cookies


def test_no_phi_in_server_logs(live, caplog):
    marker = "Zebulon Quartzfeather"
    transcript = TRANSCRIPT + f"Patient: My name is {marker} and my pain is 7 out of 10.\n"
    from evident.server import register_task_adapter
    from tests.server.fake_task import BOOM_BUILD_ADAPTER, BOOM_RUN_ADAPTER

    register_task_adapter(BOOM_BUILD_ADAPTER)
    register_task_adapter(BOOM_RUN_ADAPTER)
    with caplog.at_level(logging.DEBUG):
        run = live.run(transcript=transcript)
        live.run(task="scribe", transcript=transcript)
        crash = live.req(
            "POST", "/api/runs", "alice", json={"task": "boom-build", "transcript": transcript}
        )
        assert crash.status_code == 500 and "Quartzfeather" not in crash.text
        assert crash.headers["content-type"] == "application/problem+json"
        failed = live.req(
            "POST",
            "/api/runs",
            "alice",
            json={"task": "boom-run", "transcript": transcript, "wait": True},
        )
        assert failed.status_code == 500 and "Quartzfeather" not in failed.text
        live.req(
            "POST",
            "/api/runs",
            "alice",
            json={"task": "echo", "transcript": transcript, "model": f"x:{marker}"},
        )
        live.req(
            "POST",
            "/api/runs",
            "alice",
            json={"task": "echo", "transcript": transcript, "patient": {"sex": marker}},
        )
        live.req("GET", f"/api/runs/{run['id']}?q={marker.replace(' ', '+')}", "alice")
        live.req(
            "POST",
            f"/api/runs/{run['id']}/actions",
            "alice",
            json={"action": "edit", "statement_id": "st1", "text": marker},
        )
    client_side = ("httpx", "httpcore")  # the test's own HTTP client logs its URLs
    server = [r for r in caplog.records if not r.name.startswith(client_side)]
    assert any(r.name.startswith("evident.") for r in server)
    text = "\n".join(r.getMessage() for r in server)
    assert "Quartzfeather" not in text
    access = [r.getMessage() for r in caplog.records if r.name == "evident.server.access"]
    assert any(line.startswith("POST /api/runs 201") and run["id"] in line for line in access)
    assert any("GET /api/runs/{run_id} 200" in line and run["id"] in line for line in access)


def test_pages_follow_roles(live, alice_run):
    import httpx

    with httpx.Client(timeout=30) as auditor, httpx.Client(timeout=30) as bob:
        _login(live, auditor, live.tokens["audrey"])
        page = auditor.get(live.url + f"/runs/{alice_run}")
        assert page.status_code == 200 and 'id="review"' in page.text
        assert "sign-button" not in page.text and "btn-accept" not in page.text
        assert 'id="run-form"' not in auditor.get(live.url + "/").text
        monitor = auditor.get(live.url + "/monitor")
        assert monitor.status_code == 200 and "verified" in monitor.text
        csrf = _login(live, bob, live.tokens["bob"])
        assert bob.get(live.url + f"/runs/{alice_run}").status_code == 404
        assert bob.get(live.url + "/monitor").status_code == 403
        assert 'id="run-form"' in bob.get(live.url + "/").text
        out = bob.post(live.url + "/logout", data={"csrf": csrf})
        assert out.status_code == 303
        assert bob.get(live.url + "/").status_code == 303  # back to the login page
