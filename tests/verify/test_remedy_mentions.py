"""A finding that names a remedy or a service ("pain medication", "the flu vaccine") is
no claim either way, affirmed or denied; a finding after "prevent" is not claimed
either. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify.facts import analyze


def _findings(text: str) -> set[tuple[str, str]]:
    return {
        (f.key.partition("@")[0], f.polarity) for f in analyze(text).facts if f.kind == "finding"
    }


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # a denied act on the remedy denies nothing of the finding
        ("I did not take my pain medication this morning.", None, ("pain", "negated")),
        ("She didn't get the flu vaccine this year.", None, ("influenza", "negated")),
        ("He has not needed his seizure meds.", None, ("seizure", "negated")),
        # nor does taking it claim the finding
        ("She takes a pain pill at night.", None, ("pain", "affirmed")),
        # prevention claims nothing
        ("She uses condoms to prevent pregnancy.", None, ("pregnancy", "affirmed")),
        # a finding said plainly keeps its polarity
        ("I did not have any pain this morning.", ("pain", "negated"), None),
        ("The pain is worse at night.", ("pain", "affirmed"), None),
    ],
)
def test_remedies_claim_nothing(
    text: str, expected: tuple[str, str] | None, absent: tuple[str, str] | None
) -> None:
    got = _findings(text)
    if expected is not None:
        assert expected in got, got
    if absent is not None:
        assert absent not in got, got
