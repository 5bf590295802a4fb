"""A denial of the wider thing denies each narrower one: "I've had no problems with my
breathing" bears out "no major problems with her breathing"; a denial of something else
with the same head does not. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from .conftest import verdict

VISIT = """\
[doctor] how have you been since the last visit ?
[patient] i've had no problems with my breathing .
[doctor] and the headaches ?
[patient] i get them sometimes but no severe headaches lately .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # the source denies problems with breathing: a narrower denial is borne out
        ("She has had no major problems with her breathing.", "supported"),
        # a denial of something else with the same head is not
        ("She has had no major problems with her sleep.", "unsupported"),
    ],
)
def test_narrower_denials(statement: str, label: str) -> None:
    assert verdict(VISIT, statement)[0] == label


FORMS = """\
[doctor] did the new cream help ?
[patient] i did n't take the protopic because i read about the side effects .
[doctor] okay . any injection drug use ?
[patient] no .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # the form a drug comes in is no part of what is denied of it
        ("She has not used the protopic ointment.", "supported"),
        ("She has not used the protopic cream.", "supported"),
        # unless the form word is not the phrase's head: here the use is
        ("He denies injection drug use.", "supported"),
        ("She has not used the elidel cream.", "unsupported"),  # another drug
    ],
)
def test_a_drug_form_is_not_denied(statement: str, label: str) -> None:
    assert verdict(FORMS, statement)[0] == label
