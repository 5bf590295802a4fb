"""Dates written in a note ("01/18/08", "03/2008", "in 1975") against dates said aloud
("January eighteenth, two thousand eight", "July thirty first O eight"). Conversations
written for these tests."""

from __future__ import annotations

import pytest

from evident.verify import verify
from evident.verify.facts import analyze, decode_date
from evident.verify.normalize import normalize

from .conftest import make_draft, make_transcript

VISITS = """\
Doctor: When did the headache start?
Patient: July thirty first O eight, around eleven in the morning.
Doctor: And your last visit here?
Patient: It was on the fourth of December two thousand five.
Doctor: Any surgeries?
Patient: I had my appendix removed in nineteen eighty eight.
Patient: And I had knee surgery in March of two thousand nine.
Doctor: I see in the chart two surgeries on July sixth.
Patient: That sounds right.
"""


@pytest.mark.parametrize(
    ("spoken", "written"),
    [
        ("July thirty first", "july 31"),
        ("June twenty first, this year", "june 21, this year"),
        ("on the fourth of December", "on december 4"),
        ("the twenty second of March", "march 22"),
        ("July twenty nineth", "july 29"),
        # written ordinal days read the same
        ("on the 3rd of May", "on may 3"),
        ("the 22nd of June", "june 22"),
        ("the 32nd of May", "the 32nd of may"),
    ],
)
def test_spoken_dates_are_normalised(spoken: str, written: str) -> None:
    assert normalize(spoken) == written


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("seen on 01/18/08", (2008, 1, 18)),
        ("on 1/17/92", (1992, 1, 17)),
        ("in 03/2008", (2008, 3, 0)),
        ("since 11/94", (1994, 11, 0)),
        ("in 07/06", (2006, 7, 0)),
        ("July thirty first O eight", (2008, 7, 31)),
        ("twitching since October O eight", (2008, 10, 0)),
        ("in March of two thousand nine", (2009, 3, 0)),
        ("June twenty first", (0, 6, 21)),
        ("on the 31st of March 2019", (2019, 3, 31)),
    ],
)
def test_a_date_is_one_quantity(text: str, date: tuple[int, int, int]) -> None:
    dates = [f for f in analyze(text).facts if f.kind == "quantity"]
    assert [(f.key, decode_date(f.value or 0)) for f in dates] == [("date", date)]


def test_ratios_and_month_words_are_no_dates() -> None:
    assert all(f.key != "date" for f in analyze("Pain is 7/10 and 3/4 of the time.").facts)
    assert not analyze("May I ask you something?").facts
    assert all(f.key != "date" for f in analyze("You may o 8 it").facts)


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("Headache since 07/31/08.", "supported"),
        ("Headache since 07/30/08.", "unsupported"),
        ("Last seen on 12/04/05.", "supported"),
        ("Last seen on 12/04/06.", "unsupported"),
        ("Appendectomy 1988.", "supported"),
        ("Appendectomy 1989.", "unsupported"),
        ("Knee surgery in 03/2009.", "supported"),
        ("Knee surgery in 2009.", "supported"),
        ("Knee surgery in 04/2009.", "unsupported"),
        ("Two surgeries in 07/06.", "supported"),  # the year is not said aloud
    ],
)
def test_dates_against_the_dialogue(statement: str, label: str) -> None:
    report = verify(make_draft(statement), [make_transcript(VISITS)], omissions=False)
    v = report.verdicts[0]
    assert v.label == label, v.reason


def test_a_missing_date_is_named_as_a_date() -> None:
    report = verify(make_draft("Last seen on 12/04/06."), [make_transcript(VISITS)])
    assert report.verdicts[0].reason == "no source mentions 12/4/2006"
