"""The project's own PHI tagger: its training text, its trainer and ``evident train deid-ner``."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from evident.cli.main import main
from evident.privacy.synth.generator import Doc
from evident.privacy.synth.second import half_of
from evident.privacy.synth.training import LABELS, chunks, resurrogate, speech, training_docs


def _doc(text: str, spans: list[tuple[str, str]]) -> Doc:
    gold, at = [], 0
    for value, phi_type in spans:
        start = text.index(value, at)
        gold.append((start, start + len(value), phi_type))
        at = start + len(value)
    return Doc("t", "note", text, gold, [(0, len(text))])


def _texts(doc: Doc) -> list[tuple[str, str]]:
    return [(doc.text[s:e], t) for s, e, t in doc.gold]


@pytest.mark.parametrize(
    ("text", "spans", "expected_text", "expected"),
    [
        (
            "Seen by Dr. Oyelaran, on 3/4/2021.\n",
            [("Oyelaran", "NAME"), ("3/4/2021", "DATE")],
            "seen by dr oyelaran on 3/4/2021\n",
            [("oyelaran", "NAME"), ("3/4/2021", "DATE")],
        ),
        (
            "[doctor] hi , wilhelmina . how are you ?\n",
            [("wilhelmina", "NAME")],
            "[doctor] hi wilhelmina how are you\n",
            [("wilhelmina", "NAME")],
        ),
        (
            'She said "Brandvold, Tove" (sister).',
            [("Brandvold, Tove", "NAME")],
            "she said brandvold tove sister",
            [("brandvold tove", "NAME")],
        ),
        ("Dose 2.5 mg daily.", [], "dose 2.5 mg daily", []),
    ],
)
def test_speech_is_lower_case_unpunctuated_with_aligned_gold(
    text: str, spans: list[tuple[str, str]], expected_text: str, expected: list[tuple[str, str]]
) -> None:
    out = speech(_doc(text, spans))
    assert out.text == expected_text
    assert _texts(out) == expected
    assert out.style == "transcript"


_HELD = json.loads(
    (Path(__file__).parents[2] / "src/evident/privacy/synth/resources/pools_b.json").read_text(
        "utf-8"
    )
)
_HELD_WORDS = {str(w).lower() for v in _HELD.values() if isinstance(v, list) for w in v}


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        (
            "Patient: Ferreira-Lund, Odile\nOdile is well.\n",
            [("Ferreira-Lund, Odile", "NAME"), ("Odile", "NAME")],
        ),
        (
            "[patient] ODILE FERREIRA lives in Kalamazoo.\n",
            [("ODILE FERREIRA", "NAME"), ("Kalamazoo", "CITY")],
        ),
        ("hi odile . moved from walla walla\n", [("odile", "NAME"), ("walla walla", "CITY")]),
        (
            "Resident of Tamsworth County. MRN 12345678.",
            [("Tamsworth County", "COUNTY"), ("12345678", "MRN")],
        ),
    ],
)
def test_resurrogate_replaces_names_and_places_consistently(
    text: str, spans: list[tuple[str, str]]
) -> None:
    doc = _doc(text, spans)
    out = resurrogate(doc, random.Random(3))
    for (old, phi_type), (s, e, t) in zip(spans, out.gold, strict=True):
        new = out.text[s:e]
        assert t == phi_type
        if phi_type in LABELS:
            assert new != old and new.lower() not in _HELD_WORDS
            assert new.islower() == old.islower() and new.isupper() == old.isupper()
        else:
            assert new == old
    firsts = {out.text[s:e].split()[-1].lower() for s, e, t in out.gold if t == "NAME"}
    if "Odile is well" in text:
        assert len(firsts) == 1  # "Odile" twice: one surrogate


@pytest.mark.parametrize("size", [10, 40, 1000])
def test_chunks_cut_at_line_ends_and_keep_inner_spans(size: int) -> None:
    lines = [f"Line {i} about Quennell here.\n" for i in range(6)]
    text = "".join(lines)
    doc = _doc(text, [("Quennell", "NAME")] * 6)
    pieces = list(chunks(doc, size))
    assert "".join(p for p, _ in pieces) == text
    assert all(p.endswith("\n") for p, _ in pieces)
    assert sum(len(s) for _, s in pieces) == 6
    assert all(p[s:e] == "Quennell" for p, spans in pieces for s, e, _ in spans)


def _folder(root: Path) -> Path:
    aci = root / "aci"
    aci.mkdir(parents=True)
    rows = ["encounter_id,dialogue,note"]
    meta = ["encounter_id,patient_firstname,patient_familyname,doctor_name"]
    for i in range(12):
        rows.append(
            f'E{i},"[doctor] hi , ottilie .\n[patient] hello doctor .",'
            f'"Ottilie Quimby was seen today.\nKnee pain is better."'
        )
        meta.append(f"E{i},Ottilie,Quimby,")
    (aci / "mini.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (aci / "mini_metadata.csv").write_text("\n".join(meta) + "\n", encoding="utf-8")
    medec = root / "medec"
    medec.mkdir()
    (medec / "MEDEC-mini.csv").write_text(
        'Text ID,Text\nm-1,"A 50-year-old man has a cough. He takes no medicines."\n',
        encoding="utf-8",
    )
    return root


@pytest.mark.parametrize("bench_seed", [29, 30])
def test_training_docs_never_read_a_test_half_encounter(tmp_path: Path, bench_seed: int) -> None:
    docs = training_docs(_folder(tmp_path), seed=1, bench_seed=bench_seed, speech_share=1.0)
    encounters = {d.id.split(":")[0] + ":" + d.id.split(":")[1] for d in docs if "mini" in d.id}
    assert encounters
    assert all(half_of(e, bench_seed)[0] == "dev" for e in encounters)
    assert any(d.id.startswith("medec:") for d in docs)
    assert any(d.id.endswith(":speech") for d in docs)
    for doc in docs:
        for s, e, t in doc.gold:
            if t == "NAME":
                assert doc.text[s:e].lower() not in {"ottilie", "quimby", "ottilie quimby"}


def test_train_command_is_reproducible(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _folder(tmp_path / "data")
    models = []
    for name in ("a", "b"):
        out = tmp_path / name
        args = ["train", "deid-ner", "--data", str(data), "--out", str(out), "--epochs", "2"]
        assert main(args) == 0
        models.append((out / "ner" / "model").read_bytes())
        meta = json.loads((out / "meta.json").read_text("utf-8"))
        assert meta["evident"]["bench_seed"] == 13
    assert models[0] == models[1]
    assert "trained on" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--data", "missing"], "not a directory"), (["--epochs", "0"], "at least 1")],
)
def test_train_command_rejects_bad_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    base = ["train", "deid-ner", "--data", str(tmp_path), "--out", str(tmp_path / "m")]
    assert main([*base, *args]) == 2
    assert message in capsys.readouterr().err
