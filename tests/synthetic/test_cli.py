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
    assert set(result["meaning"]) == {"fidelity", "utility", "privacy", "linkability"}
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
