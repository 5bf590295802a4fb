"""Perturbation rules of the benchmark, and validation of the resource files."""

from __future__ import annotations

import random

import pytest

from evident.errors import ConfigError
from evident.verify import _resources
from evident.verify.perturb import perturb_statement


@pytest.mark.parametrize(
    ("kind", "text", "changed"),
    [
        ("dose_unit", "Lisinopril 20 mg daily.", True),
        ("dose_unit", "Knee pain.", False),
        ("number", "Pain for 3 weeks.", True),
        ("number", "1. Hypertension.", False),
        ("negation", "She denies chest pain.", True),
        ("negation", "She reports a cough.", True),
        ("negation", "She denies going to therapy.", False),
        ("laterality", "Right knee effusion.", True),
        ("laterality", "All good.", False),
        ("medication", "Continue lisinopril 20 mg.", True),
        ("medication", "Continue current regimen.", False),
        ("unknown", "Lisinopril 20 mg.", False),
    ],
)
def test_perturbations(kind: str, text: str, changed: bool) -> None:
    p = perturb_statement(kind, text, random.Random(1), frozenset({"lisinopril"}))
    assert (p is not None) == changed
    if p is not None:
        assert p.text != text and p.original == text


def test_medication_swap_avoids_source_drugs() -> None:
    avoid = frozenset({"losartan", "valsartan", "irbesartan", "olmesartan", "telmisartan"})
    for seed in range(10):
        p = perturb_statement("medication", "Losartan 50 mg.", random.Random(seed), avoid)
        assert p is not None and not any(a in p.text.lower() for a in avoid)


def test_resources_load() -> None:
    lex = _resources.load_lexicons()
    assert len(lex.medications) >= 300
    assert any(f.name == "dyspnea" and "sob" in f.aliases for f in lex.findings)


@pytest.mark.parametrize("content", ['{"version": 1}', "not json", '{"version": 1, "x": []}'])
def test_bad_resource_is_config_error(monkeypatch, tmp_path, content: str) -> None:
    bad = tmp_path / "resources"
    bad.mkdir()
    (bad / "medications.json").write_text(content, encoding="utf-8")

    class Files:
        def __truediv__(self, name: str):
            return tmp_path / name

    monkeypatch.setattr(_resources.resources, "files", lambda pkg: Files())
    with pytest.raises(ConfigError, match=r"medications\.json"):
        _resources._read("medications.json", _resources._MedFile)


@pytest.mark.parametrize(
    ("text", "flipped"),
    [
        ("She denies any chest pain.", "She reports chest pain."),
        ("She does not have any fever.", "She has fever."),
        ("He is able to walk without any discomfort.", "He is able to walk with discomfort."),
        ("He has had some wheezing.", "He has not had any wheezing."),
        (
            "He has noticed paresthesias in his feet.",
            "He has not noticed paresthesias in his feet.",
        ),
        ("She has some pain in her thumb.", "She does not have any pain in her thumb."),
        # "no longer" flips to "still", not to "longer"
        ("She is no longer suffering from back pain.", "She is still suffering from back pain."),
        ("She no longer had any headaches.", "She still had headaches."),
        # a sentence that already holds a negation has no clear flip
        ("She reports that the pain is not an issue.", None),
    ],
)
def test_negation_flips_read_as_english(text: str, flipped: str | None) -> None:
    p = perturb_statement("negation", text, random.Random(1), frozenset())
    assert (p.text if p else None) == flipped
