"""The support threshold: how much of a statement's wording the source must carry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evident.cli.main import main
from evident.errors import ConfigError
from evident.verify import verify
from evident.verify.bench import Encounter, VerifyOptions, run_perturbations
from evident.verify.check import SUPPORT_THRESHOLD
from evident.verify.options import VerifyOptions as Options

from .conftest import TRANSCRIPT, make_draft, make_transcript

# Wording only, no clinical fact: judged on how much of it the source carries.
HALF_SAID = "She says it gets big after she walks."  # score ~0.45
LITTLE_SAID = "She walks her dog every morning before work."  # score ~0.26


def _label(statement: str, **kw: float) -> tuple[str, float]:
    report = verify(make_draft(statement), [make_transcript(TRANSCRIPT)], omissions=False, **kw)
    return report.verdicts[0].label, report.verdicts[0].score


def test_the_threshold_moves_wording_only_verdicts_both_ways() -> None:
    label, score = _label(HALF_SAID)
    assert label == "supported" and SUPPORT_THRESHOLD <= score < 0.6
    assert _label(HALF_SAID, support_threshold=0.6)[0] == "unsupported"
    label, score = _label(LITTLE_SAID)
    assert label == "unsupported" and 0.2 <= score < SUPPORT_THRESHOLD
    # the cost of a low threshold: a sentence the visit never carried passes
    assert _label(LITTLE_SAID, support_threshold=0.2)[0] == "supported"


@pytest.mark.parametrize("entailer", ["support", "lexical"])
@pytest.mark.parametrize(
    ("statement", "threshold", "label"),
    [
        # a missing or conflicting fact is flagged whatever the threshold
        ("She takes metformin every morning.", 0.05, "unsupported"),
        ("She has had no swelling.", 0.05, "contradicted"),
        ("She takes ibuprofen 800 mg twice a day.", 0.05, "contradicted"),
        # every fact found: supported at the entailer's own cutoff
        ("Her right knee has hurt for two weeks.", None, "supported"),
    ],
)
def test_a_missing_or_conflicting_fact_is_flagged_whatever_the_threshold(
    entailer: str, statement: str, threshold: float | None, label: str
) -> None:
    report = verify(
        make_draft(statement),
        [make_transcript(TRANSCRIPT)],
        options=Options(entailer=entailer, support_threshold=threshold, omissions=False),
    )
    assert report.verdicts[0].label == label


@pytest.mark.parametrize(
    ("entailer", "threshold", "label"),
    [
        # lexical: a share of the statement's word weight; all of it is in the visit
        ("lexical", 1.0, "supported"),
        # support: a probability, which the model never gives as 1
        ("support", 1.0, "unsupported"),
        ("support", None, "supported"),
        ("lexical", None, "supported"),
    ],
)
def test_the_threshold_is_the_entailers_score_cutoff(
    entailer: str, threshold: float | None, label: str
) -> None:
    """The same option means each entailer's own score; None is its own default."""
    from evident.verify.entail import cutoff_of, load_entailer

    assert cutoff_of(load_entailer(entailer)) == SUPPORT_THRESHOLD  # both calibrated at 0.4
    opts = Options(entailer=entailer, support_threshold=threshold, omissions=False)
    draft = make_draft("Her right knee has hurt for two weeks.")
    assert verify(draft, [make_transcript(TRANSCRIPT)], options=opts).verdicts[0].label == label


@pytest.mark.parametrize("bad", [0.0, -0.1, 1.5])
def test_a_threshold_outside_zero_one_is_a_config_error(bad: float) -> None:
    with pytest.raises(ConfigError, match="support threshold"):
        _label(HALF_SAID, support_threshold=bad)


def test_the_report_records_a_changed_threshold() -> None:
    src = [make_transcript(TRANSCRIPT)]
    assert verify(make_draft(HALF_SAID), src).verifier == "rules/2"
    changed = verify(make_draft(HALF_SAID), src, support_threshold=0.3).verifier
    assert changed == "rules/2+threshold:0.3"


def test_cli_threshold(tmp_path: Path, capsys) -> None:
    src = tmp_path / "visit.txt"
    src.write_text(TRANSCRIPT, encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text(f"Right knee pain for two weeks. {HALF_SAID}\n", encoding="utf-8")
    args = ["verify", "--source", str(src), "--draft", str(note), "--format", "json"]
    assert main([*args, "--support-threshold", "0.6"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["verdict"] for s in data["statements"]] == ["supported", "unsupported"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["verdict"] for s in data["statements"]] == ["supported", "supported"]
    assert main([*args, "--support-threshold", "0"]) == 2
    assert "0.0<x<=1.0" in capsys.readouterr().err


def test_cli_help_names_the_default(capsys) -> None:
    assert main(["verify", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert f"[default: the entailer's own, {SUPPORT_THRESHOLD:g} for both]" in text
    assert "'support' (the learned support model) [default]" in text


def test_bench_runs_at_the_threshold_given(tmp_path: Path, capsys) -> None:
    note = f"Right knee pain for two weeks. {HALF_SAID} She is allergic to penicillin.\n"
    enc = [Encounter("E1", TRANSCRIPT, note), Encounter("E2", TRANSCRIPT, note)]
    _, loose = list(run_perturbations(enc, per_kind=1))[-1]
    _, strict = list(run_perturbations(enc, 1, 13, VerifyOptions(support_threshold=0.6)))[-1]
    assert (loose.unsupported, strict.unsupported) == (0, 2)
    assert VerifyOptions(support_threshold=0.3).describe() == "rules, support threshold 0.3"
    assert VerifyOptions(embeddings=True).describe() == "rules + dense retrieval"
    assert VerifyOptions(entailer="lexical").describe() == "rules, entailer lexical"
    assert VerifyOptions(entailer="lexical").settings().entailer == "lexical"
    assert VerifyOptions().settings().entailer == "support"
