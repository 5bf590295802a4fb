"""The attribute-ruler lookup gives spaCy's own tags, parts of speech, morphology and
lemmas, token by token, and leaves a ruler it cannot read alone."""

from __future__ import annotations

from typing import Any

import pytest

from evident.nlp import find_model_path, load_english
from evident.nlp._attributes import speed_up

spacy = pytest.importorskip("spacy")


@pytest.fixture(scope="module")
def stock() -> Any:
    path = find_model_path()
    assert path is not None
    return spacy.load(path, exclude=["ner", "senter"])


def _reading(doc: Any) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


# Sentences whose tokens meet the table's kinds of rule: the tag map, pronoun forms,
# "n't" and its spellings, "do"/"have" as verbs or auxiliaries, subordinating "that",
# "there is", determiners as pronouns, white space, "'d", "y'all", "nothin'".
@pytest.mark.parametrize(
    "text",
    [
        "He was not admitted to the hospital.",
        "I don't have any chest pain, but it doesn't radiate.",
        "There is no swelling and there were no rashes.",
        "She said that she'd been taking ibuprofen 400 mg twice a day.",
        "I did it because you told me to.",
        "That is what they gave me; those helped.",
        "Do you have a fever?  No,  nothin' like that.",
        "y'all have been great\n\nthanks",
        "Which one?   The left knee, not the right.",
        "BP 120/80, HR 72, afebrile; nontender abdomen w/out guarding.",
        "It's been worse since Monday, hasn't it?",
        "",
    ],
)
def test_same_reading_as_spacy(stock: Any, text: str) -> None:
    fast = load_english(("parser", "lemmatizer"))
    assert _reading(fast(text)) == _reading(stock(text))


def test_the_shipped_ruler_is_looked_up() -> None:
    nlp = load_english(("parser", "lemmatizer"))
    assert "match" in vars(nlp.get_pipe("attribute_ruler"))


@pytest.fixture(scope="module")
def bare() -> tuple[Any, Any]:
    """Two pipelines without a ruler, to which each test adds its own."""
    path = find_model_path()
    assert path is not None
    ex = ["ner", "senter", "attribute_ruler", "lemmatizer"]
    return spacy.load(path, exclude=ex), spacy.load(path, exclude=ex)


@pytest.mark.parametrize(
    ("patterns", "speeds_up"),
    [
        ([[{"LOWER": "cough", "TAG": "NN"}]], True),
        ([[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "was"]}}]], True),
        ([[{"TAG": {"NOT_IN": ["NN"]}, "LOWER": {"REGEX": "^c"}}]], True),
        ([[{"LENGTH": 4}]], False),  # a test the lookup does not read
        ([[{"LOWER": "cold", "OP": "?"}]], False),
        ([[{"LOWER": {"FUZZY": "cold"}}]], False),
    ],
)
def test_own_rulers(
    bare: tuple[Any, Any], patterns: list[list[dict[str, Any]]], speeds_up: bool
) -> None:
    assert speed_up(bare[0]) is False  # no ruler yet
    for nlp in bare:
        ruler = nlp.add_pipe("attribute_ruler")
        ruler.add(patterns, {"LEMMA": "RULED", "POS": "X"}, index=len(patterns[0]) - 1)
        ruler.add([[{"TAG": "NN"}]], {"MORPH": "Number=Sing"})
    plain, ruled = bare
    try:
        assert speed_up(ruled) is speeds_up
        text = "There is a cold, and there was a cough; it is cold."
        got = _reading(ruled(text))
        assert got == _reading(plain(text))
        assert any(lemma == "RULED" for *_, lemma, _ in got) or not speeds_up
    finally:
        for nlp in bare:
            nlp.remove_pipe("attribute_ruler")
