"""The support model's polarity without a parse: how a source says each word (a NegEx
window, a question answered no or yes) and how much of a statement it says only the other
way round. Every sentence is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify._support_polarity import polarity_mismatch, said_ways
from evident.verify.index import SourceIndex
from tests.verify.conftest import make_transcript

VISIT = (
    "[doctor] any chest pain ?\n"
    "[patient] no .\n"
    "[doctor] any cough ?\n"
    "[patient] yes , a dry cough at night .\n"
    "[doctor] any fever ?\n"
    "[patient] i took my temperature yesterday .\n"
    "[patient] my knee is swollen but there is no redness .\n"
    "[doctor] your wrist looks bruised . what about headaches ? any dizziness ?\n"
    "[patient] no .\n"
)


@pytest.fixture(scope="module")
def ways() -> tuple[frozenset[str], frozenset[str]]:
    return said_ways(SourceIndex([make_transcript(VISIT)]))


@pytest.mark.parametrize(
    ("stem", "affirmed", "negated"),
    [
        ("chest", False, True),  # a question answered no
        ("cough", True, False),  # answered yes, and said in the answer
        ("fever", False, False),  # a question answered neither way
        ("swell", True, False),  # "swollen", read as its finding's name
        ("erythema", False, True),  # "redness", in a negation's window
        # a turn's last question is what the answer answers; its earlier sentences are
        # said, its earlier questions neither
        ("dizzi", False, True),
        ("bruis", True, False),
        ("headach", False, False),
    ],
)
def test_said_ways(
    ways: tuple[frozenset[str], frozenset[str]], stem: str, affirmed: bool, negated: bool
) -> None:
    said, denied = ways
    assert (
        any(s.startswith(stem[:4]) for s in said),
        any(s.startswith(stem[:4]) for s in denied),
    ) == (
        affirmed,
        negated,
    )


@pytest.mark.parametrize(
    ("statement", "low", "high"),
    [
        ("Denies chest pain.", 0.0, 0.0),
        ("Reports chest pain.", 0.99, 1.0),
        ("Dry cough at night.", 0.0, 0.0),
        ("No cough.", 0.99, 1.0),
        ("Knee swollen without redness.", 0.0, 0.0),
        ("Knee swollen with redness.", 0.3, 0.7),
        ("Reports fever.", 0.0, 0.0),  # the source says fever neither way
        ("Broken wrist.", 0.0, 0.0),  # nothing of it in the source
        # negated twice: affirmed
        ("There is not no cough.", 0.0, 0.0),
        ("There is not no chest pain.", 0.99, 1.0),
    ],
)
def test_polarity_mismatch(
    ways: tuple[frozenset[str], frozenset[str]], statement: str, low: float, high: float
) -> None:
    assert low <= polarity_mismatch(statement, ways) <= high
