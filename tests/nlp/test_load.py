"""The shared spaCy loader finds the English model offline and loads only what is asked."""

from __future__ import annotations

import pytest

from evident.nlp import find_model_path, load_english


def test_model_is_found_without_the_upload_name() -> None:
    path = find_model_path()
    assert path is not None
    assert (path / "meta.json").is_file()


@pytest.mark.parametrize(
    ("components", "present", "absent"),
    [
        (("parser",), {"parser", "tok2vec"}, {"ner"}),
        (("ner",), {"ner"}, {"parser"}),
        (("parser", "lemmatizer"), {"parser", "lemmatizer"}, {"ner"}),
    ],
)
def test_components(components: tuple[str, ...], present: set[str], absent: set[str]) -> None:
    nlp = load_english(components)
    assert present <= set(nlp.pipe_names)
    assert not absent & set(nlp.pipe_names)


def test_parse_reads_negation() -> None:
    doc = load_english(("parser",))("He was not admitted to the hospital.")
    neg = [t for t in doc if t.dep_ == "neg"]
    assert len(neg) == 1
    assert neg[0].head.text == "admitted"
