"""The second, independent PHI generator: exact gold, its own pools, a seed split."""

from __future__ import annotations

import json
import random
from importlib import resources

import pytest

from evident.privacy import PHI_TYPES
from evident.privacy._data import load_lexicon
from evident.privacy.synth.second import (
    Person,
    all_gold_types,
    half_of,
    second_sentence,
    written_docs,
)


def _pools() -> dict[str, list[str]]:
    path = resources.files("evident.privacy.synth").joinpath("resources", "pools_b.json")
    return json.loads(path.read_text("utf-8"))


@pytest.mark.parametrize("style", ["note", "dialogue", "transcript"])
def test_sentences_have_exact_gold(style: str) -> None:
    rng = random.Random(11)
    pt, rel = Person("Adaeze", "van der Merwe", True), Person("Kwaku", "Mensah-Bonsu", False)
    for _ in range(300):
        text, gold = second_sentence(rng, style, pt, rel)  # type: ignore[arg-type]
        assert gold, text
        for start, end, phi_type in gold:
            assert phi_type in PHI_TYPES
            assert text[start:end].strip() == text[start:end] != ""
        if style == "transcript":
            assert text == text.lower() and "," not in text.replace(", ", "")


@pytest.mark.parametrize("pool", ["female_first", "male_first", "surnames", "particle_surnames"])
def test_names_are_outside_the_detector_lexicon(pool: str) -> None:
    lex = load_lexicon()
    particles = {
        "van",
        "der",
        "de",
        "la",
        "ter",
        "da",
        "dos",
        "di",
        "del",
        "bin",
        "al",
        "el",
        "von",
        "du",
        "mac",
        "d'alessandro",
    }
    for name in _pools()[pool]:
        for word in name.replace("-", " ").split():
            low = word.lower()
            assert low in particles or not lex.is_name(low), name


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("header", {"NAME", "MRN", "DATE"}),
        ("types", {"NAME", "DATE", "HOSPITAL", "VEHICLE", "CITY", "PHONE", "AGE"}),
    ],
)
def test_written_docs_cover_the_kinds(kind: str, expected: set[str]) -> None:
    docs = written_docs(60, seed=3)
    assert expected <= all_gold_types(docs)
    for doc in docs:
        for start, end, _ in doc.gold:
            assert doc.text[start:end].strip()


@pytest.mark.parametrize(("seed", "key"), [(1, "a:1"), (2, "a:1"), (1, "b:7"), (9, "train:3")])
def test_half_is_a_function_of_seed_and_key(seed: int, key: str) -> None:
    assert half_of(key, seed) == half_of(key, seed)
    assert half_of(key, seed)[0] in ("dev", "test")


def test_halves_are_disjoint_and_both_used() -> None:
    dev = written_docs(20, seed=5, half="dev")
    test = written_docs(20, seed=5, half="test")
    assert {d.id for d in dev}.isdisjoint({d.id for d in test})
    assert len(dev) == len(test) == 20
