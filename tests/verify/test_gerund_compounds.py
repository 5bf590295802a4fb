"""A noun + gerund compound the parser splits into two list items ("... but no leg
swelling or calf pain": "leg" and "swelling" both conjuncts of what came before) is one
phrase: the "no" before the noun denies the whole phrase and the items after it, and
the noun alone is no affirmed claim. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify.polarity import claims_of

from .conftest import verdict


def _claims(text: str) -> dict[str, bool]:
    return {c.phrase: c.negated for c in claims_of([text])[text]}


@pytest.mark.parametrize(
    ("text", "denied", "affirmed"),
    [
        (
            "He has a chronic knee problem but no leg swelling or calf pain.",
            {"leg swelling", "calf pain"},
            {"chronic knee problem"},
        ),
        (
            "She has hip pain and no ankle swelling or redness.",
            {"ankle swelling", "redness"},
            {"hip pain"},
        ),
        ("He has knee pain but no leg swelling.", {"leg swelling"}, {"knee pain"}),
        # no compound to join: each item keeps its reading
        ("She reports fatigue but no night sweats.", {"night sweats"}, {"fatigue"}),
        ("She likes cooking, reading and dancing.", set(), {"cooking", "reading", "dancing"}),
    ],
)
def test_noun_gerund_compound_in_a_list(text: str, denied: set[str], affirmed: set[str]) -> None:
    claims = _claims(text)
    assert {p for p, neg in claims.items() if neg} == denied
    assert {p for p, neg in claims.items() if not neg} == affirmed


VISIT = """\
[doctor] are you bringing anything up when you cough , any swelling in your legs ?
[patient] yeah i have been coughing up some green phlegm .
[doctor] and any leg swelling or calf pain ?
[patient] my knee has been bad for years , but there is no swelling , it just hurts .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("He has a chronic knee problem but no leg swelling.", "supported"),
        ("He has a chronic knee problem and leg swelling.", "contradicted"),
    ],
)
def test_denied_compound_is_borne_out(statement: str, label: str) -> None:
    assert verdict(VISIT, statement)[0] == label
