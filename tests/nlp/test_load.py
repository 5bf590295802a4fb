"""The shared spaCy loader finds the English model offline and loads only what is asked."""

from __future__ import annotations

import pytest

from evident.nlp import MAX_RUN, bounded, find_model_path, load_english


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


# Runs without white space that spaCy's prefix and suffix search reads in quadratic time
# ("((((", ".).)", "!?!?"), a URL, a long word and plain prose.
@pytest.mark.parametrize(
    ("text", "changed"),
    [
        ("((" * 5000, True),
        (".)" * 5000, True),
        ("!?" * 5000, True),
        ("see https://example.org/" + "a" * 250 + " today", True),
        ("x" * MAX_RUN, False),
        ("No chest pain. " * 500, False),
        ("", False),
    ],
)
def test_bounded_keeps_length_and_cuts_long_runs(text: str, changed: bool) -> None:
    out = bounded(text)
    assert len(out) == len(text)
    assert (out != text) is changed
    assert max((len(r) for r in out.split()), default=0) <= MAX_RUN
    # only the cut characters differ, and each became a space
    assert all(a == b or b == " " for a, b in zip(text, out, strict=True))


@pytest.mark.parametrize(
    "components", [("parser",), ("parser", "lemmatizer"), ("tagger", "parser", "lemmatizer")]
)
def test_loaded_pipeline_tokenizes_bounded_text(components: tuple[str, ...]) -> None:
    nlp = load_english(components)
    text = "Any fever? " + "((" * 20000 + " No cough."
    doc = nlp.make_doc(text)
    assert len(doc.text) == len(text)
    assert max(len(t.text) for t in doc) <= MAX_RUN
    # offsets still point into the caller's text; ordinary words are untouched
    words = [t for t in doc if t.text in {"fever", "cough"}]
    assert [text[t.idx : t.idx + len(t)] for t in words] == ["fever", "cough"]
    assert [d.text for d in nlp.pipe(["No chest pain."])] == ["No chest pain."]
