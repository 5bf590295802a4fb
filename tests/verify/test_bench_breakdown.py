"""``evident bench verify-breakdown``: flagged clean statements counted by decider and by
why the wording did not carry them, on the development half only."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from evident.cli.main import main
from evident.verify.bench import Encounter
from evident.verify.bench_breakdown import breakdown, wording_class
from evident.verify.options import VerifyOptions
from evident.verify.support_model import FEATURES
from tests.verify.test_bench_general import ENCOUNTERS

NAMED = "no source mentions gout"
NONE = "no source segment carries this content"


def _x(top3: float, window: float, whole: float) -> tuple[float, ...]:
    x = dict.fromkeys(FEATURES, 0.0) | {"cov_top3": top3, "cov_window": window, "cov_all": whole}
    return tuple(x[f] for f in FEATURES)


@pytest.mark.parametrize(
    ("x", "reason", "expect"),
    [
        (_x(0.1, 0.1, 0.1), NAMED, "a named fact not found"),
        (_x(0.5, 0.5, 0.5), NONE, "covered, but below the threshold after blending"),
        (_x(0.2, 0.6, 0.6), NONE, "spread over neighbouring turns"),
        (_x(0.2, 0.3, 0.7), NONE, "words elsewhere in the dialogue"),
        (_x(0.2, 0.3, 0.3), NONE, "the dialogue lacks the words"),
    ],
)
def test_wording_class(x: tuple[float, ...], reason: str, expect: str) -> None:
    assert wording_class(x, reason, 0.4) == expect


def test_counts_the_development_half_only() -> None:
    encounters = [Encounter(*e) for e in ENCOUNTERS]  # two dev, one test
    out = breakdown(encounters, VerifyOptions())
    assert out.encounters == 2
    assert out.clinical > 0
    assert sum(out.by_reason.values()) <= sum(out.by_decider.values()) <= out.clinical


@pytest.mark.parametrize(("rows", "rc"), [(ENCOUNTERS, 0), (ENCOUNTERS[2:], 2)])
def test_cli(tmp_path: Path, rows: list[tuple[str, str, str]], rc: int) -> None:
    data = tmp_path / "tiny.csv"
    with data.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["dataset", "encounter_id", "dialogue", "note"])
        w.writerows(["tiny", *e] for e in rows)
    assert main(["bench", "verify-breakdown", "--data", str(data)]) == rc
