"""Reading grade, syllables and the plain-language rewriting rules."""

from __future__ import annotations

import pytest
import yaml

from evident.tasks.patient import count_syllables, fk_grade, grades, load_plain, rewrite, smog_grade
from evident.tasks.patient.plain import PlainRules, plain_sentences


@pytest.mark.parametrize(
    ("word", "n"),
    [
        ("the", 1),
        ("take", 1),
        ("table", 2),
        ("walked", 1),
        ("created", 3),
        ("boxes", 2),
        ("makes", 1),
        ("people", 2),
        ("medicine", 3),
        ("hypertension", 4),
        ("medication", 4),
        ("radio", 3),
        ("echocardiogram", 6),
        ("you're", 1),
    ],
)
def test_syllables(word: str, n: int) -> None:
    assert count_syllables(word) == n


@pytest.mark.parametrize(
    ("easy", "hard"),
    [
        (
            "Take one pill a day. Call us if you feel worse.",
            "The echocardiogram demonstrated a decreased ejection fraction consistent with "
            "congestive cardiomyopathy and moderate mitral regurgitation.",
        ),
        ("Your knee is sore.", "Radiographic evaluation revealed degenerative osteoarthritis."),
    ],
)
def test_grades_order_easy_below_hard(easy: str, hard: str) -> None:
    for formula in (fk_grade, smog_grade):
        e, h = formula(easy), formula(hard)
        assert e is not None and h is not None and e < h


@pytest.mark.parametrize("text", ["", "  ", "123 456"])
def test_no_words_no_grade(text: str) -> None:
    assert grades(text) == {"flesch_kincaid": None, "smog": None}


@pytest.mark.parametrize(
    ("note", "plain"),
    [
        ("She denies any fever.", "You do not have any fever."),
        ("The patient reports knee pain.", "You say knee pain."),
        ("He has hypertension.", "You have high blood pressure."),
        (
            "Medical Treatment: We will continue her medications.",
            "We will continue your medicines.",
        ),
        ("I encouraged her to walk daily.", "We encouraged you to walk daily."),
        ("We will see her back in 2 weeks.", "We will see you back in 2 weeks."),
        (
            "Echo shows reduced ejection fraction.",
            "Echo (a movie of the heart made with sound waves) shows reduced pumping strength.",
        ),
        ("Blood pressure is elevated.", "Blood pressure is high."),
    ],
)
def test_rewrite(note: str, plain: str) -> None:
    assert rewrite(note) == plain


def test_explained_once_per_document() -> None:
    seen: set[str] = set()
    first = rewrite("We will order a mammogram.", seen)
    second = rewrite("The mammogram is due.", seen)
    assert "(a picture of the breast)" in first and "(" not in second


def test_long_sentences_are_split() -> None:
    text = (
        "We will order a repeat echocardiogram to look at the heart valves again, and we will "
        "also check her kidney function with blood work before the next visit in the spring."
    )
    parts = plain_sentences(text)
    assert len(parts) == 2 and all(p.endswith(".") for p in parts)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["glossary"].append({"term": "(bad", "plain": "x"}),
        lambda d: d["changes"].pop("stop"),
        lambda d: d["medication_templates"].pop("none"),
        lambda d: d["cues"].pop("warning"),
        lambda d: d.update(max_words=3),
        lambda d: d["glossary"].append({"term": "a1c", "plain": "sugar over 3 months"}),
    ],
)
def test_invalid_rules_are_rejected(mutate) -> None:
    data = yaml.safe_load(yaml.safe_dump(load_plain().model_dump()))
    mutate(data)
    with pytest.raises(ValueError):
        PlainRules.model_validate(data)


def test_a_negated_sentence_is_never_split() -> None:
    text = (
        "She denies any signs of bleeding from the stomach or bowel at home this month, "
        "as well as any unusual menstrual bleeding in the last few weeks."
    )
    parts = plain_sentences(text)
    assert len(parts) == 1 and parts[0].startswith("You do not have")


@pytest.mark.parametrize(
    ("note", "plain"),
    [
        ("She had an elevated titer.", "You had a high titer."),
        ("We will order an x-ray.", "We will order an x-ray."),
        ("We will see her in an hour.", "We will see you in an hour."),
        ("We will order an MRI.", "We will order an MRI (a detailed picture made with a magnet)."),
    ],
)
def test_articles_after_replacement(note: str, plain: str) -> None:
    assert rewrite(note) == plain
