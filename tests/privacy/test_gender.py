"""Surrogates keep a person's gender and a family's shared surname."""

from __future__ import annotations

import pytest

from evident.privacy import Surrogator, detect, transform
from evident.privacy._data import load_pools
from evident.privacy.gender import infer_genders

KEY = b"k" * 32


@pytest.mark.parametrize(
    ("text", "word", "gender"),
    [
        ("Sabine Okafor is a 54-year-old man with gout.", "sabine", "M"),
        ("Ottilie Brzezinski is a 70-year-old woman.", "ottilie", "F"),
        ("His wife, Desmond Okafor, is at the bedside.", "desmond", "F"),
        ("Her son Kwaku was here.", "kwaku", "M"),
        ("Kwaku Mensah was admitted. She reports pain.", "kwaku", "F"),
        ("Kwaku Mensah was admitted. He reports pain.", "kwaku", "M"),
        ("Ms. Tesfaye returns.", "tesfaye", "F"),
    ],
)
def test_infer_genders(text: str, word: str, gender: str) -> None:
    assert infer_genders([(text, detect(text))]).get(word) == gender


def test_no_cue_no_gender() -> None:
    text = "Patient: Kwaku Mensah    MRN: 00482913"
    assert "kwaku" not in infer_genders([(text, detect(text))])


@pytest.mark.parametrize(
    ("text", "pool"),
    [
        ("Sabine Okafor is a 54-year-old man.", "male_first_names"),
        ("His wife, Desmond Okafor, called.", "female_first_names"),
        ("Ottilie Brzezinski is a 70-year-old woman.", "female_first_names"),
        ("Patient: Ottilie Brzezinski    MRN: 00482913", "unisex_first_names"),
    ],
)
def test_first_name_surrogate_keeps_the_gender(text: str, pool: str) -> None:
    spans = detect(text)
    surrogator = Surrogator(KEY, "p1", genders=infer_genders([(text, spans)]))
    out = transform(text, spans, surrogator)
    name = next(r.replacement for r in out.replacements if r.type == "NAME")
    assert name.split()[0].rstrip(",") in load_pools()[pool]


def test_relatives_keep_the_shared_family_name() -> None:
    text = "Kwaku Mensah is a 60-year-old man. His wife, Abena Mensah, drives him."
    spans = detect(text)
    out = transform(text, spans, Surrogator(KEY, "p1", genders=infer_genders([(text, spans)])))
    names = [r.replacement.split() for r in out.replacements if r.type == "NAME"]
    assert len(names) == 2 and names[0][-1] == names[1][-1] != "Mensah"
    assert names[0][0] in load_pools()["male_first_names"]
    assert names[1][0] in load_pools()["female_first_names"]
