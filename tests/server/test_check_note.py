"""'Check my note': a clinician's own note reviewed against the transcript, by the API."""

from __future__ import annotations

import pytest

NOTE = """HPI:
Dry cough for two weeks. Denies fever.
Takes lisinopril 20 mg once daily.

Plan:
Chest x-ray. Recheck blood pressure in two weeks.
"""


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("Dry cough for two weeks.", "supported"),
        ("Takes lisinopril 20 mg once daily.", "contradicted"),
        ("Recheck blood pressure in two weeks.", "supported"),
    ],
)
def test_check_my_note_gives_the_same_review(live, sentence, label):
    run = live.run(task="check_note", options={"note": NOTE})
    view = live.req("GET", f"/api/runs/{run['id']}", "alice").json()
    by_text = {st["text"]: st for st in view["statements"]}
    assert by_text[sentence]["verdict"]["label"] == label
    assert view["model"]["spec"] == "clinician"


@pytest.mark.parametrize(
    ("options", "fragment"),
    [({}, "note to check"), ({"note": "  "}, "note to check"), ({"note": "x", "y": 1}, "option")],
)
def test_check_my_note_needs_a_note(live, options, fragment):
    r = live.req(
        "POST", "/api/runs", "alice", json={"task": "check_note", "transcript": "Doctor: Hi.",
                                            "options": options, "wait": True},
    )  # fmt: skip
    assert r.status_code in (400, 422) and fragment in r.text
