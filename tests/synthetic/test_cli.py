"""`evident synth`: spec, split, table and report end to end on a made-up table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from evident.cli.main import main
from tests.synthetic.conftest import SPEC, admissions


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    real = tmp_path / "real.csv"
    admissions(600).to_csv(real, index=False)
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(SPEC), encoding="utf-8")
    return {"real": real, "spec": spec, "dir": tmp_path}


def test_table_report_and_audit(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    d = files["dir"]
    train, hold, syn, spec = (str(d / n) for n in ("train.csv", "hold.csv", "syn.csv", "spec.yaml"))
    split = ["--train-out", train, "--holdout-out", hold]
    assert main(["synth", "split", str(files["real"]), "--by", "patient_id", *split]) == 0
    argv = ["synth", "table", train, "--epsilon", "3", "--synthesizer", "mwem", "--columns", spec]
    assert main([*argv, "--out", syn, "--report", str(d / "b.json")]) == 0
    header = (d / "syn.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "age_band,sex,stay_days,glucose,readmitted"
    budget = json.loads((d / "b.json").read_text(encoding="utf-8"))["privacy_budget"]
    assert budget["epsilon"] == 3.0
    assert budget["preprocessing_share"] == 0.0
    assert budget["identifiers_dropped"] == ["patient_id"]
    from evident.audit import open_store

    with open_store() as store:
        (summary,) = store.list_runs(limit=5)
        run = store.get_run(summary.run_id).run
    assert run.task == "synth_table"
    assert run.params["privacy_budget"]["epsilon"] == 3.0
    capsys.readouterr()
    target = ["--target", "readmitted", "--positive", "yes", "--columns", spec]
    tables = ["--real", train, "--synthetic", syn, "--holdout", hold]
    assert main(["synth", "report", *tables, *target, "--format", "json", "--sample", "200"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert 0 < result["fidelity"]["quality"] <= 100
    assert 0.5 < result["utility"]["trtr_auroc"] <= 1
    assert result["privacy"]["ratio"] > 0
    assert set(result["meaning"]) == {
        "fidelity",
        "utility",
        "privacy",
        "linkability",
        "not measured",
    }
    assert result["not_measured"] == []
    assert 0 <= result["linkability"]["risk"] <= 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--epsilon", "1"], "column 'glucose' is numeric"),
        (["--epsilon", "0"], "Invalid value for '--epsilon'"),
    ],
)
def test_refusals(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    out = files["dir"] / "syn.csv"
    assert main(["synth", "table", str(files["real"]), *argv, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_spec_draft_then_html_report(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    d = files["dir"]
    assert main(["synth", "spec", str(files["real"]), "--out", str(d / "draft.yaml")]) == 0
    text = (d / "draft.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Drafted from the data")
    drafted: dict[str, Any] = yaml.safe_load(text)
    assert drafted["columns"]["patient_id"] == {"type": "identifier"}
    real = str(files["real"])
    assert main(["synth", "report", "--real", real, "--synthetic", real, "--format", "html",
                 "--sample", "100", "--out", str(d / "r.html")]) == 0  # fmt: skip
    page = (d / "r.html").read_text(encoding="utf-8")
    assert "<h2>Fidelity</h2>" in page
    assert "data:image/png;base64," in page


@pytest.mark.parametrize(
    ("model", "share", "message"),
    [
        ("logistic", "1.5", "would leave nothing or spend more than the budget"),
        ("logistic", "0", "would leave nothing"),
        ("bayes", "1", "would leave nothing or spend more than the budget"),
    ],
)
def test_an_overspending_target_share_is_refused(
    files: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    model: str,
    share: str,
    message: str,
) -> None:
    out = files["dir"] / "syn.csv"
    argv = ["--epsilon", "1", "--columns", str(files["spec"]), "--target", "readmitted"]
    argv += ["--target-model", model, "--target-share", share, "--out", str(out)]
    assert main(["synth", "table", str(files["real"]), *argv]) == 2
    (error,) = [line for line in capsys.readouterr().err.splitlines() if "error" in line]
    assert message in error
    assert not out.exists()


_HEAD = "sex,age_band,readmitted\n"
_ROWS = "".join(f"{'FM'[i % 2]},{('18-39', '65+')[i % 3 == 0]},{('no', 'yes')[i % 4 == 0]}\n"
                for i in range(40))  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_HEAD, "has no rows"),
        ("sex,sex,readmitted\n" + _ROWS, "column 'sex' appears twice"),
        ("\ufeffsex,sex,readmitted\nJohn Zyxwv,F,no\n", "column 'sex' appears twice"),
        (b"\xff\xfe\x00J\x00o\x00h\x00n", "cannot read 'in.csv' as CSV"),
    ],
)
@pytest.mark.parametrize("command", ["spec", "table", "split", "report"])
def test_unusable_csv_is_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str | bytes,
    message: str,
    command: str,
) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    out = str(tmp_path / "out")
    argv = {
        "spec": [str(path), "--out", out],
        "table": [str(path), "--epsilon", "1", "--out", out, "--no-audit"],
        "split": [str(path), "--train-out", out, "--holdout-out", out + "2"],
        "report": ["--real", str(path), "--synthetic", str(path)],
    }[command]
    assert main(["synth", command, *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and "Zyxwv" not in err


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_spec_reads_other_delimiters(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "in.csv"
    path.write_text((_HEAD + _ROWS).replace(",", delimiter), encoding="utf-8")
    assert main(["synth", "spec", str(path), "--out", str(tmp_path / "s.yaml")]) == 0
    drafted = yaml.safe_load((tmp_path / "s.yaml").read_text(encoding="utf-8"))
    assert list(drafted["columns"]) == ["sex", "age_band", "readmitted"]


def test_split_without_a_group_column(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(_HEAD + _ROWS, encoding="utf-8")
    train, hold = tmp_path / "t.csv", tmp_path / "h.csv"
    argv = ["synth", "split", str(path), "--train-out", str(train), "--holdout-out", str(hold)]
    assert main(argv) == 0
    lines = [len(p.read_text(encoding="utf-8").splitlines()) - 1 for p in (train, hold)]
    assert sum(lines) == 40 and all(lines)


@pytest.mark.parametrize(
    ("synthetic", "message"),
    [
        ("sexe,âge\nF,65+\n" * 1, "shares no column with the real table"),
        ("sex,age_band,readmitted,extra\nF,65+,no,x\n", "column 'extra', which the real"),
    ],
)
def test_report_on_tables_that_do_not_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], synthetic: str, message: str
) -> None:
    real, syn = tmp_path / "real.csv", tmp_path / "syn.csv"
    real.write_text(_HEAD + _ROWS, encoding="utf-8")
    syn.write_text(synthetic, encoding="utf-8")
    argv = ["synth", "report", "--real", str(real), "--synthetic", str(syn), "--sample", "100"]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def _strict(text: str) -> Any:
    def refuse(name: str) -> None:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def test_report_json_is_valid_json_when_a_score_is_undefined(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # One column: SDMetrics has no column pair to score, so that property is undefined.
    real = tmp_path / "real.csv"
    real.write_text("sex\n" + "F\nM\n" * 20, encoding="utf-8")
    argv = ["synth", "report", "--real", str(real), "--synthetic", str(real), "--sample", "100"]
    assert main([*argv, "--format", "json"]) == 0
    result = _strict(capsys.readouterr().out)
    assert result["fidelity"]["properties"]["Column Pair Trends"] is None
    assert result["not_measured"] == [
        "utility and privacy: need --holdout (real rows the synthesizer never saw)"
        " and --target for utility"
    ]


@pytest.mark.parametrize(
    ("sex", "scored"),
    [
        (["F", "M"] * 40, 0),  # no association: SDMetrics scores no pair
        (["F"] * 40 + ["M"] * 40, 1),  # sex decides the outcome: the pair is scored
    ],
)
def test_report_says_how_many_pairs_were_scored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sex: list[str], scored: int
) -> None:
    real = tmp_path / "real.csv"
    rows = [f"{s},{'yes' if i < 40 else 'no'}" for i, s in enumerate(sex)]
    real.write_text("sex,outcome\n" + "\n".join(rows) + "\n", encoding="utf-8")
    argv = ["synth", "report", "--real", str(real), "--synthetic", str(real), "--sample", "100"]
    assert main([*argv, "--format", "json"]) == 0
    fidelity = _strict(capsys.readouterr().out)["fidelity"]
    assert (fidelity["pairs_scored"], fidelity["pairs"]) == (scored, 1)
    assert ("note" in fidelity) is (scored == 0)
    assert main([*argv, "--target", "outcome"]) == 0
    text = capsys.readouterr().out
    assert ("not scored (0 of 1 pairs scored)" in text) is (scored == 0)
    assert "NOT MEASURED" in text and "need --holdout" in text


@pytest.mark.parametrize(
    "argv",
    [
        ["spec", "IN", "--out", "NOWHERE"],
        ["split", "IN", "--train-out", "NOWHERE", "--holdout-out", "h.csv"],
        ["table", "IN", "--epsilon", "1", "--out", "NOWHERE", "--no-audit"],
        ["table", "IN", "--epsilon", "1", "--out", "s.csv", "--report", "NOWHERE"],
        ["report", "--real", "IN", "--synthetic", "IN", "--out", "NOWHERE"],
    ],
)
def test_output_in_a_missing_folder_is_refused_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    path = tmp_path / "in.csv"
    path.write_text(_HEAD + _ROWS, encoding="utf-8")
    where = {"IN": str(path), "NOWHERE": str(tmp_path / "no" / "out")}
    args = [where.get(a, str(tmp_path / a) if a.endswith(".csv") else a) for a in argv]
    assert main(["synth", *args]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == [path]  # nothing was written, no work was done


def test_mwem_on_a_wide_table_is_refused_before_it_starts(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    wide = {"columns": dict(SPEC["columns"])}
    for name in ("stay_days", "glucose"):  # 3 x 2 x 200 x 201 x 2 = 482,400 cells
        wide["columns"][name] = {**SPEC["columns"][name], "bins": 200}
    spec = files["dir"] / "wide.yaml"
    spec.write_text(yaml.safe_dump(wide), encoding="utf-8")
    argv = ["synth", "table", str(files["real"]), "--epsilon", "1", "--synthesizer", "mwem"]
    assert main([*argv, "--columns", str(spec), "--out", str(files["dir"] / "s.csv")]) != 0
    err = capsys.readouterr().err
    assert "482,400 cells" in err and "minutes of CPU" in err
    assert "synthesising" not in err
    assert not (files["dir"] / "s.csv").exists()
