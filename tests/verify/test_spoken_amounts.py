"""Amounts said without a numeral: one unit of time said with an article ("almost a
year", "born a week early"), "a couple of" days, and a child's age in months, weeks or
days ("she is fourteen months", "a 14-month-old"); and a bare number that answers a
question ("how many times a night?" - "three"), which counts what was asked. Every
conversation here is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify.facts import analyze
from evident.verify.normalize import normalize

from .conftest import verdict

PEDIATRIC = """\
[doctor] how old is your son ?
[guest_family] he is fourteen months .
[doctor] and was he born on time ?
[guest_family] he was born a week early .
[doctor] how long has the cough been going on ?
[guest_family] for a couple of days now .
[doctor] and the rash on his leg ?
[guest_family] it has been almost a year since it started .
[doctor] does he take anything ?
[guest_family] vitamin d drops once a day .
"""

NIGHTS = """\
[doctor] how many times a night do you get up to urinate ?
[patient] i'd say three , sometimes four .
[doctor] and how many cups of coffee a day ?
[patient] oh i only drink two .
"""

NEWBORN = """\
[doctor] how old is she ?
[guest_family] two months .
[doctor] any fever ?
[guest_family] no .
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one unit of time after a word of duration, or before "ago", "early", ...
        ("it has been almost a year", "it has been almost 1 year"),
        ("he was born a week early", "he was born 1 week early"),
        ("about an hour", "about 1 hour"),
        ("a year ago", "1 year ago"),
        ("it's been a week", "it's been 1 week"),
        # a rate stays a rate
        ("once a week", "once a week"),
        ("a pack a day", "a pack a day"),
        ("twice a day later on", "twice a day later on"),
        ("i go to a day program", "i go to a day program"),
        # a couple is two
        ("for a couple of days", "for 2 days"),
        ("the last couple of weeks", "the last 2 weeks"),
        ("a couple times", "2 times"),
        ("they are a couple", "they are a couple"),
    ],
)
def test_normalize_spoken_amounts(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("text", "key", "unit", "years"),
    [
        ("This is a 14-month-old child.", "age", "month-old", 14 / 12),
        ("She is fourteen months.", "age", "month-old", 14 / 12),
        ("He is 10 days old.", "age", "day-old", 10 / 365.25),
        ("A 6-week-old infant.", "age", "week-old", 6 * 7 / 365.25),
        ("A 50-year-old man.", "age", "age", 50.0),
        # a duration that is no age stays a duration
        ("The cough lasted fourteen months.", "duration", "month", None),
    ],
)
def test_ages_in_units_of_time(text: str, key: str, unit: str, years: float | None) -> None:
    (q,) = [f for f in analyze(text).facts if f.kind == "quantity"]
    assert (q.key, q.unit) == (key, unit)
    if years is not None:
        assert q.base == pytest.approx(years, rel=1e-4)


@pytest.mark.parametrize(
    ("source", "statement", "label"),
    [
        (PEDIATRIC, "This is a 14-month-old boy.", "supported"),
        (PEDIATRIC, "This is a 15-month-old boy.", "not supported"),
        (PEDIATRIC, "This is a 1-year-old boy.", "not supported"),
        (PEDIATRIC, "He was born 1 week early.", "supported"),
        (PEDIATRIC, "He was born 3 weeks early.", "not supported"),
        (PEDIATRIC, "Cough for 2 days.", "supported"),
        (PEDIATRIC, "Cough for 5 days.", "not supported"),
        (PEDIATRIC, "The rash started about 1 year ago.", "supported"),
        (PEDIATRIC, "The rash started 3 years ago.", "not supported"),
        (PEDIATRIC, "Vitamin D drops daily.", "supported"),
        # a bare number in a reply counts what the question asked about
        (NIGHTS, "Nocturia 3 times a night.", "supported"),
        (NIGHTS, "She gets up 3 times a night to urinate.", "supported"),
        (NIGHTS, "Nocturia 6 times.", "not supported"),
        (NIGHTS, "She drinks 2 cups of coffee a day.", "supported"),
        (NIGHTS, "She drinks 3 cups of coffee a day.", "not supported"),
        # an age answered to "how old is she?" in months
        (NEWBORN, "This is a 2-month-old girl.", "supported"),
        (NEWBORN, "This is a 3-month-old girl.", "not supported"),
        (NEWBORN, "This is a 2-year-old girl.", "not supported"),
    ],
)
def test_spoken_amounts_bear_out_the_note(source: str, statement: str, label: str) -> None:
    got, reason = verdict(source, statement)
    assert (got == "supported") == (label == "supported"), (got, reason)
