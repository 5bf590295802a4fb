"""Conversation tests with a scripted doctor and patient over real HTTP."""

from __future__ import annotations

import json

import pytest

from evident.cli.main import main
from evident.evals.conversation import run_conversations, split_vignette
from evident.evals.items import EvalItem
from evident.models import load_backend
from tests.support.openai_server import start_server

VIGNETTE = (
    "A 34-year-old man has had an invented rash on his arm for two weeks. "
    "He has no fever. He recently walked through a made-up purple meadow. "
    "Which of the following is the most likely cause?"
)
OPTIONS = {"A": "Sunburn", "B": "Meadow fern contact", "C": "Drug reaction", "D": "Infection"}


def _item(k=0):
    return EvalItem(f"c{k}", "toy", VIGNETTE, OPTIONS, "B")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (VIGNETTE, True),
        ("Which vitamin is water soluble?", False),
        ("One sentence. Two sentences. No question here.", False),
        ("Short case. Which drug?", False),
    ],
)
def test_split_vignette(text, expected):
    split = split_vignette(text)
    assert (split is not None) == expected
    if split:
        assert split[1].endswith("?") and "meadow" in split[0]


def test_multi_turn_conversation_over_http(tmp_path):
    script = [
        {"json": {"action": "ask", "question": "How long have you had the rash?"}},
        {"json": {"reply": "About two weeks."}},
        {"json": {"action": "ask", "question": "Where have you been walking?"}},
        {"json": {"reply": "Through a purple meadow."}},
        {"json": {"action": "answer", "answer_choice": "B"}},
        {"json": {"answer_choice": "B"}},  # the full-vignette run
    ]
    with start_server(script) as server:
        backend = load_backend(f"openai-compatible:{server.base_url}#scripted-model")
        path, summary = run_conversations(
            [_item()],
            backend,
            backend,
            mode="zero-shot",
            out_dir=tmp_path,
            max_turns=4,
            concurrency=1,
            progress=False,
        )
        sent = server.chat_requests
    assert summary["conversation"]["accuracy"] == 1.0 and summary["vignette"]["accuracy"] == 1.0
    assert summary["conversation"]["mean_turns"] == 2
    assert len(sent) == 6
    doctor_texts = [" ".join(m["content"] for m in body["messages"]) for body in sent[0:5:2]]
    patient_texts = [" ".join(m["content"] for m in body["messages"]) for body in sent[1:4:2]]
    # The doctor never sees the vignette; the patient does, and sees the doctor's question.
    assert all("purple meadow" not in t.split("Patient:")[0] for t in doctor_texts)
    assert all("made-up purple meadow" in t for t in patient_texts)
    assert "How long have you had the rash?" in patient_texts[0]
    assert "Patient: About two weeks." in doctor_texts[1]
    rec = json.loads(next(path.parent.glob("records.jsonl")).read_text().splitlines()[0])
    assert [t["role"] for t in rec["prompt"]] == ["doctor", "patient", "doctor", "patient"]


def test_max_turns_forces_a_final_answer(tmp_path):
    script = {
        "rules": [
            {
                "on": "any",
                "match": "interview is over",
                "json": {"action": "answer", "answer_choice": "C"},
            },
            {"on": "system", "match": "You are a patient", "content": "not json at all"},
            {"on": "system", "match": "multiple-choice", "json": {"answer_choice": "B"}},
        ],
        "default": {"json": {"action": "ask", "question": "Anything else?"}},
    }
    with start_server(script) as server:
        backend = load_backend(f"openai-compatible:{server.base_url}#scripted-model")
        _, summary = run_conversations(
            [_item(0), _item(1)],
            backend,
            backend,
            mode="zero-shot",
            out_dir=tmp_path,
            max_turns=2,
            concurrency=2,
            progress=False,
        )
    assert summary["conversation"]["mean_turns"] == 2
    assert summary["conversation"]["accuracy"] == 0.0  # answered C after the forced stop
    assert summary["vignette"]["accuracy"] == 1.0


def test_offline_patient_retrieves_and_offline_doctor_abstains(tmp_path, fixtures, capsys):
    args = ["eval", "conversation", "--benchmark", "medqa"]
    args += ["--data", str(fixtures / "mirage_small.json"), "-m", "offline"]
    args += ["--out", str(tmp_path), "--no-progress", "--max-turns", "3"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "doctor abstains" in out and "items with a vignette: 0 of 8" in out


def test_offline_patient_with_scripted_doctor(tmp_path):
    script = [
        {"json": {"action": "ask", "question": "Did you walk through a meadow?"}},
        {"json": {"action": "answer", "answer_choice": "B"}},
        {"json": {"answer_choice": "A"}},
    ]
    with start_server(script) as server:
        doctor = load_backend(f"openai-compatible:{server.base_url}#scripted-model")
        _, summary = run_conversations(
            [_item()],
            doctor,
            load_backend("offline"),
            mode="zero-shot",
            out_dir=tmp_path,
            max_turns=3,
            concurrency=1,
            progress=False,
        )
        sent = server.chat_requests
    assert "Patient: He recently walked through a made-up purple meadow." in json.dumps(sent[1])
    assert summary["conversation"]["accuracy"] == 1.0 and summary["vignette"]["accuracy"] == 0.0
