"""A hyphenated word the parser's tokenizer splits ("x", "-", "ray") is one word to the
claim readers, as to the word readers: "no x-ray needed" denies the x-ray, not an "x".
Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify.polarity import claims_of

from .conftest import verdict

VISIT = (
    "Doctor: Do you think I need an x-ray?\n"
    "Doctor: I don't think you need an x-ray. It looks like a sprain.\n"
    "Patient: Okay.\n"
)


@pytest.mark.parametrize(
    ("text", "core"),
    [
        ("No x-ray needed.", {"xray"}),
        ("There was no x-ray taken.", {"xray"}),
    ],
)
def test_hyphenated_word_is_one_stem(text: str, core: set[str]) -> None:
    claims = claims_of([text])[text]
    assert any(core <= c.core and c.negated for c in claims), [(c.phrase, c.core) for c in claims]


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("No x-ray needed.", "supported"),
        ("An x-ray is not needed.", "supported"),
    ],
)
def test_hyphenated_denial_borne_out(statement: str, label: str) -> None:
    got, reason = verdict(VISIT, statement)
    assert got == label, reason
