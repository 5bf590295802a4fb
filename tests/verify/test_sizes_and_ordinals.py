"""Sizes ("a 2 x 3 cm wound", "five millimeters"), ordinals ("the fifth MTP joint", "3rd
grade", "her eighty ninth birthday") and a decimal point said without its zero ("a . five
centimeter stone") and spoken years ("september of o three", "in o one"). Conversation
and note lines written for these tests."""

from __future__ import annotations

import pytest

from evident.verify import verify
from evident.verify.facts import analyze

from .conftest import make_draft, make_transcript

EXAM = """\
[doctor] on your right foot there is a two by three centimeter wound by the fifth mtp joint .
[doctor] the ct shows a . five centimeter kidney stone in the right ureter .
[doctor] we kept you on cpap at ten centimeters of water .
[patient] my son is in third grade now .
[doctor] and your mother ?
[patient] she just had her eighty ninth birthday .
"""


def _quantities(text: str) -> list[tuple[str, float | None, str]]:
    return [(f.key, f.value, f.unit) for f in analyze(text).facts if f.kind == "quantity"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a 2 cm mass", [("length", 2.0, "cm")]),
        ("a five millimeter stone", [("length", 5.0, "mm")]),
        ("two inches long", [("length", 2.0, "inch")]),
        ("a one by two centimeter wound", [("length", 1.0, "cm"), ("length", 2.0, "cm")]),
        ("1.0 cm x 2.0 cm", [("length", 1.0, "cm"), ("length", 2.0, "cm")]),
        ("less than one millimeter squared", [("area", 1.0, "mm2")]),
        ("less than 1 mm2", [("area", 1.0, "mm2")]),
        ("a . five centimeter stone", [("length", 0.5, "cm")]),
        ("the fifth mtp joint", [("ordinal", 5.0, "")]),
        ("the 5th MTP joint", [("ordinal", 5.0, "")]),
        ("in the twenty fifth week", [("ordinal", 25.0, "")]),
        ("she just had her eighty ninth birthday", [("age", 89.0, "aged")]),
        ("a third of the dose", []),
        ("at first it hurt", []),
    ],
)
def test_sizes_and_ordinals_are_read(text: str, expected: list[tuple[str, float, str]]) -> None:
    assert _quantities(text) == expected


@pytest.mark.parametrize(
    ("statement", "label", "reason"),
    [
        ("There is a 2 x 3 cm wound by the 5th MTP joint.", "supported", ""),
        ("There is a 3 x 3 cm wound by the 5th MTP joint.", "contradicted", "2 x 3"),
        ("CT shows a 0.5 cm kidney stone in the right ureter.", "supported", ""),
        ("CT shows a 5 mm kidney stone in the right ureter.", "supported", ""),
        ("CT shows a 5 cm kidney stone in the right ureter.", "contradicted", "0.5 cm"),
        ("CPAP at 10 cm H2O.", "supported", ""),
        ("Her son is in 3rd grade.", "supported", ""),
        ("His mother is 89.", "supported", ""),
        ("His mother is 86.", "unsupported", "86"),
    ],
)
def test_sizes_and_ordinals_against_the_conversation(
    statement: str, label: str, reason: str
) -> None:
    report = verify(make_draft(statement), [make_transcript(EXAM)], omissions=False)
    v = report.verdicts[0]
    assert v.label == label, v.reason
    assert reason in v.reason


def test_an_ordinal_the_source_never_says_is_no_error() -> None:
    """ "The third problem": a place in the note's own list, not a number to bear out."""
    report = verify(
        make_draft("The third problem is a wart on the right middle finger."),
        [make_transcript("[patient] i also have a wart on my right middle finger .\n")],
        omissions=False,
    )
    assert report.verdicts[0].label == "supported", report.verdicts[0].reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a lymph node biopsy back in september of o three", [("date", 20030900.0, "")]),
        ("a bypass in august of ninety five", [("date", 19950800.0, "")]),
        ("Brother had CABG 8/95.", [("date", 19950800.0, "")]),
        ("i had my tubes tied in o one and", [("", 2001.0, "")]),
        ("since oh five", [("", 2005.0, "")]),
        ("in march of 2009", [("date", 20090300.0, "")]),
        ("H 2 O", [("", 2.0, "")]),  # no year without "in" or "since" before the "o"
    ],
)
def test_spoken_years(text: str, expected: list[tuple[str, float, str]]) -> None:
    assert _quantities(text) == expected


def test_a_year_said_as_o_one_bears_out_the_note() -> None:
    src = make_transcript(
        "[doctor] any surgeries ?\n[patient] i had my tubes tied in o one .\n"
        "[patient] and my brother had a bypass with a graft in august of ninety five .\n"
    )
    draft = make_draft("Bilateral tubal ligation in 2001.", "Brother had CABG 8/95.")
    assert [v.label for v in verify(draft, [src], omissions=False).verdicts] == [
        "supported",
        "supported",
    ]


HABITS = """\
[doctor] how much do you smoke ?
[patient] about a pack to a pack and a half a day .
[doctor] and how tall are you ?
[patient] i used to be five foot ten .
[doctor] okay , we will see you back in about two and a half months .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("He smokes 1-1/2 packs of cigarettes a day.", "supported"),
        ("His height is 5 feet 10 inches.", "supported"),
        ("His height is 5'10\".", "supported"),
        ("Follow up in 2-1/2 months.", "supported"),
        ("His height is 5 feet 8 inches.", "contradicted"),  # 70 inches said, 68 written
        ("Follow up in 3-1/2 months.", "contradicted"),
    ],
)
def test_written_halves_and_heights_against_speech(statement: str, label: str) -> None:
    report = verify(make_draft(statement), [make_transcript(HABITS)], omissions=False)
    assert report.verdicts[0].label == label, report.verdicts[0].reason
