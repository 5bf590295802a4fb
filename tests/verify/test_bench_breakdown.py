"""``evident bench verify-breakdown``: flagged clean statements counted by decider and by
why the wording did not carry them, on the development half only."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from evident.cli.main import main
from evident.types import Source
from evident.verify.bench import Encounter
from evident.verify.bench_breakdown import (
    breakdown,
    item_breakdown,
    novelty,
    route,
    wording_class,
)
from evident.verify.index import SourceIndex
from evident.verify.options import VerifyOptions
from evident.verify.support_model import FEATURES, SourceTerms
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


@pytest.mark.parametrize(
    ("opened", "cutoff", "expect"),
    [
        (False, 2.0, "a checker: a conflict or a missing hard fact"),
        (True, 0.0, "carried by the soft checkers' agreements, whatever the score"),
        (True, 2.0, "capped: none of its facts found, whatever the score"),
        (True, 0.4, "the entailer's score"),
        (True, 1.0, "the entailer's score"),
    ],
)
def test_route(opened: bool, cutoff: float, expect: str) -> None:
    assert route(opened, cutoff) == expect


_SOURCE = (
    "[doctor] any trouble sleeping ?\n[patient] i wake up with heartburn most nights .\n"
    "[doctor] and the cough ?\n[patient] it got worse after the move .\n"
)


@pytest.mark.parametrize(
    ("original", "text", "expect"),
    [
        (
            "She reports heartburn at night.",
            "She reports gallstones at night.",
            "every new word absent from the source",
        ),
        (
            "She reports heartburn at night.",
            "She reports a cough at night.",
            "every new word elsewhere in the source",
        ),
        (
            "She reports heartburn at night.",
            "She reports sleeplessness at night.",
            "a stem prefix matches",
        ),
        (
            "She reports heartburn at night.",
            "She reports cough and gallstones at night.",
            "some new words in the source, at least one absent",
        ),
        (
            "She reports heartburn at night.",
            "She reports heartburn at night .",
            "no new content word",
        ),
    ],
)
def test_novelty(original: str, text: str, expect: str) -> None:
    from evident.sources import load_source

    src: Source = load_source(_SOURCE, kind="transcript", name="t")
    terms = SourceTerms.of(SourceIndex([src]))
    assert novelty(original, text, terms) == expect


def test_items_counted_on_the_development_half_only() -> None:
    encounters = [Encounter(*e) for e in ENCOUNTERS]  # two dev, one test
    dev = item_breakdown(encounters, VerifyOptions(), ("finding", "number"), per_type=1)
    assert set(dev.items) <= {"finding", "number"}
    for t, n in dev.items.items():
        passed = sum(c for (typ, _), c in dev.by_route.items() if typ == t)
        assert passed == n - dev.detected[t]
        assert passed == sum(c for (typ, _), c in dev.by_novelty.items() if typ == t)
    test_only = item_breakdown(encounters[2:], VerifyOptions(), ("finding",), per_type=1)
    assert not test_only.items


def test_counts_the_development_half_only() -> None:
    encounters = [Encounter(*e) for e in ENCOUNTERS]  # two dev, one test
    out = breakdown(encounters, VerifyOptions())
    assert out.encounters == 2
    assert out.clinical > 0
    assert sum(out.by_reason.values()) <= sum(out.by_decider.values()) <= out.clinical


@pytest.mark.parametrize(
    ("rows", "extra", "rc", "expect"),
    [
        (ENCOUNTERS, [], 0, "by what could have decided it"),
        (ENCOUNTERS, ["--items", "number"], 0, "number:"),
        (ENCOUNTERS, ["--items", "typo"], 2, "unknown error type 'typo'"),
        (ENCOUNTERS[2:], [], 2, "no development-half"),
    ],
)
def test_cli(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rows: list[tuple[str, str, str]],
    extra: list[str],
    rc: int,
    expect: str,
) -> None:
    data = tmp_path / "tiny.csv"
    with data.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["dataset", "encounter_id", "dialogue", "note"])
        w.writerows(["tiny", *e] for e in rows)
    assert main(["bench", "verify-breakdown", "--data", str(data), *extra]) == rc
    out = capsys.readouterr()
    assert expect in out.out + out.err
