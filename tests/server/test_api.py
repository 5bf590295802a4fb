"""The REST API over real HTTP: runs, review actions, exports, metrics, problem details."""

from __future__ import annotations

import base64
import time

import pytest

from tests.server.conftest import TRANSCRIPT
from tests.server.fake_task import INVENTED


def test_run_waits_and_returns_draft_report_and_segments(live):
    run = live.run()
    assert run["task"] == "echo" and run["status"] == "draft" and run["user"] == "alice"
    texts = [s["text"] for s in run["statements"]]
    assert "I have had a dry cough for two weeks." in texts and INVENTED in texts
    segs = run["sources"][0]["segments"]
    assert [s["id"] for s in segs][:2] == ["u1", "u2"]
    assert {s["id"] for s in run["statements"]} == {
        v["statement_id"] for v in run["report"]["verdicts"]
    }
    invented = next(s for s in run["statements"] if s["text"] == INVENTED)
    assert invented["verdict"]["label"] in ("unsupported", "contradicted")
    assert invented["id"] in run["flagged_pending"]


def test_async_run_reports_progress_then_done(live):
    r = live.req("POST", "/api/runs", "alice", json={"task": "echo", "transcript": TRANSCRIPT})
    assert r.status_code == 202
    job = r.json()
    assert job["status"] in ("queued", "running", "done") and r.headers["location"].endswith(
        f"/api/runs/{job['id']}/status"
    )
    early = live.req("GET", f"/api/runs/{job['id']}", "alice")
    assert early.status_code in (200, 409)  # 409 (poll the status) while it works
    for _ in range(200):
        status = live.req("GET", f"/api/runs/{job['id']}/status", "alice").json()
        if status["status"] == "done":
            break
        assert status["status"] in ("queued", "running")
        time.sleep(0.05)
    assert status["status"] == "done"
    got = live.req("GET", f"/api/runs/{job['id']}", "alice")
    assert got.status_code == 200 and got.json()["id"] == job["id"]


def _flagged_and_supported(run):
    flagged = run["flagged_pending"]
    others = [s["id"] for s in run["statements"] if s["id"] not in flagged]
    return flagged, others


def test_review_actions_sign_and_trail(live):
    run = live.run()
    rid = run["id"]
    flagged, others = _flagged_and_supported(run)
    assert flagged and others
    edit = live.req(
        "POST",
        f"/api/runs/{rid}/actions",
        "alice",
        json={"action": "edit", "statement_id": others[0], "text": "Dry cough, 2 weeks."},
    )
    assert edit.status_code == 200, edit.text
    st = next(s for s in edit.json()["statements"] if s["id"] == others[0])
    assert st["text"] == "Dry cough, 2 weeks." and st["decision"] == "edited"
    # signing is refused while a flagged statement is undecided
    sign = {"action": "sign", "attest": True, "clinician": "Dr Alice Example"}
    refused = live.req("POST", f"/api/runs/{rid}/actions", "alice", json=sign)
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    assert set(refused.json()["statement_ids"]) == set(flagged)
    for sid in flagged:
        r = live.req(
            "POST",
            f"/api/runs/{rid}/actions",
            "alice",
            json={"action": "reject", "statement_id": sid},
        )
        assert r.status_code == 200
    if len(others) > 1:
        r = live.req(
            "POST",
            f"/api/runs/{rid}/actions",
            "alice",
            json={"action": "accept", "statement_id": others[1]},
        )
        assert r.status_code == 200
    for oid in run["omissions_pending"]:
        r = live.req(
            "POST",
            f"/api/runs/{rid}/actions",
            "alice",
            json={"action": "acknowledge", "statement_id": oid},
        )
        assert r.status_code == 200
    signed = live.req("POST", f"/api/runs/{rid}/actions", "alice", json=sign)
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    actions = [a["action"] for a in signed.json()["actions"]]
    assert (
        actions[0] == "edit" and actions[-1] == "sign" and actions.count("reject") == len(flagged)
    )
    after = live.req(
        "POST",
        f"/api/runs/{rid}/actions",
        "alice",
        json={"action": "accept", "statement_id": others[0]},
    )
    assert after.status_code == 409
    text = live.req("GET", f"/api/runs/{rid}/export?format=text", "alice")
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/plain")
    assert "Dry cough, 2 weeks." in text.text and INVENTED not in text.text
    assert "Signed by Dr Alice Example (user alice)" in text.text
    assert "Attestation: I have reviewed this note" in text.text
    verify = live.req("GET", "/api/audit/verify", "audrey").json()
    assert verify["ok"] is True and verify["checked"] >= len(actions) + 1


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"action": "edit", "statement_id": "st1"}, 422, None),
        ({"action": "edit", "statement_id": "st1", "text": "   "}, 422, None),
        ({"action": "accept", "statement_id": "nope"}, 422, None),
        ({"action": "accept"}, 422, None),
        ({"action": "accept", "statement_id": "st1", "text": "x"}, 422, None),
        ({"action": "sign", "statement_id": "st1"}, 422, None),
        ({"action": "approve", "statement_id": "st1"}, 422, "action"),
        # an unknown key is named "*": the key itself could be patient text
        ({"action": "accept", "statement_id": "st1", "extra": 1}, 422, "*"),
        ({"action": "edit", "statement_id": "st1", "text": "x" * 5001}, 422, "text"),
    ],
)
def test_bad_actions_are_problem_details(live, body, status, field):
    rid = live.run()["id"]
    r = live.req("POST", f"/api/runs/{rid}/actions", "alice", json=body)
    assert r.status_code == status
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert {"type", "title", "status", "detail"} <= set(problem) and problem["status"] == status
    if field:
        assert any(e["field"] == field for e in problem["errors"])
    assert live.req("GET", f"/api/runs/{rid}", "alice").json()["actions"] == []


def test_fhir_export_is_a_valid_r4_document_reference(live):
    from fhir.resources.R4B.documentreference import DocumentReference

    rid = live.run()["id"]
    r = live.req("GET", f"/api/runs/{rid}/export?format=fhir", "alice")
    assert r.status_code == 200 and r.headers["content-type"] == "application/fhir+json"
    doc = DocumentReference.model_validate(r.json())
    assert doc.status == "current" and doc.docStatus == "preliminary"
    att = doc.content[0].attachment
    assert att.contentType.startswith("text/plain")
    note = base64.b64decode(r.json()["content"][0]["attachment"]["data"]).decode()
    assert att.data.decode() == note  # the model holds the decoded bytes
    assert "I have had a dry cough for two weeks." in note and "DRAFT" in note
    assert r.json()["identifier"][0]["value"] == rid
    data = r.json()
    assert data["subject"] == {"display": f"patient of Evident run {rid}"}
    authors = [a["display"] for a in data["author"]]
    assert authors[0] == "alice" and authors[1].startswith("Evident offline engine (")
    assert "verification: " in data["description"] and " omissions" in data["description"]


def test_list_runs_shows_own_runs_to_clinicians_and_all_to_auditors(live):
    mine = live.run("alice")["id"]
    theirs = live.run("bob")["id"]
    alice = {r["id"] for r in live.req("GET", "/api/runs", "alice").json()["runs"]}
    audrey = {r["id"] for r in live.req("GET", "/api/runs?limit=500", "audrey").json()["runs"]}
    assert mine in alice and theirs not in alice and {mine, theirs} <= audrey


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"task": "echo"}, 422, None),
        ({"task": "echo", "transcript": "   \n"}, 422, None),
        ({"task": "nosuch", "transcript": "Patient: wheezeberry"}, 422, None),
        (
            {"task": "echo", "transcript": "Patient: wheezeberry", "model": "openai:gpt-4o"},
            422,
            None,
        ),
        (
            {"task": "echo", "transcript": "Patient: wheezeberry", "patient": {"age": 200}},
            422,
            "patient.age",
        ),
        (
            {"task": "echo", "transcript": "Patient: wheezeberry", "patient": {"sex": "x"}},
            422,
            "patient.sex",
        ),
        ({"task": "echo", "transcript": 42}, 422, "transcript"),
        # an unknown key is named "*": the key itself could be patient text
        ({"task": "echo", "transcript": "Patient: wheezeberry", "surprise": True}, 422, "*"),
        ({"task": "echo", "transcript": "Patient: " + "a" * 30_000}, 413, None),
    ],
)
def test_bad_run_requests_are_problem_details(live, body, status, field):
    r = live.req("POST", "/api/runs", "alice", json=body)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["status"] == status and problem["type"].startswith("https://")
    if field:
        assert any(e["field"] == field for e in problem["errors"])
    assert "wheezeberry" not in r.text


def test_malformed_json_is_a_problem(live):
    r = live.req(
        "POST",
        "/api/runs",
        "alice",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("chunked", [False, True])
def test_body_over_limit_is_413(live, chunked):
    body = b'{"task": "echo", "transcript": "' + b"a" * 70_000 + b'"}'
    if chunked:
        content = iter([body[i : i + 8192] for i in range(0, len(body), 8192)])
        r = live.req(
            "POST",
            "/api/runs",
            "alice",
            content=content,
            headers={"Content-Type": "application/json"},
        )
    else:
        r = live.req(
            "POST", "/api/runs", "alice", content=body, headers={"Content-Type": "application/json"}
        )
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["status"] == 413


def test_metrics_with_slices_and_suppression(live):
    for sex, age in (("female", 34), ("female", 36), ("male", 70)):
        live.run(patient={"sex": sex, "age": age})
    r = live.req("GET", "/api/metrics?by=sex&min_cell=5", "audrey")
    assert r.status_code == 200
    data = r.json()
    assert "sex" in data["columns"] and data["min_cell"] == 5
    males = [row for row in data["rows"] if row["sex"] == "male" and row["task"] == "echo"]
    assert males and all(row["suppressed"] and row["supported"] is None for row in males)
    overall = live.req("GET", "/api/metrics", "ada").json()
    echo = [row for row in overall["rows"] if row["task"] == "echo"]
    assert echo and sum(row["runs"] or 0 for row in echo) >= 3
    low = live.req("GET", "/api/metrics?min_cell=1", "audrey")
    assert low.status_code == 422 and low.headers["content-type"] == "application/problem+json"


def test_security_headers_and_no_store(live):
    r = live.req("GET", "/api/me", "alice")
    assert r.json() == {"user": "alice", "role": "clinician", "via": "token"}
    assert r.headers["cache-control"] == "no-store"
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_openapi_and_docs_are_served(live):
    spec = live.client.get(live.url + "/openapi.json").json()
    assert "/api/runs" in spec["paths"] and "/api/runs/{run_id}/actions" in spec["paths"]
    docs = live.client.get(live.url + "/docs")
    assert docs.status_code == 200 and "/api/runs/{run_id}/export" in docs.text
    assert "cdn" not in docs.text.lower() and "https://" not in docs.text.split("<body>")[0]


def test_pending_run_is_409_with_progress_until_done(live):
    from evident.server import register_task_adapter
    from tests.server.fake_task import SLOW_ADAPTER

    register_task_adapter(SLOW_ADAPTER)
    job = live.req(
        "POST", "/api/runs", "alice", json={"task": "echo-slow", "transcript": TRANSCRIPT}
    ).json()
    pending = live.req("GET", f"/api/runs/{job['id']}", "alice")
    assert pending.status_code == 409 and pending.json()["type"].endswith("/run-pending")
    status = live.req("GET", f"/api/runs/{job['id']}/status", "alice").json()
    assert status["status"] in ("queued", "running") and status["elapsed_ms"] >= 0
    assert live.req("GET", f"/api/runs/{job['id']}/status", "bob").status_code == 404
    seen = {status["stage"]}
    while status["status"] not in ("done", "failed"):
        time.sleep(0.1)
        status = live.req("GET", f"/api/runs/{job['id']}/status", "alice").json()
        seen.add(status["stage"])
    assert status["status"] == "done" and "generate" in seen
    assert live.req("GET", f"/api/runs/{job['id']}", "alice").status_code == 200
