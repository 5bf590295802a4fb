"""Drinks counted ("two drinks", "a couple of drinks") are standard drinks: alcohol use,
as "a drink" is; drinks of something else are not. Every sentence here is written for
these tests."""

from __future__ import annotations

import pytest

from evident.verify.facts import analyze

from .conftest import verdict


@pytest.mark.parametrize(
    ("text", "alcohol"),
    [
        ("I only had two drinks.", True),
        ("A couple of drinks on the weekend.", True),
        ("Maybe a few drinks a week.", True),
        ("I have a drink with dinner.", True),
        ("She drinks water all day.", False),
        ("Two drinks of water.", False),
        ("The drinks at the party were sweet.", False),
    ],
)
def test_counted_drinks(text: str, alcohol: bool) -> None:
    keys = {f.key for f in analyze(text).facts if f.kind == "finding"}
    assert ("alcohol use" in keys) == alcohol


def test_counted_drinks_bear_out_alcohol_use() -> None:
    visit = "Doctor: What did you have last night?\nPatient: I only had two drinks.\n"
    got, reason = verdict(visit, "He drank alcohol last night.")
    assert got == "supported", reason
