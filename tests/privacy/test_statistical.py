"""The statistical recall layer: spaCy NER unioned with the rules, filtered by clinical lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evident import nlp
from evident.errors import ConfigError
from evident.privacy import Detector, PhiSpan, _statistical
from evident.privacy._statistical import clinical_words, ner_spans, trained_spans
from evident.privacy.detect import NER_MODELS, model_installed


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


@pytest.mark.parametrize(
    ("model", "text", "name"),
    [
        (
            "en_core_web_sm",
            "He met Ana Lucia Ferreira in Kalamazoo last year.",
            "Ana Lucia Ferreira",
        ),
        ("evident", "Electronically signed by Oluwaseun Brandvold, MD.", "Oluwaseun Brandvold"),
    ],
)
def test_layer_is_unioned_with_rules(model: str, text: str, name: str) -> None:
    text += " MRN: 00482913."
    rules = {(s.text, s.type) for s in Detector.create(ner=False).detect(text)}
    both = {(s.text, s.type) for s in Detector.create(ner=True, ner_model=model).detect(text)}
    assert ("00482913", "MRN") in rules and ("00482913", "MRN") in both
    assert (name, "NAME") in both


@pytest.mark.parametrize("model", NER_MODELS)
def test_a_span_only_the_model_finds_is_kept(monkeypatch: pytest.MonkeyPatch, model: str) -> None:
    text = "The knee of quoll varga is fine. MRN: 00482913."
    found = [PhiSpan(12, 23, "NAME", 0.6, "quoll varga")]
    name = "trained_spans" if model == "evident" else "ner_spans"
    monkeypatch.setattr(_statistical, name, lambda _: found)
    spans = [(s.text, s.type) for s in Detector.create(ner=True, ner_model=model).detect(text)]
    assert ("quoll varga", "NAME") in spans and ("00482913", "MRN") in spans
    rules = [(s.text, s.type) for s in Detector.create(ner=False).detect(text)]
    assert ("quoll varga", "NAME") not in rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ashley denies chest pain.", [("Ashley", "NAME")]),
        ("Mr. Okonkwo reports knee pain.", [("Okonkwo", "NAME")]),
        ("[doctor] hi , Wilhelmina . how are you ?", [("Wilhelmina", "NAME")]),
        ("Patient: Brandvold, Tove\nMRN 0042\n", [("Brandvold, Tove", "NAME")]),
        ("Resident of Tamsworth County.", [("Tamsworth County", "COUNTY")]),
        ("Recently moved from Tallahassee.", [("Tallahassee", "CITY")]),
        ("Started Lisinopril and Metformin. Plan: Physical Exam normal.", []),
        ("She has Parkinson's disease.", []),
        ("HISTORY OF PRESENT ILLNESS", []),
        ("Tylenol helps. Advil too.", []),
    ],
)
def test_own_model_spans_are_filtered(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(s.text, s.type) for s in trained_spans(text)] == expected


def test_long_text_is_read_in_blocks() -> None:
    text = ("The knee is better.\n" * 1100) + "He met Ana Lucia Ferreira in Kalamazoo last year.\n"
    assert ("Ana Lucia Ferreira", "NAME") in [(s.text, s.type) for s in ner_spans(text)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"ner_model": "bert"}, "ner_model must be one of"), ({"threshold": 2.0}, "threshold")],
)
def test_detector_rejects_unknown_models(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Detector.create(ner=True, **kwargs)


@pytest.mark.parametrize("model", NER_MODELS)
def test_rules_only_path_loads_no_model(monkeypatch: pytest.MonkeyPatch, model: str) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("a model was loaded")

    monkeypatch.setattr(nlp, "load_folder", refuse)
    monkeypatch.setattr(nlp, "load_english", refuse)
    found = Detector.create(ner=False, ner_model=model).detect("Ms. Quennell, MRN 00482913.")
    assert [(s.text, s.type) for s in found] == [("Quennell", "NAME"), ("00482913", "MRN")]


@pytest.mark.parametrize(("model", "installed"), [("evident", True), ("en_core_web_sm", True)])
def test_models_are_installed(model: str, installed: bool) -> None:
    assert model_installed(model) is installed


def test_missing_own_model_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(_statistical, "trained_model_path", lambda: tmp_path)
    assert model_installed("evident") is False
    with pytest.raises(ConfigError, match="no spaCy pipeline"):
        nlp.load_folder(str(tmp_path))


def test_own_model_is_loaded_once_and_small() -> None:
    folder = _statistical.trained_model_path()
    trained_spans("Ms. Quennell is here.")
    assert nlp.load_folder(str(folder)) is nlp.load_folder(str(folder))
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert size < 5_000_000
