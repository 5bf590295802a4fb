"""Input that cannot make a note: speakers inferred from turn-taking, or one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from evident.cli.main import main

UNLABELLED = """\
What brings you in today?
I have had a cough for two weeks and my chest hurts when I cough.
Any fever or chills?
No, I have not had a fever.
Are you taking any medications for it?
I take my inhaler two puffs twice a day.
On exam, your lungs have a mild wheeze on the right. I'm going to order a chest x-ray.
Okay, thank you.
"""

AMBIGUOUS = """\
The weather was nice.
The weather was nice.
The weather was nice.
The weather was nice.
"""

HEADINGS = """\
Doctor: Hello.
Patient: Hi.
Doctor: Thank you.
Patient: Bye.
"""


@pytest.mark.parametrize(
    ("text", "code", "stdout", "stderr"),
    [
        (UNLABELLED, 0, "The patient denies fever", "speakers inferred"),
        (AMBIGUOUS, 2, "", "no speaker labels"),
        (HEADINGS, 2, "", "no clinical content"),
        ("SUBJECTIVE:\nOBJECTIVE:\nASSESSMENT:\nPLAN:\n", 2, "", "no speaker labels"),
    ],
)
def test_unusable_input(tmp_path: Path, capsys, monkeypatch, text, code, stdout, stderr) -> None:
    monkeypatch.delenv("EVIDENT_MODEL", raising=False)
    path = tmp_path / "visit.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["scribe", str(path), "--no-audit"]) == code
    out, err = capsys.readouterr()
    assert stdout in out if stdout else out == ""
    assert stderr in err
    if code:
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_inferred_note_is_third_person(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("EVIDENT_MODEL", raising=False)
    path = tmp_path / "visit.txt"
    path.write_text(UNLABELLED, encoding="utf-8")
    assert main(["scribe", str(path), "--no-audit"]) == 0
    note = capsys.readouterr().out
    assert "Order a chest x-ray." in note
    assert " I " not in f" {note} " and "my " not in note.lower()


@pytest.mark.parametrize(("kind", "inferred"), [("note", False), ("transcript", True)])
def test_only_transcripts_get_speakers_inferred(kind: str, inferred: bool) -> None:
    from evident.sources import load_source
    from evident.tasks.scribe.speakers import infer_speakers

    src = load_source(UNLABELLED, kind=kind, name="x")  # type: ignore[arg-type]
    out, done = infer_speakers(src)
    assert done is inferred
    assert all(s.speaker for s in out.segments) is inferred


@pytest.mark.parametrize("extra", [1, 2000])
def test_too_many_utterances_refused_before_the_model_runs(extra: int) -> None:
    from evident.errors import InputError
    from evident.pipeline import run_task
    from evident.sources import load_source
    from evident.verify.index import MAX_SEGMENTS

    from .conftest import FakeBackend

    turns = MAX_SEGMENTS + extra
    lines = [f"[{'doctor' if i % 2 else 'patient'}] Knee pain day {i}." for i in range(turns)]
    source = load_source("\n".join(lines), kind="transcript", name="long.txt")
    backend = FakeBackend({"statements": []})
    with pytest.raises(InputError, match=f"sources have {turns} segments, over the limit"):
        run_task("scribe", [source], backend)
    assert backend.requests == []
