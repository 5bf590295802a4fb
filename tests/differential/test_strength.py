"""The must-not-miss flag's evidence: specific terms, denied findings, resemblance, cutoff."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from evident.tasks.differential import read_case, run_offline
from evident.tasks.differential.mustnotmiss import emergencies, fitting
from evident.tasks.differential.ranker import learned_config
from evident.tasks.differential.strength import (
    Sample,
    choose_cutoff,
    outcome,
    specificity,
    strengths,
    strong,
    term_evidence,
)
from evident.tasks.differential.table import Table, shipped_table

from .conftest import condition

NAMES = [e.name for e in emergencies()]
PE = NAMES.index("Pulmonary embolism")
CUTOFF = 6.0  # between one loose term (about 3-5) and a fitting presentation (about 14)


@pytest.mark.parametrize(
    ("text", "emergency", "flagged"),
    [
        ("A 40 year old woman, suddenly short of breath, coughing up blood.", "Pulmonary", True),
        ("A 56 year old man, sudden tearing chest pain radiating to the back.", "Aortic", True),
        (
            "A 30 year old man with fever, headache and a stiff neck; light hurts his eyes.",
            "Meningitis",
            True,
        ),
        # One loose term fits the presentation, but is found in hundreds of conditions.
        ("A 30 year old woman, tired and short of breath on the stairs.", "Pulmonary", False),
        ("A 56 year old man with chest pain.", "Acute coronary", False),
        # The key findings denied.
        (
            "A 30 year old man with fever and a headache. No stiff neck, no rash, "
            "light does not bother him.",
            "Meningitis",
            False,
        ),
        (
            "A 60 year old man, short of breath. He has no chest pain, no cough and has "
            "not coughed up blood.",
            "Pulmonary",
            False,
        ),
    ],
)
def test_only_strong_evidence_flags_a_fitting_presentation(
    text: str, emergency: str, flagged: bool
) -> None:
    case = read_case(text)
    fits = fitting(case)
    assert any(e.name.startswith(emergency) for e, _ in fits)  # the presentation fits
    found = [e.name for e, _ in strong(case, shipped_table(), fits, None, CUTOFF)]
    assert any(n.startswith(emergency) for n in found) is flagged, found


def _table() -> Table:
    common = {"dyspnea": 0.5, "fatigue": 0.5}
    return Table.of(
        [
            condition("Asthma", {**common, "wheezing": 0.5}),
            condition("Anaemia", common),
            condition("Heart failure", {**common, "swelling": 0.4}),
            condition("Lung cancer", {**common, "hemoptysis": 0.6}),
        ]
    )


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        # One phrase counts once, by its most specific term ('breath' is in no condition).
        ("A woman, short of breath.", ["breath"]),
        ("A woman, short of breath, coughing up blood.", ["breath", "hemoptysis"]),
        ("A woman, short of breath. No chest pain.", ["breath", "-chest pain"]),
        ("A woman, tired.", []),  # fatigue is not a term of pulmonary embolism
    ],
)
def test_term_evidence_weighs_phrases_by_specificity(text: str, terms: list[str]) -> None:
    table = _table()
    e = emergencies()[PE]
    expected = sum(
        -specificity(t[1:], table) if t.startswith("-") else specificity(t, table) for t in terms
    )
    assert term_evidence(e, read_case(text), table) == pytest.approx(expected)


def test_specificity_is_rarity_in_the_table() -> None:
    table = _table()
    assert specificity("dyspnea", table) == pytest.approx(math.log(2))  # in all four
    assert specificity("hemoptysis", table) == pytest.approx(math.log(5))  # in one
    assert specificity("unheard of", table) == pytest.approx(math.log(5))  # as if in one


@pytest.mark.parametrize(
    ("nearer", "added"), [(0, math.log(5)), (1, math.log(3)), (3, math.log(2))]
)
def test_resemblance_adds_evidence_and_weighs_every_emergency(nearer: int, added: float) -> None:
    table = _table()
    case = read_case("A 30 year old woman, short of breath, coughing up blood.")
    counts: list[int | None] = [None] * len(NAMES)
    counts[PE] = nearer
    alone = strengths(case, table, [])
    assert alone == {}  # without fits or the bridge nothing is weighed
    with_bridge = strengths(case, table, [], counts)
    assert set(with_bridge) == {PE}  # None counts: ruled out (or not placed)
    base = term_evidence(emergencies()[PE], case, table)
    assert with_bridge[PE] == pytest.approx(base + added)


@pytest.mark.parametrize(
    ("text", "loose"),
    [
        ("A 30 year old woman, tired and short of breath on the stairs.", "Pulmonary"),
        (
            "A 30 year old man with fever and a headache. No stiff neck, no rash, "
            "light does not bother him.",
            "Meningitis",
        ),
    ],
)
def test_the_engine_applies_the_cutoff(text: str, loose: str) -> None:
    table = shipped_table()
    case = read_case(text)
    cfg = learned_config(False)
    before = run_offline(case, table, 10, replace(cfg, mnm_cutoff=None))
    after = run_offline(case, table, 10, replace(cfg, mnm_cutoff=CUTOFF))
    assert any(f.diagnosis.startswith(loose) for f in before.red_flags)
    assert not any(f.diagnosis.startswith(loose) for f in after.red_flags)
    assert [c.diagnosis for c in before.differential[:10]] == [
        c.diagnosis for c in after.differential[:10]
    ]


def _s(key: str, truth: int | None, **strength: float) -> Sample:
    return Sample(key, truth, {int(k[1:]): v for k, v in strength.items()})


@pytest.mark.parametrize(
    ("sample", "cutoff", "expected"),
    [
        (_s("a", 0, e0=5.0), 5.0, (False, False)),  # reaching the cutoff flags
        (_s("a", 0, e0=4.9), 5.0, (True, False)),
        (_s("a", 0, e1=9.0), 5.0, (True, False)),  # another emergency flagged: still missed
        (_s("b", None, e2=4.0), 5.0, (False, False)),
        (_s("b", None, e2=4.0, e3=6.0), 5.0, (False, True)),
        (_s("b", None), -math.inf, (False, False)),
    ],
)
def test_outcome(sample: Sample, cutoff: float, expected: tuple[bool, bool]) -> None:
    assert outcome(sample, cutoff) == expected


SAMPLES = [
    _s("e1", 0, e0=9.0),
    _s("e2", 1, e1=8.0),
    _s("e3", 2, e2=3.0),
    _s("e4", 3, e3=2.0),
    _s("o1", None, e0=7.0),
    _s("o2", None, e1=6.0),
    _s("o3", None, e2=2.5),
    _s("o4", None, e3=1.0),
    _s("o5", None, e2=2.2),
    _s("o6", None, e1=2.1),
]


@pytest.mark.parametrize(
    ("miss_cost", "min_flagged", "cutoff"),
    [
        (0.0, 0.0, 8.0),  # misses cost nothing: the lowest cutoff without a false alarm
        (2.5, 0.0, 3.0),  # the third emergency for two false alarms
        (10.0, 0.0, 2.0),  # the fourth for three more
        (0.0, 0.75, 3.0),  # three of the four must be flagged, whatever the cost
        (0.0, 1.0, 2.0),  # all of them
    ],
)
def test_choose_cutoff_weighs_misses_against_false_alarms(
    miss_cost: float, min_flagged: float, cutoff: float
) -> None:
    choice = choose_cutoff(SAMPLES, miss_cost, folds=2, min_flagged=min_flagged)
    assert choice.cutoff == cutoff
    assert (choice.emergencies, choice.others) == (4, 6) and len(choice.folds) == 2
    assert 0 <= choice.missed <= 4 and 0 <= choice.false_alarms <= 6
