"""`evident batch` in process: each line is what the single command prints, nothing lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evident.cli.main import main

_SINGLE = {
    "deid": lambda d, i: ["deid", str(d / f"{i}.txt"), "--format", "json"],
    "verify": lambda d, i: [
        "verify",
        "--source",
        str(d / f"{i}.source.txt"),
        "--draft",
        str(d / f"{i}.draft.txt"),
        "--format",
        "json",
    ],
}


def stable(value: object) -> object:
    """The value without its timings (``cpu_ms``), which differ from run to run."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k != "cpu_ms"}
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value


def _single(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    capsys.readouterr()
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def _output(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("task", ["deid", "verify"])
def test_results_equal_the_single_command(
    task: str, pairs: Path, notes: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = pairs if task == "verify" else notes
    out = tmp_path / "out.jsonl"
    assert main(["batch", task, "--input", str(folder), "--output", str(out)]) == 0
    rows = _output(out)
    ids = [r["id"] for r in rows]
    assert ids == sorted(set(ids))
    for row in rows:
        if not row["ok"]:
            continue
        assert stable(row["result"]) == stable(_single(capsys, _SINGLE[task](folder, row["id"])))
    assert sum(r["ok"] for r in rows) >= 4


def test_a_failed_item_is_a_line_without_its_content(notes: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["batch", "deid", "--input", str(notes), "--output", str(out)]) == 0
    bad = next(r for r in _output(out) if r["id"] == "zz_binary")
    assert bad == {
        "id": "zz_binary",
        "ok": False,
        "error": {"class": "InputError", "message": bad["error"]["message"]},  # type: ignore[index]
        "task": "deid",
        "options_sha256": bad["options_sha256"],
        "input_sha256": bad["input_sha256"],
    }
    assert "Tobin" not in json.dumps(bad)


def test_resume_runs_only_what_is_missing(
    pairs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["batch", "verify", "--input", str(pairs), "--output", str(out)]) == 0
    full = out.read_text(encoding="utf-8")
    lines = full.splitlines(keepends=True)
    out.write_text("".join(lines[:2] + lines[3:]), encoding="utf-8")
    capsys.readouterr()
    assert main(["batch", "verify", "--input", str(pairs), "--output", str(out), "--resume"]) == 0
    assert "1 ok, 0 failed, 5 already done" in capsys.readouterr().err
    assert stable(_output(out)) == stable([json.loads(line) for line in lines])


@pytest.mark.parametrize(
    ("flags", "code", "message"),
    [
        ([], 2, "'out.jsonl' is there already"),
        (["--overwrite"], 0, "6 ok, 0 failed, 0 already done"),
        (["--resume"], 0, "0 ok, 0 failed, 6 already done"),
        (["--resume", "--overwrite"], 2, "give one"),
    ],
)
def test_a_finished_output_is_replaced_only_when_asked(
    flags: list[str],
    code: int,
    message: str,
    pairs: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out.jsonl"
    argv = ["batch", "verify", "--input", str(pairs), "--output", str(out)]
    assert main(argv) == 0
    rows = _output(out)
    capsys.readouterr()
    assert main([*argv, *flags]) == code
    err = capsys.readouterr().err
    assert message in err, err
    if code == 2:
        assert err.count("\n") == 1 and "Traceback" not in err
    assert stable(_output(out)) == stable(rows)


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("in.jsonl", "--output is the input file"),
        ("in.jsonl/out.jsonl", "cannot write the output"),
        ("folder/out.jsonl", "--output is inside the input folder"),
    ],
)
def test_output_never_overwrites_input(
    output: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "a.txt").write_text("John Zyxwv", encoding="utf-8")
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "John Zyxwv"}\n', encoding="utf-8")
    given = tmp_path / ("folder" if output.startswith("folder") else "in.jsonl")
    argv = ["batch", "deid", "--input", str(given), "--output", str(tmp_path / output)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Zyxwv" not in err and "Traceback" not in err
    assert source.read_text(encoding="utf-8") == '{"id": "a", "text": "John Zyxwv"}\n'


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--task-args", "--mode 'redact"], "--task-args is not a valid option string"),
        (["--task-args", "--no-such-option"], None),
    ],
)
def test_bad_task_args(
    argv: list[str],
    message: str | None,
    notes: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out.jsonl"
    code = main(["batch", "deid", "--input", str(notes), "--output", str(out), *argv])
    if message:
        assert code == 2
        assert message in capsys.readouterr().err
    else:  # each item reports that its command refused the options
        assert code == 0
        assert {r["error"]["class"] for r in _output(out)} <= {"UsageError", "InputError"}  # type: ignore[index]


def test_scribe_runs_are_recorded_with_the_batch_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from evident.audit import open_store

    visits = tmp_path / "visits"
    visits.mkdir()
    for i in range(3):
        (visits / f"v{i}.txt").write_text(
            f"[doctor] what brings you in?\n[patient] a sore throat for {i + 2} days.\n"
            "[doctor] any fever?\n[patient] no.\n",
            encoding="utf-8",
        )
    out = tmp_path / "out.jsonl"
    argv = ["batch", "scribe", "--input", str(visits), "--output", str(out), "-m", "offline"]
    assert main(argv) == 0
    batch_id = capsys.readouterr().err.rsplit("(batch ", 1)[1].split(")")[0]
    assert all(r["ok"] for r in _output(out))
    with open_store() as store:
        runs = [store.get_run(r.run_id).run for r in store.list_runs(limit=10)]
    assert len(runs) == 3
    assert {r.params.get("batch_id") for r in runs} == {batch_id}


def _triage_items(folder: Path) -> None:
    messages = [
        "I have crushing chest pain going down my left arm and I am sweating.",
        "My nose has been runny for two days, no fever.",
        "Can I get a refill of my blood pressure pills?",
    ]
    for i, text in enumerate(messages):
        (folder / f"m{i}.txt").write_text(text + "\n", encoding="utf-8")


def _chart_items(folder: Path) -> None:
    from tests.chart.conftest import bundle_text

    for i in range(2):
        (folder / f"r{i}.json").write_text(bundle_text(), encoding="utf-8")


@pytest.mark.parametrize(("task", "make"), [("triage", _triage_items), ("chart", _chart_items)])
def test_drafting_tasks_equal_the_single_command(
    task: str, make: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / task
    folder.mkdir()
    make(folder)  # type: ignore[operator]
    out = tmp_path / "out.jsonl"
    assert main(["batch", task, "--input", str(folder), "--output", str(out), "--no-audit"]) == 0
    rows = _output(out)
    assert rows and all(r["ok"] for r in rows), rows
    for row in rows:
        name = next(p for p in folder.iterdir() if p.stem == row["id"])
        single = _single(capsys, [task, str(name), "--format", "json", "--no-audit"])
        assert stable(row["result"]) == stable(single)


@pytest.mark.parametrize("stop_at", [1, 3])
def test_ctrl_c_stops_the_batch_and_keeps_finished_items(
    stop_at: int,
    notes: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from evident.cli.main import cli

    command = cli.commands["deid"]
    original, calls = command.callback, []

    def interrupted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == stop_at + 1:
            raise KeyboardInterrupt
        assert original is not None
        return original(*args, **kwargs)

    monkeypatch.setattr(command, "callback", interrupted)
    out = tmp_path / "out.jsonl"
    assert main(["batch", "deid", "--input", str(notes), "--output", str(out)]) == 130
    assert capsys.readouterr().err.strip() in {"evident: aborted", "evident: interrupted"}
    partial = out.with_name("out.jsonl.partial")
    done = [json.loads(line) for line in partial.read_text(encoding="utf-8").splitlines()]
    assert len(done) == stop_at and all(r["ok"] for r in done if r["id"] != "zz_binary")
    monkeypatch.setattr(command, "callback", original)
    assert main(["batch", "deid", "--input", str(notes), "--output", str(out), "--resume"]) == 0
    assert f"{stop_at} already done" in capsys.readouterr().err
    ids = [r["id"] for r in _output(out)]
    assert ids == sorted(set(ids)) and len(ids) == len(list(notes.iterdir()))


def _deid(folder: Path, out: Path, *extra: str) -> int:
    return main(["batch", "deid", "--input", str(folder), "--output", str(out), *extra])


def _strip_run_fields(out: Path) -> None:
    rows = [
        {k: v for k, v in row.items() if k in {"id", "ok", "result", "error"}}
        for row in _output(out)
    ]
    out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("nothing", None),  # this batch's own output resumes
        ("task", "is a result of 'triage', not of 'deid'"),
        ("input", "its item's input has changed"),
        ("options", "ran with other options"),
        ("ids", "is an item that is not in the input"),
        ("legacy", "records no task, options or input"),
    ],
)
def test_resume_refuses_an_output_of_another_batch(
    change: str,
    message: str | None,
    notes: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, extra = tmp_path / "out.jsonl", []
    if change == "task":
        argv = ["batch", "triage", "--input", str(notes), "--output", str(out), "--no-audit"]
        assert main(argv) == 0
    elif change == "ids":
        other = tmp_path / "other"
        other.mkdir()
        for name in ("x1", "x2"):
            (other / f"{name}.txt").write_text("Knee pain, no fever.\n", encoding="utf-8")
        assert _deid(other, out) == 0
    else:
        assert _deid(notes, out) == 0
    if change == "input":
        (notes / "n1.txt").write_text("Seen by Dr. Ada Quill on 04/02/2024.\n", encoding="utf-8")
    elif change == "options":
        extra = ["--task-args", "--mode surrogate"]
    elif change == "legacy":
        _strip_run_fields(out)
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(lines[:-1]), encoding="utf-8")  # the last item is still to run
    before = out.read_bytes()
    capsys.readouterr()
    code = _deid(notes, out, "--resume", *extra)
    err = capsys.readouterr().err
    if message is None:
        assert code == 0 and "0 ok, 1 failed, 4 already done" in err
        return
    assert code == 2 and message in err, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert out.read_bytes() == before  # nothing finished is lost or overwritten
