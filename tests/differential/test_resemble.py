"""The must-not-miss flag's bridge arm: emergencies the case resembles, and its cutoff."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from evident.tasks.differential import dense, read_case, run_offline
from evident.tasks.differential.engine import EngineConfig
from evident.tasks.differential.mustnotmiss import emergencies
from evident.tasks.differential.resemble import (
    Sample,
    choose_top,
    emergency_text,
    nearer_counts,
    outcome,
    resembling,
)
from evident.tasks.differential.table import Table

from .conftest import condition

NAMES = [e.name for e in emergencies()]
PE = NAMES.index("Pulmonary embolism")
ECTOPIC = NAMES.index("Ectopic pregnancy")


class AxisProfiles:
    """Three table conditions on axes 0-2, the case similar to them by 0.9, 0.5 and 0.1;
    every emergency on axis 3 (unlike the case) except pulmonary embolism, whose
    similarity to the case is ``pe_similarity``."""

    def __init__(self, pe_similarity: float) -> None:
        self.matrix = np.eye(4, dtype=np.float32)[:3]
        self.pe = pe_similarity

    def case_vector(self, text: str) -> np.ndarray:
        return np.array([0.9, 0.5, 0.1, 0.0], dtype=np.float32)

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.tile(np.array([0.0, 0.0, 0.0, 1.0], dtype=np.float32), (len(texts), 1))
        for i, text in enumerate(texts):
            if text.startswith("Pulmonary embolism:"):
                out[i] = [self.pe / 0.9, 0.0, 0.0, 0.0]
        return out


@pytest.fixture()
def three() -> Table:
    return Table.of(
        [
            condition("Bronchitis", {"cough": 0.6, "sputum": 0.4}),
            condition("Panic attack", {"palpitations": 0.6, "anxiety": 0.5}),
            condition("Rib fracture", {"chest wall pain": 0.7}),
        ]
    )


def test_emergency_text_is_its_name_and_terms() -> None:
    e = emergencies()[PE]
    text = emergency_text(e)
    assert text.startswith("Pulmonary embolism: ")
    assert all(t in text for t in e.terms) and len(set(e.terms)) == len(e.terms)


@pytest.mark.parametrize(
    ("pe_similarity", "nearer"),
    [(1.0, 0), (0.7, 1), (0.3, 2), (0.05, 3)],
)
def test_nearer_counts_rank_an_emergency_among_the_table(
    monkeypatch: pytest.MonkeyPatch, pe_similarity: float, nearer: int
) -> None:
    monkeypatch.setattr("evident.tasks.differential.resemble._VECTORS", {})
    profiles = AxisProfiles(pe_similarity)
    case = read_case("A 30 year old man, unwell since this morning.")
    vec = profiles.case_vector(case.text)
    counts = nearer_counts(case, vec, profiles.matrix @ vec, profiles)
    assert counts[PE] == nearer
    assert counts[ECTOPIC] is None  # a man: ruled out by sex, whatever its similarity
    assert all(n == 3 for k, n in enumerate(counts) if n is not None and k != PE)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("A man with sudden breathlessness on the stairs.", {"sudden"}),
        ("Chief complaint: feeling odd.\nA man who feels odd since lunch.", {"odd"}),
    ],
)
def test_resembling_quotes_the_case(text: str, quoted: set[str]) -> None:
    case = read_case(text)
    counts: list[int | None] = [None] * len(NAMES)
    counts[PE] = 0
    found = resembling(case, counts, top=1)
    assert [e.name for e, _ in found] == ["Pulmonary embolism"]
    mentions = found[0][1]
    assert {case.text[m.start : m.end].lower() for m in mentions} & quoted
    assert resembling(case, counts, top=0) == []
    assert resembling(case, counts, top=1, skip={"Pulmonary embolism"}) == []


@pytest.mark.parametrize(
    ("pe_similarity", "top", "flagged"),
    [(0.7, 2, True), (0.7, 1, False), (0.7, 0, False), (0.05, 3, False)],
)
def test_engine_flags_a_resembled_emergency(
    monkeypatch: pytest.MonkeyPatch, three: Table, pe_similarity: float, top: int, flagged: bool
) -> None:
    monkeypatch.setattr("evident.tasks.differential.resemble._VECTORS", {})
    profiles = AxisProfiles(pe_similarity)
    monkeypatch.setattr(dense, "profiles_for", lambda table: profiles)
    case = read_case("A 30 year old man who feels unwell and tired since this morning.")
    cfg = replace(EngineConfig(), dense_candidates=3, mnm_top=top)
    diff = run_offline(case, three, 3, cfg, embeddings=True)
    red = [f.diagnosis for f in diff.red_flags]
    assert ("Pulmonary embolism" in red) is flagged
    extra = [c for c in diff.differential if c.diagnosis == "Pulmonary embolism"]
    assert bool(extra) is flagged and all(c.must_not_miss and c.rank > 3 for c in extra)
    assert all(c.quote in case.text for f in diff.red_flags for c in f.supporting)


def _s(key: str, truth: int | None, rules: set[int], counts: dict[int, int]) -> Sample:
    row: list[int | None] = [50] * 4
    for k, n in counts.items():
        row[k] = n
    return Sample(key, truth, frozenset(rules), tuple(row))


@pytest.mark.parametrize(
    ("sample", "top", "expected"),
    [
        (_s("a", 0, {0}, {}), 0, (False, False)),  # the rules flag it
        (_s("a", 0, set(), {0: 3}), 3, (True, False)),  # three conditions nearer: not < 3
        (_s("a", 0, set(), {0: 3}), 4, (False, False)),
        (_s("a", 0, {1}, {}), 5, (True, False)),  # another emergency flagged: still missed
        (_s("b", None, set(), {2: 1}), 1, (False, False)),
        (_s("b", None, set(), {2: 1}), 2, (False, True)),
        (_s("b", None, {3}, {}), 0, (False, True)),
    ],
)
def test_outcome(sample: Sample, top: int, expected: tuple[bool, bool]) -> None:
    assert outcome(sample, top) == expected


@pytest.mark.parametrize(
    ("miss_cost", "top"),
    [
        (0.0, 0),  # misses cost nothing: the arm stays off
        (0.4, 2),  # one miss caught without a false alarm
        (1.2, 3),  # the second for one false alarm
        (10.0, 7),  # the third for two more
    ],
)
def test_choose_top_weighs_misses_against_false_alarms(miss_cost: float, top: int) -> None:
    samples = [
        _s("e1", 0, set(), {0: 1}),
        _s("e2", 1, set(), {1: 2}),
        _s("e3", 2, set(), {2: 6}),
        _s("e4", 3, {3}, {}),
        _s("o1", None, set(), {0: 2}),
        _s("o2", None, set(), {1: 5}),
        _s("o3", None, set(), {2: 6}),
        _s("o4", None, set(), {}),
    ]
    choice = choose_top(samples, miss_cost, folds=2, limit=10)
    assert choice.top == top
    assert (choice.emergencies, choice.others) == (4, 4)
    assert len(choice.folds) == 2
    assert 0 <= choice.missed <= 3 and 0 <= choice.false_alarms <= 4
