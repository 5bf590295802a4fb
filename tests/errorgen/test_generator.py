"""The general error generator: each type changes its sentence the right way, in both
families; answers flip in the source; the split is stable and disjoint."""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

import pytest

from evident.errorgen import FAMILIES, Corpus, half, surface, syntax
from evident.errorgen._text import Context
from evident.errorgen.blind import BlindBaseline
from evident.sources import load_source

CTX = Context(
    source_words=frozenset({"knee", "pain", "metformin"}),
    drugs=("metformin", "atorvastatin", "lisinopril"),
    findings=("a rash", "shortness of breath", "night sweats"),
)
NEG = re.compile(r"\b(not|no|never|without|denies|denied|negative)\b|n't\b", re.I)


def _negations(text: str) -> int:
    return len(NEG.findall(text))


def _apply(family: str, kind: str, text: str, seed: int = 1) -> tuple[str, str] | None:
    rng = random.Random(seed)
    if family == "surface":
        return surface.RULES[kind](text, rng, CTX)
    return syntax.RULES[kind](syntax.parse([text])[0], rng, CTX)


def _words(text: str) -> list[str]:
    return re.findall(r"[\w.]+", text.lower())


# (type, fixture sentence, what must hold of (old, new))
CASES = [
    ("negation_added", "She reports a cough at night.", lambda o, n: _negations(n) > _negations(o)),
    (
        "negation_added",
        "He takes his inhaler every day.",
        lambda o, n: _negations(n) > _negations(o),
    ),
    ("negation_removed", "She denies chest pain.", lambda o, n: _negations(n) < _negations(o)),
    (
        "negation_removed",
        "He does not have any swelling.",
        lambda o, n: _negations(n) < _negations(o),
    ),
    ("antonym", "His breathing is better since Monday.", lambda o, n: "worse" in n),
    ("antonym", "The rash has increased in size.", lambda o, n: "decreased" in n),
    ("number", "The cough started 3 weeks ago.", lambda o, n: "3" not in _words(n)),
    ("dose", "She takes metformin 500 mg twice daily.", lambda o, n: "500" not in n or "mcg" in n),
    ("side", "There is swelling of the left ankle.", lambda o, n: "right ankle" in n),
    ("drug", "She takes metformin 500 mg twice daily.", lambda o, n: "metformin" not in n.lower()),
    ("finding", "She reports chest pain after meals.", lambda o, n: "chest pain" not in n),
    (
        "experiencer",
        "She has diabetes.",
        lambda o, n: re.search(r"\b(mother|father|sister|brother|son|daughter|grand\w+)\b", n),
    ),
    (
        "experiencer",
        "His father has diabetes.",
        lambda o, n: "father" not in n and "patient" in n.lower(),
    ),
]


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize(("kind", "sentence", "holds"), CASES)
def test_each_type_changes_its_sentence_the_right_way(family, kind, sentence, holds) -> None:
    res = _apply(family, kind, sentence)
    assert res is not None, f"{family} {kind} did not apply"
    new, direction = res
    assert new != sentence and direction
    assert holds(sentence, new), new


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize(
    ("kind", "sentence"),
    [
        ("negation_removed", "She reports a cough at night."),
        ("side", "Her knee is swollen."),
        ("dose", "She has a cough."),
        ("drug", "She has a cough."),
    ],
)
def test_a_type_that_does_not_apply_returns_none(family, kind, sentence) -> None:
    assert _apply(family, kind, sentence) is None


@pytest.mark.parametrize("family", FAMILIES)
def test_a_swapped_drug_or_finding_is_not_one_the_source_mentions(family) -> None:
    ctx = Context(CTX.source_words, CTX.drugs, (*CTX.findings, "knee pain"))
    for seed in range(5):
        rng = random.Random(seed)
        text = "She reports chest pain after meals."
        if family == "surface":
            new, _ = surface.RULES["finding"](text, rng, ctx) or ("", "")
        else:
            new, _ = syntax.RULES["finding"](syntax.parse([text])[0], rng, ctx) or ("", "")
        assert "knee pain" not in new and any(f in new for f in CTX.findings), new
        new, _ = _apply(family, "drug", "She takes metformin 500 mg daily.", seed) or ("", "")
        assert "metformin" not in new.lower()


DIALOGUE = """\
[doctor] any chest pain when you climb stairs ?
[patient] no .
[doctor] do you still smoke cigarettes ?
[patient] yes , i smoke about a pack a day .
"""


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus(
        {
            "A": ["She denies chest pain when climbing stairs.", "She smokes cigarettes daily."],
            "B": [
                "He reports right knee swelling after a fall and a fever of 101.",
                "Lisinopril 10 mg daily.",
            ],
        }
    )


def test_answers_flip_in_the_source_and_point_at_the_note_sentence(corpus) -> None:
    src = load_source(DIALOGUE, kind="transcript", name="a")
    items = corpus.answer_items("A", src, 2, "7")
    assert {it.family for it in items} == set(FAMILIES)
    for it in items:
        seg = src.segment(it.segment)
        assert seg is not None and seg.speaker == "patient"
        assert it.segment_text.lower()[:2] != seg.text.lower()[:2]  # yes <-> no
        assert it.text == corpus.notes["A"][it.index]  # the note sentence is unchanged
        assert it.direction in {"yes->no", "no->yes"}
        assert src.segment(it.question).text.endswith("?")


def test_sentences_of_other_visits_name_what_this_source_does_not(corpus) -> None:
    items = corpus.invented_items("A", DIALOGUE, 2, "7")
    assert items and all(it.text in corpus.notes["B"] and it.type == "invented" for it in items)


def test_note_items_record_type_family_and_direction(corpus) -> None:
    items = corpus.note_items("B", "[doctor] hello .", 1, "7")
    kinds = {(it.type, it.family) for it in items}
    assert ("side", "surface") in kinds and ("side", "syntax") in kinds
    assert all(it.direction for it in items)
    assert items == corpus.note_items("B", "[doctor] hello .", 1, "7")  # seeded


IDS = [f"D2N{i:03d}" for i in range(200)] + [str(i) for i in range(200)]


@pytest.mark.parametrize("eid", ["D2N001", "D2N150", "0", "1200", "E1"])
def test_the_split_is_a_stable_hash_of_the_encounter_id(eid) -> None:
    expected = "dev" if hashlib.sha256(eid.encode()).digest()[0] % 2 == 0 else "test"
    assert half(eid) == expected == half(f" {eid} ")


def test_the_split_is_disjoint_and_roughly_even() -> None:
    dev = {i for i in IDS if half(i) == "dev"}
    test = {i for i in IDS if half(i) == "test"}
    assert not dev & test and dev | test == set(IDS)
    assert 0.4 < len(dev) / len(IDS) < 0.6


def test_the_blind_baseline_finds_a_planted_artifact_and_nothing_else() -> None:
    clean = [f"She has a cough for {i} days." for i in range(20)]
    perturbed = [f"She has a cough for {i} days indeed." for i in range(20)]
    model = BlindBaseline().fit(clean, perturbed)
    assert model.predict(["He has a rash indeed."]) == [True]
    assert model.predict(["He has a rash."]) == [False]
    model.calibrate(clean, 0.0)
    assert model.predict(clean[:3]) == [False] * 3


def test_the_generator_never_reads_the_verifiers_lexicons() -> None:
    package = Path(surface.__file__).parent
    for path in package.glob("*.py"):
        assert "evident.verify" not in path.read_text(encoding="utf-8"), path.name


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("antonyms", [["Better", "worse"]]),  # not lower case
        ("antonyms", [["same", "same"]]),  # no change
        ("negation_added", []),  # empty
        ("unknown_field", ["x"]),  # extra field
    ],
)
def test_a_malformed_grammar_table_is_refused(field, value) -> None:
    from pydantic import ValidationError

    from evident.errorgen._data import Grammar, load_grammar

    raw = load_grammar().model_dump(by_alias=True)
    raw[field] = value
    with pytest.raises(ValidationError):
        Grammar.model_validate(raw)
