"""Ages said of anyone, decades of life and counts of one.

Conversations written for these tests: a family history with each relative's age, and a
social history where "a daughter" or "a pack a day" is the only count said.
"""

from __future__ import annotations

import pytest

from evident.verify.facts import analyze

from .conftest import verdict as _verdict

FAMILY = """\
[doctor] any illnesses in your family ?
[patient] my mother had a stroke . she was sixty seven when she died .
[doctor] and your father ?
[patient] he had a heart bypass when he was sixty . he is in his eighties now .
[doctor] any brothers or sisters ?
[patient] my brother passed from a heart attack at seventy three .
[doctor] and your grandmother ?
[patient] she was in her nineties .
"""

SOCIAL = """\
[doctor] do you have children ?
[patient] yes , i have a daughter , she's healthy .
[doctor] do you smoke ?
[patient] about a pack a day .
[doctor] and your husband ?
[patient] he smokes a pack and a half a day .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("Her mother died of a stroke at the age of 67.", "supported"),
        ("Her mother died of a stroke at the age of 70.", "not supported"),
        ("Her father had a bypass at age 60.", "supported"),
        ("Her father had a bypass at age 65.", "not supported"),
        ("Her father is in his 80s.", "supported"),
        ("Her father is in his 70s.", "not supported"),
        ("Her brother died of a heart attack at 73.", "supported"),
        ("Her brother died of a heart attack in his 70s.", "supported"),
        ("Her brother died of a heart attack in his 60s.", "not supported"),
        ("Her grandmother lived into her 90s.", "supported"),
    ],
)
def test_ages_and_decades_of_relatives(statement: str, label: str) -> None:
    got, reason = _verdict(FAMILY, statement)
    assert (got == "supported") == (label == "supported"), reason
    if label != "supported":
        assert "age" in reason


def test_a_wrong_age_beside_the_right_one_is_named() -> None:
    got, reason = _verdict(FAMILY, "Her mother was 76 when she died of a stroke.")
    assert got == "contradicted"
    assert reason == "transcript says age 67, note says age 76"


def test_a_relatives_age_is_marked_and_the_patients_is_not() -> None:
    def age(text: str) -> tuple[str, bool]:
        f = next(f for f in analyze(text).facts if f.key == "age")
        return f.unit, f.family

    assert age("Her mother died at the age of 79.") == ("aged", True)
    assert age("Appendectomy at age 21.") == ("aged", False)
    assert age("He had tonsillectomy at 8 years of age.") == ("age", False)
    assert age("Mother suffered a stroke in her 70's.") == ("decade", True)
    # a score, not an age
    assert not any(f.key == "age" for f in analyze("The pain was 7.").facts)


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("She has one daughter who is healthy.", "supported"),
        ("She has one son who is healthy.", "unsupported"),
        ("She smokes 1 pack of cigarettes per day.", "supported"),
        ("She smokes 2 packs of cigarettes per day.", "unsupported"),
        # a count the note does not write claims nothing: "a daughter" is no number
        ("She has a daughter.", "supported"),
    ],
)
def test_a_count_of_one_said_with_an_article(statement: str, label: str) -> None:
    got, reason = _verdict(SOCIAL, statement)
    assert got == label, reason


def test_a_pack_and_a_half_is_not_one_pack() -> None:
    facts = analyze("he smokes a pack and a half a day .").facts
    assert not any(f.key == "count" for f in facts)


PARENTS = (
    "[doctor] tell me about your mom and dad .\n"
    "[patient] my dad died of a heart attack when he was sixty five and my mom died of a"
    " stroke when she was seventy .\n"
    "[doctor] any brothers or sisters ?\n"
    "[patient] i have a little brother , he's nine now . i'm forty .\n"
)


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("Her mother died of a stroke at 70.", "supported"),
        ("Her father died of a heart attack at 65.", "supported"),
        ("Her father died of a heart attack at 70.", "not supported"),
        ("She has a 9-year-old brother.", "supported"),
        ("She has a 40-year-old brother.", "not supported"),  # the 40 is her own age
        ("She is 40 years old.", "supported"),
    ],
)
def test_an_age_belongs_to_the_person_named(statement: str, label: str) -> None:
    got, reason = _verdict(PARENTS, statement)
    assert (got == "supported") == (label == "supported"), reason


def test_a_bare_number_counts_what_its_own_sentence_names() -> None:
    # "we have three. we all live together": the next sentence's words do not tell what
    # the three counts, so the children asked about are what it counts
    source = (
        "[doctor] do you two have any children ?\n"
        "[patient] yes , we have three . we all live together , and i am thankful .\n"
    )
    assert _verdict(source, "Children: three.")[0] == "supported"
    assert _verdict(source, "Children: four.")[0] == "unsupported"
    near = [f.near for f in analyze("yes, we have three. we all live together.").facts]
    assert near == [frozenset()]
