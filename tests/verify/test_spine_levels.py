"""Spinal levels are identifiers, like sides: a level of the same region that shares no
vertebra with the source's conflicts; a level the source never gives (or gives in part,
or only another region's) counts for nothing, since it may be said in words the reader
does not take for a level; written ("L4-L5", "c5-6", "c56") or spoken ("l four five", "l
four l five"), and never read as quantities ("l four" is no 4 litres). Thoracic and
sacral levels only in a range ("T4" is a thyroid hormone, "S1" a heart sound). Every
sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify.facts import analyze
from evident.verify.spine_levels import level_facts

from .conftest import verdict


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("midline tenderness at the l4 l5 disk space", ["L4-L5"]),
        ("herniation at l5-s1", ["L5-S1"]),
        ("degeneration at c56 and to a lesser extent c45", ["C5-C6", "C4-C5"]),
        ("c5-6 and c6-7", ["C5-C6", "C6-C7"]),
        ("the mri shows a bulge at l 4 5", ["L4-L5"]),
        ("at the l 4 l 5 level", ["L4-L5"]),
        ("c7 t1 is hard to see", ["C7-T1"]),
        ("tenderness over l5", ["L5"]),
        ("normal s1 and s2 , free t4 normal", []),
        ("hepatitis c 2 years ago", []),
        ("give 2 l of fluid", []),
    ],
)
def test_reading_levels(text: str, keys: list[str]) -> None:
    assert [f.key for f in level_facts(text.split())[0]] == keys


def test_a_spoken_level_is_no_quantity() -> None:
    facts = analyze("the mri shows a bulge at l four five .").facts
    assert [f.key for f in facts if f.kind == "level"] == ["L4-L5"]
    assert not [f for f in facts if f.kind == "quantity"]


VISIT = """\
[doctor] so there is midline tenderness at the l4 l5 disk space .
[doctor] your neck x-ray shows some arthritis at c56 .
"""


@pytest.mark.parametrize(
    ("statement", "label", "reason"),
    [
        ("Midline tenderness at L4-L5.", "supported", ""),
        ("Tenderness at L4.", "supported", ""),
        ("Midline tenderness at L2-L3.", "contradicted", "transcript says L4-L5, note says L2-L3"),
        ("Cervical arthritis at C7-T1.", "contradicted", "transcript says C5-C6"),
        # sharing a vertebra, or another region's: no conflict
        ("Midline tenderness at L5-S1.", "not contradicted", ""),
        ("Thoracic tenderness at T11-T12.", "not contradicted", ""),
    ],
)
def test_levels_against_the_source(statement: str, label: str, reason: str) -> None:
    got, why = verdict(VISIT, statement)
    assert got != "contradicted" if label == "not contradicted" else got == label
    assert reason in why
