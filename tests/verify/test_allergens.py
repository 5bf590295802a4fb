"""An allergy to a substance no drug lexicon holds ("allergic to sulfa", "Allergies:
latex") is an allergy fact: the source must name the substance, and a source that says
there are no known allergies contradicts it. Every sentence here is written for these
tests."""

from __future__ import annotations

import pytest

from evident.verify.facts import analyze

from .conftest import verdict


@pytest.mark.parametrize(
    ("text", "allergens"),
    [
        ("ALLERGIES: Sulfa (rash).", {"sulfa"}),
        ("Allergic to sulfa drugs.", {"sulfa"}),
        ("She is allergic to shellfish and latex.", {"shellfish", "latex"}),
        ("Allergies: Penicillin (hives).", {"penicillin"}),
        ("Allergic to sulfa, latex and shellfish.", {"sulfa", "latex", "shellfish"}),
        # a clause after the comma is no list item
        ("A severe allergic reaction to peanuts, manifesting as hives.", {"peanut"}),
        # denied, or a modifier before "allergy": no allergen fact
        ("No allergy to latex.", set()),
        ("She has fall allergies.", set()),
        ("No history of systemic allergy.", set()),
    ],
)
def test_allergen_facts(text: str, allergens: set[str]) -> None:
    keys = {f.key for f in analyze(text).facts if f.kind == "allergy" and f.key != "none"}
    assert keys == allergens


@pytest.mark.parametrize(
    ("answer", "statement", "label"),
    [
        ("Penicillin gives me hives.", "ALLERGIES: Sulfa (rash).", "unsupported"),
        ("Sulfa gives me a rash.", "ALLERGIES: Sulfa (rash).", "supported"),
        ("I'm allergic to latex.", "Allergic to latex.", "supported"),
        ("No known allergies.", "Allergic to latex.", "contradicted"),
        ("Penicillin gives me hives.", "Allergies: Penicillin (hives).", "supported"),
    ],
)
def test_allergen_verdicts(answer: str, statement: str, label: str) -> None:
    visit = f"Doctor: Any allergies?\nPatient: {answer}\nDoctor: Okay.\n"
    got, reason = verdict(visit, statement)
    assert got == label, reason
