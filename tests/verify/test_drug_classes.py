"""A drug class as a note names it ("antibiotics", "a statin", "blood thinners") is
borne out by any drug of that class or of a narrower one the source names
(``medications.json``'s ``classes``); a class the source names no drug of is left to
the wording (the source may name its drug in words no table holds), and a drug named in
the draft covers its classes for omissions. Every conversation here is written for
these tests."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from evident.verify import verify
from evident.verify._resources import _MedFile
from evident.verify.drug_classes import broader, narrower

from .conftest import make_draft, make_transcript, verdict

VISIT = """\
[doctor] what did they give you at urgent care ?
[patient] they gave me amoxicillin . i also take lipitor for my cholesterol , eliquis \
for my heart rhythm and advil for my knee .
[doctor] okay .
"""


@pytest.mark.parametrize(
    ("statement", "label", "reason"),
    [
        ("She was given antibiotics at urgent care.", "supported", ""),
        ("She takes a statin.", "supported", ""),
        ("She takes cholesterol medication.", "supported", ""),  # statin within it
        ("She takes NSAIDs for her knee.", "supported", ""),
        ("She takes pain medication for her knee.", "supported", ""),  # NSAID within it
        ("She is on a blood thinner.", "supported", ""),  # anticoagulant within it
        # no drug of the class: left to the wording, never supported by the class
        ("She takes a beta blocker.", "unsupported", "drug of the class"),
    ],
)
def test_a_class_is_borne_out_by_its_drugs(statement: str, label: str, reason: str) -> None:
    got, why = verdict(VISIT, statement)
    assert got == label
    assert reason not in why or not reason  # a missing class is no reason of its own


@pytest.mark.parametrize(
    ("drug_class", "broader_classes", "narrower_classes"),
    [
        ("nsaid", {"nsaid", "analgesic"}, {"nsaid"}),
        ("analgesic", {"analgesic"}, {"analgesic", "nsaid", "opioid"}),
        ("ssri", {"ssri", "antidepressant"}, {"ssri"}),
        ("anticoagulant", {"anticoagulant", "antithrombotic"}, {"anticoagulant"}),
    ],
)
def test_class_hierarchy(
    drug_class: str, broader_classes: set[str], narrower_classes: set[str]
) -> None:
    assert broader(drug_class) == broader_classes
    assert narrower(drug_class) == narrower_classes


def test_an_undefined_broader_class_is_refused() -> None:
    with pytest.raises(ValidationError, match="undefined classes"):
        _MedFile.model_validate(
            {
                "version": 1,
                "medications": [],
                "classes": [{"name": "statin", "aliases": ["statin"], "within": ["lipid"]}],
            }
        )


def test_a_named_drug_covers_its_class_for_omissions() -> None:
    source = make_transcript(
        "[doctor] anything for the pain ?\n[patient] i take blood thinners , apixaban .\n"
    )
    draft = make_draft("She takes apixaban.")
    kinds = {o.kind for o in verify(draft, [source]).omissions}
    assert "medication" not in kinds
