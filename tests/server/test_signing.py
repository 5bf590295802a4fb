"""Signing proves review: every flag decided, every omission acknowledged, an attestation.

The echo task's draft leaves out the doctor's lines (the blood pressure of 150 over 95),
so its report has possible omissions as well as flagged statements.
"""

from __future__ import annotations

import base64

import pytest

SIGN = {"action": "sign", "attest": True, "clinician": "Dr Alice Example"}


def _act(live, rid: str, **body):
    return live.req("POST", f"/api/runs/{rid}/actions", "alice", json=body)


def _decide_flags(live, view: dict) -> None:
    for sid in view["flagged_pending"]:
        assert _act(live, view["id"], action="reject", statement_id=sid).status_code == 200


def _acknowledge(live, view: dict) -> None:
    for oid in view["omissions_pending"]:
        assert _act(live, view["id"], action="acknowledge", statement_id=oid).status_code == 200


def test_the_echo_run_has_flags_and_omissions(live):
    view = live.run()
    assert view["flagged_pending"] and view["omissions_pending"]
    assert [o["id"] for o in view["omissions"]] == [
        f"om{i}" for i in range(1, len(view["omissions"]) + 1)
    ]
    assert not any(o["acknowledged"] for o in view["omissions"])


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        ({"action": "sign"}, 422, "attestation"),
        ({"action": "sign", "attest": False, "clinician": "Dr A"}, 422, "attestation"),
        ({"action": "sign", "attest": True}, 422, "name"),
        ({"action": "sign", "attest": True, "clinician": "   "}, 422, "name"),
        ({"action": "sign", "attest": True, "clinician": "Dr\nA"}, 422, None),
        ({"action": "sign", "attest": True, "clinician": "x" * 129}, 422, None),
        ({"action": "accept", "statement_id": "st1", "attest": True}, 422, "only sign"),
        ({"action": "accept", "statement_id": "st1", "clinician": "Dr A"}, 422, "only sign"),
    ],
)
def test_sign_needs_the_attestation_and_a_name(live, body, status, needle):
    view = live.run()
    _decide_flags(live, view)
    _acknowledge(live, view)
    r = _act(live, view["id"], **body)
    assert r.status_code == status, r.text
    if needle:
        assert needle in r.json()["detail"]
    assert live.req("GET", f"/api/runs/{view['id']}", "alice").json()["status"] == "draft"


@pytest.mark.parametrize(
    ("flags", "omissions", "status", "left"),
    [
        (False, False, 409, {"statement_ids", "omission_ids"}),
        (True, False, 409, {"omission_ids"}),
        (False, True, 409, {"statement_ids"}),
        (True, True, 200, set()),
    ],
)
def test_sign_waits_for_every_flag_and_omission(live, flags, omissions, status, left):
    view = live.run()
    if flags:
        _decide_flags(live, view)
    if omissions:
        _acknowledge(live, view)
    r = _act(live, view["id"], **SIGN)
    assert r.status_code == status, r.text
    if status == 409:
        problem = r.json()
        assert {k for k in ("statement_ids", "omission_ids") if problem[k]} == left
        assert "flagged" in problem["detail"] and "omission" in problem["detail"]
        return
    signed = r.json()
    sign = signed["actions"][-1]
    assert signed["status"] == "signed" and signed["attested_by"] == "Dr Alice Example"
    assert sign["clinician"] == "Dr Alice Example" and sign["reason"] is None
    assert sign["attestation"].startswith("I have reviewed this note against its sources")
    assert signed["attestation"] == sign["attestation"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"statement_id": "om1"}, 200),
        ({"statement_id": "om999"}, 422),
        ({"statement_id": "st1"}, 422),
        ({}, 422),
        ({"statement_id": "om1", "text": "seen"}, 422),
        ({"statement_id": "om1", "reason": "seen"}, 422),
    ],
)
def test_acknowledge_names_an_omission(live, body, status):
    view = live.run()
    r = _act(live, view["id"], action="acknowledge", **body)
    assert r.status_code == status, r.text
    if status == 200:
        again = _act(live, view["id"], action="acknowledge", **body).json()
        acks = [a for a in again["actions"] if a["action"] == "acknowledge"]
        assert [a["statement_id"] for a in acks] == ["om1"]  # once, however often clicked
        assert "om1" not in again["omissions_pending"]
        assert again["omissions"][0]["acknowledged"] is True


def test_override_covers_omissions_and_the_export_carries_the_attestation(live):
    view = live.run()
    _decide_flags(live, view)
    reason = "Blood pressure is charted by the nurse."
    r = _act(live, view["id"], **SIGN, reason=reason)
    assert r.status_code == 200, r.text
    sign = r.json()["actions"][-1]
    assert sign["overridden"] == view["omissions_pending"] and sign["reason"] == reason
    n = len(view["omissions_pending"])
    assert f"over {n} undecided item(s)" in sign["attestation"]
    fhir = live.req("GET", f"/api/runs/{view['id']}/export?format=fhir", "alice").json()
    assert fhir["docStatus"] == "final"
    assert fhir["authenticator"]["display"] == "Dr Alice Example (user alice)"
    ext = {e["url"]: e["valueString"] for e in fhir["extension"]}
    assert ext["urn:evident:attestation"] == sign["attestation"]
    note = base64.b64decode(fhir["content"][0]["attachment"]["data"]).decode()
    assert "Signed by Dr Alice Example (user alice)" in note and sign["attestation"] in note
    assert live.state.store.verify_chain().ok


def test_an_unsigned_export_has_no_attestation(live):
    view = live.run()
    fhir = live.req("GET", f"/api/runs/{view['id']}/export?format=fhir", "alice").json()
    assert fhir["docStatus"] == "preliminary"
    assert "authenticator" not in fhir and "extension" not in fhir


@pytest.mark.parametrize(
    ("encounter", "shown"),
    [("clinic room 3, follow-up", "clinic room 3, follow-up"), (None, "transcript")],
)
def test_runs_list_names_the_encounter_patient_and_clinician(live, encounter, shown):
    body = {"patient": {"sex": "female", "age": 47}}
    if encounter:
        body["encounter"] = encounter
    view = live.run(**body)
    assert view["encounter"] == shown
    runs = live.req("GET", "/api/runs?limit=500", "alice").json()["runs"]
    row = next(r for r in runs if r["id"] == view["id"])
    assert row["encounter"] == shown and row["user"] == "alice"
    assert row["patient"]["sex"] == "female" and row["patient"]["age_band"]
    assert row["created_at"]


@pytest.mark.parametrize(
    ("task", "noun", "label"),
    [("scribe", "note", "Sign note"), ("check_note", "note", "Sign note")],
)
def test_each_task_names_what_signing_approves(task, noun, label):
    from evident.server.review import attestation_text
    from evident.server.tasks import task_adapter

    adapter = task_adapter(task)
    assert adapter.document == noun and adapter.sign_label == label
    assert f"this {noun} against" in attestation_text(task)
    assert "over 2 undecided" in attestation_text(task, 2)
