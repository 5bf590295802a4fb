"""The statistical recall layer: spaCy NER unioned with the rules, filtered by clinical lists."""

from __future__ import annotations

import pytest

from evident.privacy import Detector
from evident.privacy._statistical import clinical_words, ner_spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "He met Ana Lucia Ferreira in Kalamazoo last year.",
            [("Ana Lucia Ferreira", "NAME"), ("Kalamazoo", "CITY")],
        ),
        ("Kwaku Mensah was admitted overnight.", [("Kwaku Mensah", "NAME")]),
        (
            "Seen at Riverbend Medical Group for dialysis.",
            [("Riverbend Medical Group", "HOSPITAL")],
        ),
        ("Started Lisinopril and Metformin. Plan: Physical Exam normal.", []),
        ("She has Parkinson's disease.", []),
        ("HISTORY OF PRESENT ILLNESS", []),
        ("Tylenol helps. Advil too.", []),
    ],
)
def test_ner_spans_are_filtered(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(s.text, s.type) for s in ner_spans(text)] == expected


@pytest.mark.parametrize("word", ["lisinopril", "knee", "chest pain", "assessment", "mrn"])
def test_clinical_words_come_from_the_data_files(word: str) -> None:
    assert word in clinical_words()


def test_layer_is_unioned_with_rules() -> None:
    text = "He met Ana Lucia Ferreira in Kalamazoo last year. MRN: 00482913."
    rules = {(s.text, s.type) for s in Detector.create(ner=False).detect(text)}
    both = {(s.text, s.type) for s in Detector.create(ner=True).detect(text)}
    assert ("00482913", "MRN") in rules and ("00482913", "MRN") in both
    assert ("Ana Lucia Ferreira", "NAME") in both


def test_long_text_is_read_in_blocks() -> None:
    text = ("The knee is better.\n" * 1100) + "He met Ana Lucia Ferreira in Kalamazoo last year.\n"
    assert ("Ana Lucia Ferreira", "NAME") in [(s.text, s.type) for s in ner_spans(text)]
