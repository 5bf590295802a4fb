"""Written sources get the support model trained on written sources: the shipped
entailer binds to ``support_model_written.json`` when no source is a transcript, keeps
the dialogue model for a transcript (or a transcript beside a note), and never replaces
a model file the user gave. Every text here is written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evident.sources import load_source
from evident.types import Source
from evident.verify.index import SourceIndex
from evident.verify.support_model import (
    SupportEntailer,
    create,
    load_weights,
    load_written,
    written_path,
)

NOTE = "Metformin 500 mg twice daily was started. Her knee pain improved with physical therapy."
TRANSCRIPT = "[doctor] how is the knee ?\n[patient] better since therapy .\n"


def _sources(kinds: tuple[str, ...]) -> list[Source]:
    texts = {"note": NOTE, "transcript": TRANSCRIPT}
    return [load_source(texts[k], kind=k, name=f"{k}{i}") for i, k in enumerate(kinds)]


@pytest.mark.parametrize(
    ("kinds", "written"),
    [
        (("note",), True),
        (("note", "note"), True),
        (("transcript",), False),
        (("transcript", "note"), False),
    ],
)
def test_the_model_follows_the_sources(kinds: tuple[str, ...], written: bool) -> None:
    bound = SupportEntailer().prepare(SourceIndex(_sources(kinds)))
    expected = load_written() if written else load_weights()
    assert bound.weights == expected


def test_a_given_model_file_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    data = json.loads(written_path().read_text(encoding="utf-8"))
    data["cutoff"] = 0.55
    path.write_text(json.dumps(data), encoding="utf-8")
    bound = create(str(path)).prepare(SourceIndex(_sources(("note",))))
    assert bound.cutoff == pytest.approx(0.55)
    assert bound.weights != load_written()


def test_the_written_model_is_shipped_and_differs() -> None:
    written = load_written()
    assert written is not None
    assert written.weights != load_weights().weights
    assert written.meta["data"] == ["pqal_dev500.json"]
    assert written.meta["half"] == "dev"


def test_without_the_file_the_dialogue_model_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    import evident.verify.support_model as sm

    monkeypatch.setattr(sm, "load_written", lambda: None)
    bound = SupportEntailer().prepare(SourceIndex(_sources(("note",))))
    assert bound.weights == load_weights()


def test_a_bound_entailer_binds_again_by_the_new_sources() -> None:
    on_note = SupportEntailer().prepare(SourceIndex(_sources(("note",))))
    again = on_note.prepare(SourceIndex(_sources(("transcript",))))
    assert (on_note.weights, again.weights) == (load_written(), load_weights())
