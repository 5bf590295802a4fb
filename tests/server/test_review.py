"""Edits are verified again; signing over flagged statements needs an explicit override."""

from __future__ import annotations

import pytest

from tests.server.fake_task import WRONG_DOSE

SIGN = {"action": "sign", "attest": True, "clinician": "Dr Alice Example"}


def _act(live, rid: str, **body):
    return live.req("POST", f"/api/runs/{rid}/actions", "alice", json=body)


def _acknowledge_all(live, view: dict) -> None:
    for oid in view["omissions_pending"]:
        assert _act(live, view["id"], action="acknowledge", statement_id=oid).status_code == 200


def _statement(view: dict, sid: str) -> dict:
    return next(s for s in view["statements"] if s["id"] == sid)


def _wrong_dose_id(view: dict) -> str:
    return next(s["id"] for s in view["statements"] if s["original_text"] == WRONG_DOSE)


@pytest.mark.parametrize(
    ("edit", "label", "still_pending"),
    [
        # the visit said lisinopril 10 mg once daily
        ("The patient takes lisinopril 10 mg once daily.", {"supported"}, False),
        ("The patient takes lisinopril 40 mg once daily.", {"contradicted"}, True),
        # an invented drug added to a right dose: flagged either way
        (
            "Lisinopril 10 mg once daily. She also takes glipizide 5 mg.",
            {"unsupported", "contradicted"},
            True,
        ),
    ],
)
def test_an_edit_gets_a_new_verdict(live, edit, label, still_pending):
    view = live.run()
    sid = _wrong_dose_id(view)
    assert _statement(view, sid)["verdict"]["label"] == "contradicted"
    after = _act(live, view["id"], action="edit", statement_id=sid, text=edit)
    assert after.status_code == 200, after.text
    data = after.json()
    st = _statement(data, sid)
    assert st["text"] == edit and st["decision"] == "edited"
    assert st["verdict"]["label"] in label and st["verdict"]["judge"].startswith("recheck:")
    assert st["original_verdict"]["label"] == "contradicted"
    assert (sid in data["flagged_pending"]) is still_pending
    edit_action = data["actions"][-1]
    assert edit_action["action"] == "edit" and edit_action["verdict"] == st["verdict"]


def test_flagged_edit_must_be_accepted_before_signing(live):
    view = live.run()
    rid, sid = view["id"], _wrong_dose_id(view)
    wrong = "The patient takes lisinopril 40 mg twice daily."
    assert _act(live, rid, action="edit", statement_id=sid, text=wrong).status_code == 200
    for other in view["flagged_pending"]:
        if other != sid:
            assert _act(live, rid, action="reject", statement_id=other).status_code == 200
    _acknowledge_all(live, view)
    refused = _act(live, rid, **SIGN)
    assert refused.status_code == 409 and refused.json()["statement_ids"] == [sid]
    assert _act(live, rid, action="accept", statement_id=sid).status_code == 200
    signed = _act(live, rid, **SIGN)
    assert signed.status_code == 200 and signed.json()["status"] == "signed"


@pytest.mark.parametrize(
    ("reason", "status"),
    [(None, 409), ("   ", 409), ("Dose confirmed with the patient by phone.", 200)],
)
def test_sign_override_needs_a_reason_and_is_recorded(live, reason, status):
    view = live.run()
    rid = view["id"]
    pending = view["flagged_pending"]
    assert pending
    body = dict(SIGN) if reason is None else {**SIGN, "reason": reason}
    r = _act(live, rid, **body)
    assert r.status_code == status, r.text
    if status == 200:
        sign = r.json()["actions"][-1]
        assert sign["action"] == "sign" and sign["reason"] == reason
        assert sign["overridden"] == pending + view["omissions_pending"]
        assert "undecided item(s)" in sign["attestation"]
        assert live.state.store.verify_chain().ok


@pytest.mark.parametrize("action", ["accept", "edit", "reject"])
def test_only_sign_takes_a_reason(live, action):
    view = live.run()
    body = {"action": action, "statement_id": "st1", "reason": "x"}
    if action == "edit":
        body["text"] = "Dry cough for two weeks."
    r = _act(live, view["id"], **body)
    assert r.status_code == 422 and "reason" in r.json()["detail"]
